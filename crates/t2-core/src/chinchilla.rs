//! The Chinchilla baseline (Hoffmann et al. 2022, "Approach 3"): L(N, D) = E + A/N^α + B/D^β.

use serde::{Deserialize, Serialize};

/// Parameters of L(N, D) = E + A/N^α + B/D^β (A, B, E in natural units, not logs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChinchillaParams {
    #[serde(with = "crate::real")]
    /// E: the irreducible loss.
    pub e: f64,
    #[serde(with = "crate::real")]
    /// A: the scale of the model-size term A/N^α.
    pub a: f64,
    #[serde(with = "crate::real")]
    /// B: the scale of the data term B/D^β.
    pub b: f64,
    #[serde(with = "crate::real")]
    /// α: the model-size exponent.
    pub alpha: f64,
    #[serde(with = "crate::real")]
    /// β: the data exponent.
    pub beta: f64,
}

impl ChinchillaParams {
    /// Hoffmann et al.'s published fit: E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28.
    pub const HOFFMANN: ChinchillaParams = ChinchillaParams {
        e: 1.69,
        a: 406.4,
        b: 410.7,
        alpha: 0.34,
        beta: 0.28,
    };

    /// Predicted loss at `params` N and `tokens` D.
    ///
    /// # Formula
    ///
    /// L(N, D) = E + A·N^−α + B·D^−β
    ///
    /// # Examples
    ///
    /// ```
    /// use t2_core::ChinchillaParams;
    ///
    /// // Chinchilla itself: 70B parameters on 1.4T tokens.
    /// let loss = ChinchillaParams::HOFFMANN.loss(70e9, 1.4e12);
    /// assert!((loss - 1.937).abs() < 1e-3);
    /// ```
    pub fn loss(&self, params: f64, tokens: f64) -> f64 {
        self.e + self.a * params.powf(-self.alpha) + self.b * tokens.powf(-self.beta)
    }

    /// Allocation constant G = (α·A / (β·B))^(1/(α+β)).
    pub fn allocation_constant(&self) -> f64 {
        (self.alpha * self.a / (self.beta * self.b)).powf(1.0 / (self.alpha + self.beta))
    }

    /// Exponent of N* in C: a = β/(α+β).
    pub fn params_exponent(&self) -> f64 {
        self.beta / (self.alpha + self.beta)
    }

    /// Exponent of D* in C: b = α/(α+β).
    pub fn tokens_exponent(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    /// Compute-optimal (N*, D*) for training compute C = 6ND, in closed form.
    ///
    /// # Formula
    ///
    /// N*(C) = G·(C/6)^(β/(α+β)), D*(C) = (C/6)^(α/(α+β)) / G, with G = (α·A / (β·B))^(1/(α+β)).
    ///
    /// # Examples
    ///
    /// ```
    /// use t2_core::ChinchillaParams;
    ///
    /// let (n, d) = ChinchillaParams::HOFFMANN.compute_optimal(5.88e23);
    /// assert!((6.0 * n * d / 5.88e23 - 1.0).abs() < 1e-12); // the budget is spent exactly
    /// // The closed form is the numeric optimum along the isoFLOP: a step either way costs loss.
    /// let l = |n: f64| ChinchillaParams::HOFFMANN.loss(n, 5.88e23 / (6.0 * n));
    /// assert!(l(n) < l(n * 1.01) && l(n) < l(n / 1.01));
    /// ```
    pub fn compute_optimal(&self, train_flops: f64) -> (f64, f64) {
        let g = self.allocation_constant();
        let c6 = train_flops / 6.0;
        (
            g * c6.powf(self.params_exponent()),
            c6.powf(self.tokens_exponent()) / g,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loss_matches_formula() {
        let p = ChinchillaParams::HOFFMANN;
        let expected = 1.69 + 406.4 / 70e9f64.powf(0.34) + 410.7 / 1.4e12f64.powf(0.28);
        assert!((p.loss(70e9, 1.4e12) - expected).abs() < 1e-12);
        // Chinchilla 70B on 1.4T tokens is about 1.94 nats under Hoffmann's fit.
        assert!((p.loss(70e9, 1.4e12) - 1.9367).abs() < 1e-3);
    }

    #[test]
    fn closed_form_spends_the_budget_and_is_stationary() {
        let p = ChinchillaParams::HOFFMANN;
        let c = 5.88e23;
        let (n, d) = p.compute_optimal(c);
        assert!((6.0 * n * d / c - 1.0).abs() < 1e-12);
        // On the isoFLOP curve, moving N by ±0.1% in either direction increases loss.
        let on_curve = |n: f64| p.loss(n, c / (6.0 * n));
        assert!(on_curve(n * 1.001) > on_curve(n));
        assert!(on_curve(n * 0.999) > on_curve(n));
    }
}
