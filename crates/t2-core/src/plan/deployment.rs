//! What a plan assumes about the world beyond the budget: what a query costs at inference, how much unique
//! training data exists, and whether the model already exists.

use serde::{Deserialize, Serialize};

use super::PlanError;

/// What one query costs at inference: its prompt of P tokens is prefilled once and shared by its k samples
/// through the KV cache, and each sample generates T tokens.
///
/// # Formula
///
/// C_inf(N, k) = 2N·(P + k·T) FLOPs per query. The paper's cost, 2Nk, is P = 0, T = 1 ([`InferenceCost::PAPER`]).
///
/// # Examples
///
/// ```
/// use t2_core::plan::InferenceCost;
///
/// let cost = InferenceCost::new(1000.0, 250.0).unwrap();
/// // A 7B model answering with 8 samples: the prompt once, 8 × 250 generated tokens.
/// assert_eq!(cost.flops(7e9, 8.0), 2.0 * 7e9 * (1000.0 + 8.0 * 250.0));
/// // The samples a per-query budget pays for invert it.
/// assert!((cost.samples(7e9, cost.flops(7e9, 8.0)) - 8.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InferenceCost {
    /// P: prompt tokens per query, prefilled once.
    pub prompt_tokens: f64,
    /// T: tokens generated per sample.
    pub tokens_per_sample: f64,
}

impl InferenceCost {
    /// The paper's cost: one token per sample and no prompt, C_inf = 2Nk.
    pub const PAPER: InferenceCost = InferenceCost {
        prompt_tokens: 0.0,
        tokens_per_sample: 1.0,
    };

    /// A cost after checking P is finite and ≥ 0 and T finite and > 0.
    ///
    /// # Errors
    ///
    /// [`PlanError::BadBudget`] naming the value.
    pub fn new(prompt_tokens: f64, tokens_per_sample: f64) -> Result<InferenceCost, PlanError> {
        if !(prompt_tokens.is_finite() && prompt_tokens >= 0.0) {
            return Err(PlanError::BadBudget(format!(
                "prompt tokens {prompt_tokens} must be finite and ≥ 0"
            )));
        }
        super::positive("tokens per sample", tokens_per_sample, "")?;
        Ok(InferenceCost {
            prompt_tokens,
            tokens_per_sample,
        })
    }

    /// C_inf(N, k) = 2N·(P + k·T), FLOPs per query.
    pub fn flops(&self, params: f64, samples: f64) -> f64 {
        2.0 * params * (self.prompt_tokens + samples * self.tokens_per_sample)
    }

    /// The samples a per-query budget pays for: k = (C_inf/(2N) − P) / T (below 1, or negative, when it does
    /// not pay for one).
    pub fn samples(&self, params: f64, inference_flops: f64) -> f64 {
        (inference_flops / (2.0 * params) - self.prompt_tokens) / self.tokens_per_sample
    }

    /// Tokens served per query at k samples: P + k·T.
    pub fn tokens(&self, samples: f64) -> f64 {
        self.prompt_tokens + samples * self.tokens_per_sample
    }
}

impl Default for InferenceCost {
    fn default() -> Self {
        InferenceCost::PAPER
    }
}

/// R*_D of Muennighoff et al. 2023 ("Scaling Data-Constrained Language Models", App. A, their fit): the number
/// of repeated epochs after which repeated data has lost 1 − 1/e of its value.
pub const MUENNIGHOFF_REPETITION_HORIZON: f64 = 15.387_756;

/// Limited unique data: U unique tokens, repeated when a run trains on more, each repetition worth less
/// (Muennighoff et al. 2023).
///
/// # Formula
///
/// D′ = D for D ≤ U; else D′ = U + U·R*_D·(1 − e^(−R_D/R*_D)) with R_D = D/U − 1 repeated epochs. D′ is
/// continuous with slope 1 at D = U and tends to U·(1 + R*_D) as D grows; as R*_D → ∞ it is D.
///
/// # Examples
///
/// ```
/// use t2_core::plan::DataLimit;
///
/// let wall = DataLimit::muennighoff(1e12).unwrap();
/// assert_eq!(wall.effective_tokens(5e11), 5e11); // within the unique data: every token counts
/// // Four epochs are worth almost four: 3.73 unique-token equivalents.
/// assert!((wall.effective_tokens(4e12) / 1e12 - 3.7).abs() < 0.06);
/// // Far past the horizon, more epochs add almost nothing.
/// assert!(wall.effective_tokens(1e15) <= 1e12 * (1.0 + 15.387756));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DataLimit {
    /// U: unique tokens available.
    pub unique_tokens: f64,
    /// R*_D: the repetition horizon in epochs.
    pub repetition_horizon: f64,
}

impl DataLimit {
    /// U unique tokens with R*_D = [`MUENNIGHOFF_REPETITION_HORIZON`].
    ///
    /// # Errors
    ///
    /// As [`DataLimit::new`].
    pub fn muennighoff(unique_tokens: f64) -> Result<DataLimit, PlanError> {
        DataLimit::new(unique_tokens, MUENNIGHOFF_REPETITION_HORIZON)
    }

    /// A limit after checking U ≥ 1 and R*_D > 0, both finite.
    ///
    /// # Errors
    ///
    /// [`PlanError::BadBudget`] naming the value.
    pub fn new(unique_tokens: f64, repetition_horizon: f64) -> Result<DataLimit, PlanError> {
        if !(unique_tokens.is_finite() && unique_tokens >= 1.0) {
            return Err(PlanError::BadBudget(format!(
                "unique tokens {unique_tokens} must be finite and ≥ 1"
            )));
        }
        super::positive("repetition horizon R*_D", repetition_horizon, "epochs")?;
        Ok(DataLimit {
            unique_tokens,
            repetition_horizon,
        })
    }

    /// D′, the unique-token equivalent of training on D tokens (see the type's formula).
    pub fn effective_tokens(&self, tokens: f64) -> f64 {
        let u = self.unique_tokens;
        if tokens <= u {
            return tokens;
        }
        let r_star = self.repetition_horizon;
        // −expm1(−x) = 1 − e^(−x), exact for the small x of a few repeated epochs.
        u + u * r_star * -(-(tokens / u - 1.0) / r_star).exp_m1()
    }

    /// Epochs over the unique data: D / U.
    pub fn epochs(&self, tokens: f64) -> f64 {
        tokens / self.unique_tokens
    }
}

/// A model that already exists: its N, and its D when it is trained (else the plan chooses D).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FixedModel {
    /// N.
    pub params: f64,
    /// D, when the model is trained.
    pub tokens: Option<f64>,
}

impl FixedModel {
    /// A model after checking N ≥ 1 and D ≥ 1, finite.
    ///
    /// # Errors
    ///
    /// [`PlanError::BadBudget`] naming the value.
    pub fn new(params: f64, tokens: Option<f64>) -> Result<FixedModel, PlanError> {
        for (what, v) in [("parameters", Some(params)), ("tokens", tokens)] {
            if let Some(v) = v.filter(|v| !(v.is_finite() && *v >= 1.0)) {
                return Err(PlanError::BadBudget(format!(
                    "the model's {what} {v} must be finite and ≥ 1"
                )));
            }
        }
        Ok(FixedModel { params, tokens })
    }
}

/// Everything a plan assumes besides its budget. The default is the paper's: C_inf = 2Nk, unlimited data, and
/// the model still to be chosen.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Deployment {
    /// What a query costs.
    pub cost: InferenceCost,
    /// The unique data, when it is limited.
    pub data: Option<DataLimit>,
    /// The model, when it already exists.
    pub model: Option<FixedModel>,
}

impl Deployment {
    /// The tokens the law sees for D trained tokens: D′ under a data limit, else D.
    pub fn effective_tokens(&self, tokens: f64) -> f64 {
        self.data.map_or(tokens, |d| d.effective_tokens(tokens))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_tokens_is_d_within_the_unique_data_and_tends_to_its_ceiling() {
        let wall = DataLimit::muennighoff(1e10).unwrap();
        for d in [1.0, 1e5, 3e9, 1e10] {
            assert_eq!(wall.effective_tokens(d), d);
        }
        // Continuous with slope 1 at D = U.
        let u = 1e10;
        let slope = (wall.effective_tokens(u * (1.0 + 1e-6)) - u) / (u * 1e-6);
        assert!((slope - 1.0).abs() < 1e-5, "{slope}");
        // Monotone and below both D and the ceiling U(1 + R*).
        let ceiling = u * (1.0 + MUENNIGHOFF_REPETITION_HORIZON);
        let mut last = u;
        for epochs in [1.5, 2.0, 4.0, 16.0, 64.0, 200.0] {
            let d = wall.effective_tokens(epochs * u);
            assert!(d > last && d < epochs * u && d < ceiling, "{epochs}");
            last = d;
        }
        assert!((wall.effective_tokens(1e9 * u) / ceiling - 1.0).abs() < 1e-12);
        // Muennighoff's worked value: R_D = R*_D repeated epochs are worth U(1 + R*(1 − 1/e)).
        let d = u * (1.0 + MUENNIGHOFF_REPETITION_HORIZON);
        let expected = u * (1.0 + MUENNIGHOFF_REPETITION_HORIZON * (1.0 - (-1.0f64).exp()));
        assert!((wall.effective_tokens(d) / expected - 1.0).abs() < 1e-14);
    }

    #[test]
    fn an_endless_horizon_gives_back_d() {
        let wall = DataLimit::new(1e10, 1e12).unwrap();
        for epochs in [2.0, 4.0, 40.0] {
            let d = epochs * 1e10;
            assert!((wall.effective_tokens(d) / d - 1.0).abs() < 1e-9, "{epochs}");
        }
    }

    #[test]
    fn the_papers_cost_is_2nk() {
        let paper = InferenceCost::PAPER;
        assert_eq!(paper.flops(1e9, 1.0), 2e9);
        assert_eq!(paper.samples(1e9, 2e9), 1.0);
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(InferenceCost::new(-1.0, 1.0).is_err() && InferenceCost::new(0.0, 0.0).is_err());
        assert!(InferenceCost::new(f64::NAN, 1.0).is_err());
        assert!(DataLimit::muennighoff(0.5).is_err() && DataLimit::new(1e9, 0.0).is_err());
        assert!(DataLimit::new(1e9, f64::INFINITY).is_err());
        assert!(FixedModel::new(0.0, None).is_err() && FixedModel::new(1e9, Some(f64::NAN)).is_err());
        assert!(FixedModel::new(1e9, Some(2e10)).is_ok());
    }
}
