//! The best a law of the Beta family can do at one checkpoint: the per-problem success rates p ~ Beta(a, b)
//! fitted by maximum likelihood to the checkpoint's own problems, each with c correct of n samples
//! (Beta-binomial), then pass@k = 1 − B(a, b + k)/B(a, b). Any T² law that predicts a Beta at each checkpoint
//! from (N, D) can do no better there; comparing a form's error with this floor tells a misfit in the k-shape
//! from one in the (N, D) part.
//!
//! Log-likelihood, up to the constant Σ ln C(n, c):
//! ℓ(a, b) = Σ_i m_i·ln[B(a + c_i, b + n_i − c_i) / B(a, b)] = Σ_i m_i·[Δ(a, b, n_i − c_i) + Δ(b + n_i − c_i, a, c_i)]
//! with Δ(x, y, k) = ln[B(x, y + k)/B(x, y)] ([`t2_core::special::ln_beta_ratio`]; B is symmetric, so the second
//! term is the p^c factor). Maximised by L-BFGS over the mean and concentration, x = (logit μ, ln ν) with
//! a = μν, b = (1 − μ)ν, bounded to |logit μ| ≤ 40 and ln ν ∈ [−15, 30] (a checkpoint with almost no correct
//! sample has its optimum on the edge of the space, not at infinity), from three concentrations at the pooled
//! rate.

use t2_core::special::{beta_pass_at_k, ln_beta_ratio_grad};

use crate::lbfgs::{minimize, LbfgsOptions};
use crate::objective::Objective;
use crate::reparam::{Constraint, Reparam};

/// Bounds of x = (logit μ, ln ν).
const BOUNDS: [Constraint; 2] = [
    Constraint::Interval(-40.0, 40.0),
    Constraint::Interval(-15.0, 30.0),
];

/// (n, c, m): m problems with c correct of n samples.
pub type Count = (f64, f64, f64);

/// A fitted Beta(a, b) of one checkpoint's success rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BetaFit {
    /// a of Beta(a, b).
    pub a: f64,
    /// b of Beta(a, b).
    pub b: f64,
    /// Mean log-likelihood per problem at the optimum (constant ln C(n, c) left out).
    pub log_likelihood: f64,
}

impl BetaFit {
    /// pass@k of the fitted Beta: 1 − B(a, b + k)/B(a, b).
    pub fn pass_at_k(&self, k: f64) -> f64 {
        beta_pass_at_k(self.a, self.b, k)
    }
}

/// −ℓ(a, b) / Σm over x = (logit μ, ln ν), a = μν, b = (1 − μ)ν, with its gradient.
struct NegativeLikelihood<'a> {
    counts: &'a [Count],
    total: f64,
}

impl Objective for NegativeLikelihood<'_> {
    fn dim(&self) -> usize {
        2
    }

    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let (mu, one_minus_mu) = (1.0 / (1.0 + (-x[0]).exp()), 1.0 / (1.0 + x[0].exp()));
        let nu = x[1].exp();
        let (a, b) = (mu * nu, one_minus_mu * nu);
        let (mut value, mut da, mut db) = (0.0, 0.0, 0.0);
        for &(n, c, m) in self.counts {
            // Δ(a, b, n − c): the (1 − p)^(n − c) factor; Δ(b + n − c, a, c): the p^c factor.
            let (fail, fail_a, fail_b) = ln_beta_ratio_grad(a, b, n - c);
            let (hit, hit_b, hit_a) = ln_beta_ratio_grad(b + n - c, a, c);
            value += m * (fail + hit);
            da += m * (fail_a + hit_a);
            db += m * (fail_b + hit_b);
        }
        // ∂a/∂logit μ = ν·μ(1 − μ) = −∂b/∂logit μ; ∂a/∂ln ν = a, ∂b/∂ln ν = b.
        let s = -1.0 / self.total;
        grad[0] = s * (da - db) * nu * mu * one_minus_mu;
        grad[1] = s * (da * a + db * b);
        if value.is_finite() {
            s * value
        } else {
            f64::INFINITY
        }
    }
}

/// The maximum-likelihood Beta of `counts` (at least one problem); None when no start converged to a finite
/// optimum.
pub fn fit(counts: &[Count]) -> Option<BetaFit> {
    let total: f64 = counts.iter().map(|c| c.2).sum();
    let samples: f64 = counts.iter().map(|c| c.0 * c.2).sum();
    let correct: f64 = counts.iter().map(|c| c.1 * c.2).sum();
    if !(total > 0.0 && samples > 0.0) {
        return None;
    }
    let rate = (correct / samples).clamp(1e-12, 1.0 - 1e-12);
    let objective = NegativeLikelihood { counts, total };
    let bounded = Reparam::new(&objective, &BOUNDS);
    let options = LbfgsOptions {
        max_iters: 500,
        tol_grad: 1e-9,
        tol_cost: 1e-14,
        memory: 5,
    };
    let logit = (rate / (1.0 - rate)).ln();
    [-1.0, 1.0, 4.0]
        .iter()
        .map(|&ln_nu| minimize(&bounded, &bounded.to_free(&[logit, ln_nu]), &options))
        .filter(|f| f.cost.is_finite())
        .min_by(|p, q| p.cost.total_cmp(&q.cost))
        .map(|best| {
            let x = bounded.to_model(&best.x);
            let (mu, nu) = (1.0 / (1.0 + (-x[0]).exp()), x[1].exp());
            BetaFit {
                a: mu * nu,
                b: (1.0 / (1.0 + x[0].exp())) * nu,
                log_likelihood: -best.cost,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_core::rng::Rng;

    /// Problems drawn from a known Beta: the fit recovers it, and its pass@k matches the problems' own.
    #[test]
    fn recovers_a_known_beta() {
        let (a, b) = (0.4, 3.0);
        let mut rng = Rng::new(5);
        let counts: Vec<Count> = (0..4000)
            .map(|_| {
                let p = rng.beta(a, b);
                let c = (0..64).filter(|_| rng.uniform() < p).count();
                (64.0, c as f64, 1.0)
            })
            .collect();
        let fit = fit(&counts).unwrap();
        assert!((fit.a / a - 1.0).abs() < 0.08, "{fit:?}");
        assert!((fit.b / b - 1.0).abs() < 0.1, "{fit:?}");
        let truth = beta_pass_at_k(a, b, 16.0);
        assert!((fit.pass_at_k(16.0) / truth - 1.0).abs() < 0.03);
    }

    /// The gradient of the likelihood agrees with central differences.
    #[test]
    fn gradient_matches_finite_differences() {
        let counts = [
            (10.0, 3.0, 2.0),
            (128.0, 0.0, 5.0),
            (50.0, 50.0, 1.0),
            (7.0, 1.0, 3.0),
        ];
        let objective = NegativeLikelihood {
            counts: &counts,
            total: 11.0,
        };
        for x in [[-1.0, 0.5], [0.3, 2.0], [-3.0, -1.0], [-12.0, 9.0]] {
            let mut g = [0.0; 2];
            objective.value_grad(&x, &mut g);
            for j in 0..2 {
                let h = 1e-6;
                let (mut up, mut down) = (x, x);
                up[j] += h;
                down[j] -= h;
                let numeric = (objective.value(&up) - objective.value(&down)) / (2.0 * h);
                assert!(
                    (numeric - g[j]).abs() < 1e-6 * (1.0 + g[j].abs()),
                    "{x:?} {j}: {numeric} vs {}",
                    g[j]
                );
            }
        }
    }
}
