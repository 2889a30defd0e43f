//! T² Approach 1: the task loss under k samples, L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ.

use serde::{Deserialize, Serialize};

use crate::chinchilla::ChinchillaParams;

/// Parameters of L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ (7 parameters; E, A, B, G > 0).
///
/// At k = 1 it is a Chinchilla law with floor E + G; E is the floor as k → ∞.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Approach1Params {
    #[serde(with = "crate::real")]
    /// E: the loss floor as k → ∞ (natural units).
    pub e: f64,
    #[serde(with = "crate::real")]
    /// A: the scale of the model-size term A/N^α.
    pub a: f64,
    #[serde(with = "crate::real")]
    /// B: the scale of the data term B/D^β.
    pub b: f64,
    #[serde(with = "crate::real")]
    /// G: the scale of the test-time term G/k^γ.
    pub g: f64,
    #[serde(with = "crate::real")]
    /// α: the model-size exponent.
    pub alpha: f64,
    #[serde(with = "crate::real")]
    /// β: the data exponent.
    pub beta: f64,
    #[serde(with = "crate::real")]
    /// γ: the repeated-sampling exponent.
    pub gamma: f64,
}

impl Approach1Params {
    /// Predicted task loss at `params` N, `tokens` D and `k` samples (k real, k ≥ 1).
    ///
    /// # Formula
    ///
    /// L̂(N, D, k) = E + A·N^−α + B·D^−β + G·k^−γ
    ///
    /// # Examples
    ///
    /// ```
    /// use t2_core::simulate::DEFAULT_APPROACH1 as law;
    ///
    /// // Repeated sampling lowers the loss by G·(1 − k^−γ), whatever N and D.
    /// let gain = |n: f64, d: f64| law.loss(n, d, 1.0) - law.loss(n, d, 16.0);
    /// assert!((gain(1e8, 2e9) - gain(1e10, 2e11)).abs() < 1e-12);
    /// assert!((gain(1e8, 2e9) - law.g * (1.0 - 16f64.powf(-law.gamma))).abs() < 1e-12);
    /// ```
    pub fn loss(&self, params: f64, tokens: f64, k: f64) -> f64 {
        self.e
            + self.a * params.powf(-self.alpha)
            + self.b * tokens.powf(-self.beta)
            + self.g * k.powf(-self.gamma)
    }

    /// The single-sample (k = 1) law as a Chinchilla form with floor E + G.
    pub fn at_single_sample(&self) -> ChinchillaParams {
        ChinchillaParams {
            e: self.e + self.g,
            a: self.a,
            b: self.b,
            alpha: self.alpha,
            beta: self.beta,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_sample_is_chinchilla_with_floor_e_plus_g() {
        let p = Approach1Params {
            e: 0.5,
            a: 300.0,
            b: 900.0,
            g: 1.2,
            alpha: 0.3,
            beta: 0.35,
            gamma: 0.4,
        };
        let c = p.at_single_sample();
        assert!((p.loss(1e8, 2e9, 1.0) - c.loss(1e8, 2e9)).abs() < 1e-12);
        // More samples strictly lower the loss, towards the floor E.
        assert!(p.loss(1e8, 2e9, 64.0) < p.loss(1e8, 2e9, 8.0));
        assert!((p.loss(1e30, 1e30, 1e30) - p.e).abs() < 1e-6);
    }
}
