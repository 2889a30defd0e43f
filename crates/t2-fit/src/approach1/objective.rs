//! The Approach 1 fit objectives in the log-space parameters x = (ln E, ln A, ln B, ln G, α, β, γ), with
//! analytic gradients.

use serde::{Deserialize, Serialize};
use t2_core::Approach1Params;

use super::data::Approach1Data;
use crate::objective::GaussNewtonMatrix;
use crate::Objective;

/// Which discrepancy between predicted and observed loss is summed over rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LossObjective {
    /// Σ w·(L̂ − L)², the paper's.
    Sse,
    /// Σ w·Huber_δ(ln L̂ − ln L), Huber_δ(r) = r²/2 for |r| ≤ δ, else δ(|r| − δ/2) (Hoffmann/Epoch style).
    HuberLn {
        /// δ, where the penalty turns from quadratic to linear.
        delta: f64,
    },
}

impl LossObjective {
    /// Huber on ln loss with half-width `delta` > 0.
    pub fn huber(delta: f64) -> Result<LossObjective, crate::FitError> {
        if delta > 0.0 && delta.is_finite() {
            Ok(LossObjective::HuberLn { delta })
        } else {
            Err(crate::FitError::BadOptions {
                what: "Huber delta",
                message: format!("must be positive and finite, got {delta}"),
            })
        }
    }

    /// A short description for reports.
    pub fn describe(&self) -> String {
        match self {
            LossObjective::Sse => "sse on loss, summed".to_string(),
            LossObjective::HuberLn { delta } => format!("huber(delta={delta}) on ln loss, summed"),
        }
    }

    /// The row's contribution ρ, its derivative dρ/dL̂ and its Gauss–Newton weight c, the quadratic model
    /// ρ(L̂ + h) ≈ ρ + ρ′·h + c·h² that Levenberg–Marquardt steps on: c = 1 for SSE (r = L̂ − L); for Huber on
    /// r = ln L̂ − ln L, ρ″/2 in r times (dr/dL̂)² = 1/L̂²: ½/L̂² within δ and 0 beyond it, where ρ is linear in r
    /// (as in the Chinchilla objective's Huber).
    fn term(&self, predicted: f64, observed: f64) -> (f64, f64, f64) {
        match *self {
            LossObjective::Sse => {
                let r = predicted - observed;
                (r * r, 2.0 * r, 1.0)
            }
            LossObjective::HuberLn { delta } => {
                let r = predicted.ln() - observed.ln();
                let (h, dh, curvature) = if r.abs() <= delta {
                    (0.5 * r * r, r, 0.5)
                } else {
                    (delta * (r.abs() - 0.5 * delta), delta * r.signum(), 0.0)
                };
                (h, dh / predicted, curvature / (predicted * predicted))
            }
        }
    }
}

/// Parameters from x = (ln E, ln A, ln B, ln G, α, β, γ).
pub fn params_from_x(x: &[f64]) -> Approach1Params {
    Approach1Params {
        e: x[0].exp(),
        a: x[1].exp(),
        b: x[2].exp(),
        g: x[3].exp(),
        alpha: x[4],
        beta: x[5],
        gamma: x[6],
    }
}

/// x = (ln E, ln A, ln B, ln G, α, β, γ) from parameters.
pub fn x_from_params(p: &Approach1Params) -> Vec<f64> {
    vec![p.e.ln(), p.a.ln(), p.b.ln(), p.g.ln(), p.alpha, p.beta, p.gamma]
}

/// f(x) = s·Σ_rows w·ρ(L̂(N, D, k), L) with L̂ = e^{x0} + e^{x1 − α ln N} + e^{x2 − β ln D} + e^{x3 − γ ln k}.
///
/// The optimiser sees the sum scaled by s = 1/Σ w·L² (SSE) or s = 1/Σ w (Huber), a mean of relative size: the
/// first L-BFGS step is −∇f, and with the raw sum over ~1,000 rows it jumps so far that the exponentials
/// overflow and the line search fails. [`Approach1Objective::sum`] is the unscaled objective that is reported.
pub struct Approach1Objective<'a> {
    data: &'a Approach1Data,
    loss: LossObjective,
    scale: f64,
}

impl<'a> Approach1Objective<'a> {
    /// The objective of `data` under `loss`.
    pub fn new(data: &'a Approach1Data, loss: LossObjective) -> Self {
        let total: f64 = data
            .rows
            .iter()
            .map(|r| match loss {
                LossObjective::Sse => r.weight * r.loss * r.loss,
                LossObjective::HuberLn { .. } => r.weight,
            })
            .sum();
        Approach1Objective {
            data,
            loss,
            scale: if total > 0.0 { 1.0 / total } else { 1.0 },
        }
    }

    /// The unscaled objective Σ_rows w·ρ(L̂, L) at x.
    pub fn sum(&self, x: &[f64]) -> f64 {
        self.value(x) / self.scale
    }
}

impl Objective for Approach1Objective<'_> {
    fn dim(&self) -> usize {
        7
    }

    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.evaluate(x, grad, None)
    }

    /// Both objectives have a Gauss–Newton model ([`LossObjective`]'s term), so fits are solved by
    /// Levenberg–Marquardt.
    fn has_gauss_newton(&self) -> bool {
        true
    }

    fn gauss_newton(&self, x: &[f64], grad: &mut [f64], jtj: &mut [f64]) -> f64 {
        self.evaluate(x, grad, Some(jtj))
    }
}

impl Approach1Objective<'_> {
    /// f and ∇f; with `jtj` also the Gauss–Newton matrix s·Σ_rows w·c·∇L̂·∇L̂ᵀ (c each row's weight from
    /// [`LossObjective`]'s term; for SSE this is JᵀJ of the residuals √(s·w)·(L̂ − L)), with
    /// ∇L̂ = (E, A/N^α, B/D^β, G/k^γ, −ln N·A/N^α, −ln D·B/D^β, −ln k·G/k^γ).
    fn evaluate(&self, x: &[f64], grad: &mut [f64], jtj: Option<&mut [f64]>) -> f64 {
        let d = self.data;
        let (alpha, beta, gamma) = (x[4], x[5], x[6]);
        let e = x[0].exp();
        let term_a: Vec<f64> = d
            .ln_params
            .iter()
            .map(|ln_n| (x[1] - alpha * ln_n).exp())
            .collect();
        let term_b: Vec<f64> = d
            .ln_tokens
            .iter()
            .map(|ln_d| (x[2] - beta * ln_d).exp())
            .collect();
        let term_g: Vec<f64> = d.ln_k.iter().map(|ln_k| (x[3] - gamma * ln_k).exp()).collect();
        // Σ of dρ/dL̂ per checkpoint and per k value: the chain rule then needs one pass over each.
        let mut slope_checkpoint = vec![0.0; term_a.len()];
        let mut slope_k = vec![0.0; term_g.len()];
        let mut value = 0.0;
        let mut h = GaussNewtonMatrix::<7>::default();
        let gauss_newton = jtj.is_some();
        for row in &d.rows {
            let (a, b, g) = (
                term_a[row.checkpoint],
                term_b[row.checkpoint],
                term_g[row.k_index],
            );
            let predicted = e + a + b + g;
            let (rho, slope, curvature) = self.loss.term(predicted, row.loss);
            value += row.weight * rho;
            slope_checkpoint[row.checkpoint] += row.weight * slope;
            slope_k[row.k_index] += row.weight * slope;
            if gauss_newton {
                let ln_n = d.ln_params[row.checkpoint];
                let ln_d = d.ln_tokens[row.checkpoint];
                let ln_k = d.ln_k[row.k_index];
                h.add(
                    row.weight * curvature,
                    &[e, a, b, g, -ln_n * a, -ln_d * b, -ln_k * g],
                );
            }
        }
        if !value.is_finite() {
            grad.iter_mut().for_each(|g| *g = 0.0);
            return f64::INFINITY;
        }
        let s = self.scale;
        slope_checkpoint
            .iter_mut()
            .chain(slope_k.iter_mut())
            .for_each(|v| *v *= s);
        let sum = |terms: &[f64], slopes: &[f64], logs: Option<&[f64]>| -> f64 {
            terms
                .iter()
                .zip(slopes)
                .enumerate()
                .map(|(i, (t, s))| t * s * logs.map_or(1.0, |l| -l[i]))
                .sum()
        };
        grad[0] = e * slope_k.iter().sum::<f64>();
        grad[1] = sum(&term_a, &slope_checkpoint, None);
        grad[2] = sum(&term_b, &slope_checkpoint, None);
        grad[3] = sum(&term_g, &slope_k, None);
        grad[4] = sum(&term_a, &slope_checkpoint, Some(&d.ln_params));
        grad[5] = sum(&term_b, &slope_checkpoint, Some(&d.ln_tokens));
        grad[6] = sum(&term_g, &slope_k, Some(&d.ln_k));
        if let Some(out) = jtj {
            h.write(s, out);
        }
        s * value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_core::RunTable;

    const TRUTH: Approach1Params = Approach1Params {
        e: 0.4,
        a: 50.0,
        b: 300.0,
        g: 1.3,
        alpha: 0.3,
        beta: 0.28,
        gamma: 0.45,
    };

    /// 16 rows around the truth, each loss off by up to `noise` (relative; 0: on the law).
    fn data_with(noise: f64) -> Approach1Data {
        let mut table = RunTable::default();
        let truth = TRUTH;
        let mut wiggle = 0.0f64;
        for &(n, d) in &[(1e7, 2e9), (5e7, 1e9), (2e8, 4e9), (8e8, 3e10)] {
            for &k in &[1.0, 4.0, 16.0, 100.0] {
                wiggle += 0.37;
                table.params.push(n);
                table.tokens.push(d);
                table.k.push(k);
                table
                    .loss
                    .get_or_insert_with(Vec::new)
                    .push(truth.loss(n, d, k) * (1.0 + noise * wiggle.sin()));
            }
        }
        Approach1Data::new(&table, &(0..table.len()).collect::<Vec<_>>()).unwrap()
    }

    fn data() -> Approach1Data {
        data_with(0.02)
    }

    /// Both objectives have the right Gauss–Newton matrix: on rows exactly on the law (every residual 0, all
    /// within Huber's quadratic zone) the Hessian of f is 2·JᵀJ, checked against central differences of the
    /// gradient; the gradient is value_grad's.
    #[test]
    fn gauss_newton_matrix_is_half_the_hessian_at_a_perfect_fit() {
        let d = data_with(0.0);
        for loss in [LossObjective::Sse, LossObjective::HuberLn { delta: 1e-3 }] {
            gauss_newton_matrix_is_half_the_hessian(&Approach1Objective::new(&d, loss));
        }
    }

    fn gauss_newton_matrix_is_half_the_hessian(obj: &Approach1Objective) {
        assert!(obj.has_gauss_newton());
        let x = x_from_params(&TRUTH);
        let (mut g, mut g_plain, mut jtj) = ([0.0; 7], [0.0; 7], [0.0; 49]);
        let f = obj.gauss_newton(&x, &mut g, &mut jtj);
        assert_eq!(f, obj.value_grad(&x, &mut g_plain));
        assert_eq!(g, g_plain);
        for j in 0..7 {
            let h = 1e-5;
            let (mut up, mut down) = (x.clone(), x.clone());
            up[j] += h;
            down[j] -= h;
            let (mut g_up, mut g_down) = ([0.0; 7], [0.0; 7]);
            obj.value_grad(&up, &mut g_up);
            obj.value_grad(&down, &mut g_down);
            for i in 0..7 {
                let numeric = (g_up[i] - g_down[i]) / (2.0 * h);
                let analytic = 2.0 * jtj[i * 7 + j];
                assert!(
                    (numeric - analytic).abs() <= 1e-5 * (1.0 + analytic.abs()),
                    "H[{i}][{j}]: numeric {numeric} vs 2·JᵀJ {analytic}"
                );
            }
        }
    }

    /// The analytic gradient agrees with central differences (relative 1e-6) for both objectives.
    #[test]
    fn gradient_matches_finite_differences() {
        let data = data();
        let x = [(-0.5f64), 3.5, 6.0, 0.1, 0.33, 0.25, 0.5];
        for loss in [LossObjective::Sse, LossObjective::HuberLn { delta: 0.01 }] {
            let obj = Approach1Objective::new(&data, loss);
            let mut g = vec![0.0; 7];
            obj.value_grad(&x, &mut g);
            for j in 0..7 {
                let h = 1e-6;
                let (mut up, mut down) = (x.to_vec(), x.to_vec());
                up[j] += h;
                down[j] -= h;
                let numeric = (obj.value(&up) - obj.value(&down)) / (2.0 * h);
                assert!(
                    (numeric - g[j]).abs() <= 1e-6 * numeric.abs().max(1e-3),
                    "{loss:?} component {j}: analytic {} numeric {numeric}",
                    g[j]
                );
            }
        }
    }

    #[test]
    fn log_space_round_trip() {
        let p = params_from_x(&[0.1, 2.0, 3.0, -0.5, 0.3, 0.4, 0.5]);
        let x = x_from_params(&p);
        assert!((x[3] + 0.5).abs() < 1e-15 && x[6] == 0.5);
    }
}
