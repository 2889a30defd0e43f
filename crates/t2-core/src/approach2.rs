//! T² Approach 2: pass@k accuracy through a Beta regression on the Chinchilla loss.

use serde::{Deserialize, Serialize};

use crate::chinchilla::ChinchillaParams;
use crate::special::beta_pass_at_k;

/// Parameters of the Approach 2 model: a single-pass loss law L̂(N, D) and the Beta regression θ0..θ4.
///
/// μ = θ2 / (1 + exp(θ1·(L̂ − θ0))), ν = exp(θ3 + θ4·L̂), a = μν, b = (1 − μ)ν,
/// pass@k = 1 − B(a, b + k) / B(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Approach2Params {
    pub loss: ChinchillaParams,
    pub theta: [f64; 5],
}

impl Approach2Params {
    /// Mean single-sample accuracy at loss L̂: μ = θ2 / (1 + exp(θ1·(L̂ − θ0))).
    pub fn mean_accuracy(&self, loss: f64) -> f64 {
        let [t0, t1, t2, _, _] = self.theta;
        t2 / (1.0 + (t1 * (loss - t0)).exp())
    }

    /// Beta concentration at loss L̂: ν = exp(θ3 + θ4·L̂).
    pub fn concentration(&self, loss: f64) -> f64 {
        (self.theta[3] + self.theta[4] * loss).exp()
    }

    /// Beta shape parameters (a, b) = (μν, (1 − μ)ν) at loss L̂.
    pub fn beta_shape(&self, loss: f64) -> (f64, f64) {
        let mu = self.mean_accuracy(loss);
        let nu = self.concentration(loss);
        (mu * nu, (1.0 - mu) * nu)
    }

    /// pass@k at loss L̂: 1 − B(a, b + k) / B(a, b) with (a, b) from [`Self::beta_shape`].
    pub fn pass_at_k_at_loss(&self, loss: f64, k: f64) -> f64 {
        let (a, b) = self.beta_shape(loss);
        beta_pass_at_k(a, b, k)
    }

    /// pass@k(N, D, k) = pass@k at L̂(N, D) from the single-pass law.
    pub fn pass_at_k(&self, params: f64, tokens: f64, k: f64) -> f64 {
        self.pass_at_k_at_loss(self.loss.loss(params, tokens), k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_at_one_is_mean_accuracy_and_grows_with_k() {
        let p = Approach2Params {
            loss: ChinchillaParams {
                e: 1.7,
                a: 400.0,
                b: 2000.0,
                alpha: 0.34,
                beta: 0.36,
            },
            theta: [2.5, 6.0, 0.9, 1.0, -0.2],
        };
        let l = p.loss.loss(1e8, 2e9);
        assert!((p.pass_at_k(1e8, 2e9, 1.0) - p.mean_accuracy(l)).abs() < 1e-12);
        assert!(p.pass_at_k(1e8, 2e9, 10.0) > p.pass_at_k(1e8, 2e9, 2.0));
        assert!(p.pass_at_k(1e8, 2e9, 1e6) <= 1.0);
    }
}
