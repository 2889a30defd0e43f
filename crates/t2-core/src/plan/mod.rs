//! Compute-optimal planning: for training compute C_train and inference compute per query C_inf, the model
//! size N* on the isoFLOP curve D = C_train / (6N) with k = C_inf / (2N) samples that optimises a fitted form.
//!
//! - Chinchilla: minimise L(N, D) (closed form, [`crate::ChinchillaParams::compute_optimal`]).
//! - Approach 1: minimise E + A·N^−α + B·(6N/C_train)^β + G·(2N/C_inf)^γ (numeric, one root of the FOC
//!   αA·N^−α = βB·(6N/C_train)^β + γG·(2N/C_inf)^γ).
//! - Approach 2: maximise pass@k(N, C_train/(6N), C_inf/(2N)) (numeric).
//!
//! The numeric optimum is searched in ln N over [0, ln(C_train/6)] (N ≥ 1 and D ≥ 1) by a grid bracket and
//! Brent's method ([`minimize`]); whether it is interior is reported in [`PlanPoint::location`].
//!
//! **k < 1 policy.** When C_inf / (2N) < 1 the budget does not pay for one sample, but a model is always
//! sampled at least once: the metric is evaluated at k = 1 (the inference budget is exceeded), the point is
//! flagged [`PlanPoint::k_clipped`], and [`PlanPoint::samples_affordable`] keeps the unclipped C_inf / (2N).
//!
//! Besides the T² optimum, [`plan`] gives two reference points evaluated under the same form with
//! k = C_inf / (2N): the inference-corrected Chinchilla point (the single-pass law's closed-form N*, D*) and
//! the 20:1 rule (D = 20N, so N = √(C_train / 120)).

mod minimize;
mod optimum;

pub use minimize::{minimize_on_interval, Location, Minimum, SCAN_POINTS};
pub use optimum::{
    evaluate, is_better, metric_at, numeric_optimum, optimum, plan, single_pass_law, single_pass_point,
    twenty_to_one_point,
};

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Form;

/// A training budget C_train and an inference budget per query C_inf, in FLOPs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// C_train: training compute 6ND, FLOPs.
    pub train_flops: f64,
    /// C_inf: inference compute per query 2Nk, FLOPs.
    pub inference_flops: f64,
}

impl Budget {
    /// A budget after checking both values are finite and C_train > 6 (so that N ≥ 1, D ≥ 1 exists) and
    /// C_inf > 0.
    pub fn new(train_flops: f64, inference_flops: f64) -> Result<Budget, PlanError> {
        Budget::check_train_flops(train_flops)?;
        if !(inference_flops.is_finite() && inference_flops > 0.0) {
            return Err(PlanError::BadBudget(format!(
                "inference compute {inference_flops} must be finite and > 0 FLOPs"
            )));
        }
        Ok(Budget {
            train_flops,
            inference_flops,
        })
    }

    /// A training compute: finite and > 6 FLOPs (so that N ≥ 1, D ≥ 1 exists). Checked on its own where a
    /// budget is only reported at (the Chinchilla fit's budgets), with no inference side.
    pub fn check_train_flops(train_flops: f64) -> Result<(), PlanError> {
        if train_flops.is_finite() && train_flops > 6.0 {
            Ok(())
        } else {
            Err(PlanError::BadBudget(format!(
                "training compute {train_flops} must be finite and > 6 FLOPs"
            )))
        }
    }
}

/// Why a plan could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    /// A budget that is not a positive finite number of FLOPs.
    BadBudget(String),
    /// The form's metric is not finite anywhere on the isoFLOP curve (e.g. non-finite parameters).
    NoFiniteMetric {
        /// The form planned.
        form: Form,
        /// The budget's C_train.
        train_flops: f64,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::BadBudget(m) => write!(f, "bad budget: {m}"),
            PlanError::NoFiniteMetric { form, train_flops } => write!(
                f,
                "the {} metric is not finite anywhere on the isoFLOP curve C_train = {train_flops:e}",
                form.name()
            ),
        }
    }
}

impl std::error::Error for PlanError {}

/// What a form predicts, and which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Loss (Chinchilla) or task loss under k samples (Approach 1): lower is better.
    Loss,
    /// pass@k accuracy (Approach 2): higher is better.
    PassAtK,
}

impl Metric {
    /// The metric `form` predicts.
    pub fn of(form: Form) -> Metric {
        match form {
            Form::Chinchilla | Form::Approach1 => Metric::Loss,
            Form::Approach2 | Form::Chained => Metric::PassAtK,
        }
    }

    /// "loss" or "pass_at_k".
    pub fn name(self) -> &'static str {
        match self {
            Metric::Loss => "loss",
            Metric::PassAtK => "pass@k",
        }
    }
}

/// One allocation (N, D, k) on a budget and the form's predicted metric there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlanPoint {
    /// C_train of the budget, FLOPs.
    pub train_flops: f64,
    /// C_inf of the budget, FLOPs.
    pub inference_flops: f64,
    /// N.
    pub params: f64,
    /// D = C_train / (6N).
    pub tokens: f64,
    /// D / N.
    pub tokens_per_param: f64,
    /// k = C_inf / (2N), unclipped.
    pub samples_affordable: f64,
    /// k used for the metric: max(C_inf / (2N), 1).
    pub samples: f64,
    /// True when C_inf / (2N) < 1 and k was clipped to 1 (see the module's k < 1 policy).
    pub k_clipped: bool,
    /// The predicted metric at the optimum (loss or pass@k).
    pub metric: f64,
    /// Where the optimum lies on the search interval (inside, or at an end).
    pub location: Location,
}

/// The three allocations [`plan`] reports for one form and budget.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The form's own optimum (for a Chinchilla fit, its closed form).
    pub optimum: PlanPoint,
    /// The single-pass (Chinchilla) N*, D* of the form's loss law, evaluated with k = C_inf / (2N*).
    pub chinchilla: PlanPoint,
    /// The 20:1 rule: D = 20N, N = √(C_train / 120).
    pub twenty_to_one: PlanPoint,
}

#[cfg(test)]
mod tests;
