//! T² Approach 2: pass@k accuracy through a Beta regression on the Chinchilla loss.

use serde::{Deserialize, Serialize};

use crate::beta_mixture::BetaMixture;
use crate::chinchilla::ChinchillaParams;
use crate::special::beta_pass_at_k;

/// Parameters of the Approach 2 model: a single-pass loss law L̂(N, D) and the Beta regression θ0..θ4.
///
/// μ = θ2 / (1 + exp(θ1·(L̂ − θ0))), ν = exp(θ3 + θ4·L̂), a = μν, b = (1 − μ)ν,
/// pass@k = 1 − B(a, b + k) / B(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Approach2Params {
    /// The single-pass loss law L̂(N, D) = E + A/N^α + B/D^β that μ and ν are functions of.
    pub loss: ChinchillaParams,
    #[serde(with = "crate::real::array5")]
    /// θ0…θ4: μ = θ2 / (1 + e^{θ1(L̂ − θ0)}), ν = e^{θ3 + θ4·L̂}.
    pub theta: [f64; 5],
}

impl Approach2Params {
    /// Mean single-sample accuracy at loss L̂: μ = θ2 / (1 + exp(θ1·(L̂ − θ0))).
    pub fn mean_accuracy(&self, loss: f64) -> f64 {
        let [t0, t1, t2, _, _] = self.theta;
        t2 / (1.0 + (t1 * (loss - t0)).exp())
    }

    /// (s, 1 − s) with s = 1/(1 + exp(θ1·(L̂ − θ0))), each computed directly (no 1 − s cancellation).
    fn logistic(&self, loss: f64) -> (f64, f64) {
        let x = self.theta[1] * (loss - self.theta[0]);
        (1.0 / (1.0 + x.exp()), 1.0 / (1.0 + (-x).exp()))
    }

    /// Beta concentration at loss L̂: ν = exp(θ3 + θ4·L̂).
    pub fn concentration(&self, loss: f64) -> f64 {
        (self.theta[3] + self.theta[4] * loss).exp()
    }

    /// Beta shape parameters (a, b) = (μν, (1 − μ)ν) at loss L̂, with 1 − μ = (1 − θ2) + θ2·σ(θ1·(L̂ − θ0))
    /// (σ the logistic function) so that b keeps its precision when μ is close to 1.
    pub fn beta_shape(&self, loss: f64) -> (f64, f64) {
        let t2 = self.theta[2];
        let nu = self.concentration(loss);
        let (s, s_complement) = self.logistic(loss);
        (t2 * s * nu, ((1.0 - t2) + t2 * s_complement) * nu)
    }

    /// pass@k at loss L̂: 1 − B(a, b + k) / B(a, b) with (a, b) from [`Self::beta_shape`].
    pub fn pass_at_k_at_loss(&self, loss: f64, k: f64) -> f64 {
        let (a, b) = self.beta_shape(loss);
        beta_pass_at_k(a, b, k)
    }

    /// pass@k at `params` N, `tokens` D and `k` samples: the Beta-binomial pass@k at the single-pass loss L̂(N, D).
    ///
    /// # Formula
    ///
    /// pass@k = 1 − B(a, b + k) / B(a, b), a = μν, b = (1 − μ)ν, μ = θ2 / (1 + e^(θ1·(L̂ − θ0))),
    /// ν = e^(θ3 + θ4·L̂), L̂ = E + A·N^−α + B·D^−β
    ///
    /// # Examples
    ///
    /// ```
    /// use t2_core::simulate::{DEFAULT_APPROACH1, DEFAULT_THETA};
    /// use t2_core::Approach2Params;
    ///
    /// let law = Approach2Params { loss: DEFAULT_APPROACH1.at_single_sample(), theta: DEFAULT_THETA };
    /// // pass@1 is the mean accuracy μ; more samples only help, and never past 1.
    /// let l = law.loss.loss(1e9, 2e10);
    /// assert!((law.pass_at_k(1e9, 2e10, 1.0) - law.mean_accuracy(l)).abs() < 1e-12);
    /// assert!(law.pass_at_k(1e9, 2e10, 64.0) > law.pass_at_k(1e9, 2e10, 8.0));
    /// assert!(law.pass_at_k(1e9, 2e10, 1e6) <= 1.0);
    /// ```
    pub fn pass_at_k(&self, params: f64, tokens: f64, k: f64) -> f64 {
        self.pass_at_k_at_loss(self.loss.loss(params, tokens), k)
    }

    /// pass@k at loss L̂ and its gradient with respect to θ = (θ0, …, θ4), by the chain rule:
    /// with Δ = ln B(a, b + k) − ln B(a, b) and P = 1 − e^Δ, ∂P/∂a = −e^Δ·∂Δ/∂a, ∂P/∂b = −e^Δ·∂Δ/∂b
    /// (digamma differences, [`crate::special::ln_beta_ratio_grad`]); a = μν, b = (1 − μ)ν give ∂P/∂μ = ν·(∂P/∂a − ∂P/∂b) and
    /// ∂P/∂ν = μ·∂P/∂a + (1 − μ)·∂P/∂b; with s = 1/(1 + e^{θ1(L̂ − θ0)}), μ = θ2·s:
    /// ∂μ/∂θ0 = θ2·θ1·s(1 − s), ∂μ/∂θ1 = −θ2·(L̂ − θ0)·s(1 − s), ∂μ/∂θ2 = s; ν = e^{θ3 + θ4·L̂}:
    /// ∂ν/∂θ3 = ν, ∂ν/∂θ4 = ν·L̂.
    pub fn pass_at_k_theta_gradient(&self, loss: f64, k: f64) -> (f64, [f64; 5]) {
        let mut out = (f64::NAN, [f64::NAN; 5]);
        self.pass_at_k_theta_gradients(loss, &[k], |_, p, grad| out = (p, grad));
        out
    }

    /// [`Self::pass_at_k_theta_gradient`] at one L̂ for every k of `ks`, calling `each(i, pass@k_i, ∇θ)`: the
    /// shape (a, b), its derivatives in θ and the k-free parts of Δ ([`BetaMixture`]) are computed once.
    pub fn pass_at_k_theta_gradients(
        &self,
        loss: f64,
        ks: &[f64],
        mut each: impl FnMut(usize, f64, [f64; 5]),
    ) {
        let [t0, t1, t2, _, _] = self.theta;
        let nu = self.concentration(loss);
        let (s, s_complement) = self.logistic(loss);
        let mu = t2 * s;
        let one_minus_mu = (1.0 - t2) + t2 * s_complement;
        let mixture = BetaMixture::new(mu * nu, one_minus_mu * nu);
        let slope = s * s_complement;
        for (i, &k) in ks.iter().enumerate() {
            let (delta, d_a, d_b) = mixture.ln_fail_grad(k);
            let fail = delta.exp();
            let (p_a, p_b) = (-fail * d_a, -fail * d_b);
            let p_mu = nu * (p_a - p_b);
            let p_nu = mu * p_a + one_minus_mu * p_b;
            each(
                i,
                -delta.exp_m1(),
                [
                    p_mu * t2 * t1 * slope,
                    -p_mu * t2 * (loss - t0) * slope,
                    p_mu * s,
                    p_nu * nu,
                    p_nu * nu * loss,
                ],
            );
        }
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

    #[test]
    fn theta_gradient_matches_finite_differences() {
        let mut p = Approach2Params {
            loss: ChinchillaParams::HOFFMANN,
            theta: [2.5, 6.0, 0.9, 1.0, -0.2],
        };
        for theta in [
            [2.5, 6.0, 0.9, 1.0, -0.2],
            [3.1, 2.0, 0.4, -1.0, 0.7],
            [2.0, 12.0, 0.999, 3.0, -1.5],
        ] {
            p.theta = theta;
            for (loss, k) in [(2.2, 1.0), (2.6, 7.5), (3.4, 128.0)] {
                let (value, grad) = p.pass_at_k_theta_gradient(loss, k);
                assert!((value - p.pass_at_k_at_loss(loss, k)).abs() < 1e-15);
                for j in 0..5 {
                    let h = 1e-6 * theta[j].abs().max(0.1);
                    let (mut up, mut down) = (p, p);
                    up.theta[j] += h;
                    down.theta[j] -= h;
                    let numeric =
                        (up.pass_at_k_at_loss(loss, k) - down.pass_at_k_at_loss(loss, k)) / (2.0 * h);
                    assert!(
                        (numeric - grad[j]).abs() <= 1e-7 * grad[j].abs() + 1e-8,
                        "θ={theta:?} L={loss} k={k} j={j}: {numeric} vs {}",
                        grad[j]
                    );
                }
            }
        }
    }
}
