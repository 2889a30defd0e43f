//! The fit's local information about a planned quantity: the Gauss–Newton matrix of the fitted rows and the
//! delta-method variance of the quantity, and how a new run's rows would change it.
//!
//! With θ the form's parameters ([`ModelParams::values`]), f(N, D, k; θ) its predicted metric and J the
//! Jacobian of f over the fitted rows, I = JᵀJ/σ̂² (σ̂² the residuals' mean square on n − p degrees of
//! freedom). A quantity g(θ) of the plan at the target budget has the delta-method variance ∇gᵀ I⁻¹ ∇g; a run
//! adds its rows' Jacobian to I (a rank-k update). Derivatives are central differences with a step relative to
//! each parameter.

use nalgebra::{DMatrix, DVector};
use t2_core::plan::{metric_at, optimum, Budget, Deployment};
use t2_core::ModelParams;

use super::Quantity;

/// Relative step of the central differences in θ: about ε^(1/3), the step that balances truncation against
/// rounding for a smooth function.
const STEP: f64 = 6e-6;
/// Floor of the step for parameters near 0 (Approach 2's θ may cross 0).
const STEP_FLOOR: f64 = 1e-7;
/// Ridge added to I's diagonal, relative to its mean diagonal: a design that cannot identify a direction gets a
/// very large variance along it instead of a failed inverse.
const RIDGE: f64 = 1e-10;

fn step(v: f64) -> f64 {
    STEP * v.abs().max(STEP_FLOOR / STEP)
}

/// `params` with its `i`-th value moved by `h`.
fn moved(params: &ModelParams, i: usize, h: f64) -> Option<ModelParams> {
    let mut values = params.values();
    values[i] += h;
    ModelParams::from_values(params.form(), &values)
}

/// ∂f/∂θ at (N, D, k): one row of the Jacobian.
pub fn jacobian_row(params: &ModelParams, n: f64, tokens: f64, k: f64) -> Vec<f64> {
    let values = params.values();
    (0..values.len())
        .map(|i| {
            let h = step(values[i]);
            let f = |p: Option<ModelParams>| p.map_or(f64::NAN, |p| metric_at(&p, n, tokens, k));
            (f(moved(params, i, h)) - f(moved(params, i, -h))) / (2.0 * h)
        })
        .collect()
}

/// The quantity at the target budget: ln N*, ln D*/N*, ln k* (a band on a log scale) or the metric.
pub fn quantity(params: &ModelParams, budget: Budget, q: Quantity) -> Option<f64> {
    let o = optimum(params, &Deployment::default(), budget).ok()?;
    let v = match q {
        Quantity::NStar => o.params.ln(),
        Quantity::TokensPerParam => o.tokens_per_param.ln(),
        Quantity::KStar => o.samples_affordable.ln(),
        Quantity::Metric => o.metric,
    };
    v.is_finite().then_some(v)
}

/// ∇g: the quantity's gradient in θ; None where it is not finite.
pub fn gradient(params: &ModelParams, budget: Budget, q: Quantity) -> Option<DVector<f64>> {
    let values = params.values();
    let mut g = DVector::zeros(values.len());
    for i in 0..values.len() {
        let h = step(values[i]);
        let up = quantity(&moved(params, i, h)?, budget, q)?;
        let down = quantity(&moved(params, i, -h)?, budget, q)?;
        g[i] = (up - down) / (2.0 * h);
    }
    g.iter().all(|v| v.is_finite()).then_some(g)
}

/// JᵀJ/σ² of rows given as Jacobian rows.
pub fn information(rows: &[Vec<f64>], p: usize, sigma2: f64) -> DMatrix<f64> {
    let mut info = DMatrix::zeros(p, p);
    for row in rows {
        let r = DVector::from_column_slice(row);
        info += &r * r.transpose() / sigma2;
    }
    info
}

/// I⁻¹ with a small ridge (see [`RIDGE`]); None when I is not finite.
pub fn covariance(info: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let p = info.nrows();
    let scale = (info.trace() / p as f64).abs().max(f64::MIN_POSITIVE);
    let ridged = info + DMatrix::identity(p, p) * (RIDGE * scale);
    ridged.cholesky().map(|c| c.inverse())
}

/// ∇gᵀ I⁻¹ ∇g.
pub fn variance(info: &DMatrix<f64>, gradient: &DVector<f64>) -> Option<f64> {
    let cov = covariance(info)?;
    let v = (gradient.transpose() * cov * gradient)[(0, 0)];
    v.is_finite().then_some(v.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_core::simulate::DEFAULT_APPROACH1;

    #[test]
    fn the_jacobian_matches_the_approach1_law_s_own_derivatives() {
        let p = DEFAULT_APPROACH1;
        let params = ModelParams::Approach1(p);
        let (n, d, k) = (1e8, 2e9, 16.0);
        let row = jacobian_row(&params, n, d, k);
        // E, A, B, G enter linearly: ∂L/∂E = 1, ∂L/∂A = N^−α, ∂L/∂B = D^−β, ∂L/∂G = k^−γ.
        let expected = [1.0, n.powf(-p.alpha), d.powf(-p.beta), k.powf(-p.gamma)];
        for (got, want) in row.iter().zip(expected) {
            assert!((got / want - 1.0).abs() < 1e-6, "{got} vs {want}");
        }
        // ∂L/∂α = −A·N^−α·ln N.
        let alpha = -p.a * n.powf(-p.alpha) * n.ln();
        assert!((row[4] / alpha - 1.0).abs() < 1e-6);
    }

    #[test]
    fn a_run_off_the_only_isoflop_level_shrinks_the_variance_of_n_star() {
        let params = ModelParams::Approach1(DEFAULT_APPROACH1);
        let budget = Budget::new(1e22, 1.4e11).unwrap();
        let g = gradient(&params, budget, Quantity::NStar).unwrap();
        let rows = |ns: &[f64]| -> Vec<Vec<f64>> {
            ns.iter()
                .flat_map(|&n| [1.0, 4.0, 16.0, 64.0].map(|k| jacobian_row(&params, n, 1e19 / (6.0 * n), k)))
                .collect()
        };
        // One isoFLOP level: N and D move together (D = C/6N), so the N and D terms are told apart only by
        // their curvature; one run off the level separates them.
        let one_level = information(&rows(&[1e7, 3e7, 1e8, 3e8, 1e9]), 7, 1e-4);
        let mut more = rows(&[1e7, 3e7, 1e8, 3e8, 1e9]);
        more.extend([1.0, 4.0, 16.0, 64.0].map(|k| jacobian_row(&params, 1e8, 1e12, k)));
        let two = information(&more, 7, 1e-4);
        let (v1, v2) = (variance(&one_level, &g).unwrap(), variance(&two, &g).unwrap());
        assert!(v2 < v1 / 3.0, "{v1} → {v2}");
    }
}
