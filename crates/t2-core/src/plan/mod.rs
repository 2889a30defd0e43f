//! Compute-optimal planning: the allocation (N, D, k) that optimises a fitted form under a budget.
//!
//! - Budgets ([`Budget`]): the paper's, training compute C_train = 6ND and inference compute per query C_inf;
//!   or a lifetime (Sardana et al. 2024), one total C_total = 6ND + Q·C_inf(N, k) for Q queries.
//! - The deployment ([`Deployment`]): what a query costs, C_inf(N, k) = 2N·(P + k·T) (the paper's 2Nk by
//!   default); how much unique data there is (the law then sees D′, Muennighoff et al. 2023); a model that
//!   already exists.
//! - The forms: Chinchilla minimises L(N, D) (closed form on a per-query budget with unlimited data,
//!   [`crate::ChinchillaParams::compute_optimal`]); Approach 1 minimises L̂(N, D, k); Approach 2 maximises
//!   pass@k. Per query the optimum is searched in ln N on the isoFLOP D = C_train/(6N); over a lifetime the
//!   split between D and k is searched at each N as well ([`allocate`]).
//! - Targets ([`Target`]): the cheapest budget whose optimum reaches a loss or a pass@k ([`plan_target`]).
//!
//! Searches are a grid bracket and Brent's method ([`minimize`]); whether the optimum is interior is reported in
//! [`PlanPoint::location`].
//!
//! **k < 1 policy.** When a per-query C_inf does not pay for one sample, a model is still sampled once: the
//! metric is evaluated at k = 1 (the inference budget is exceeded), the point is flagged
//! [`PlanPoint::k_clipped`], and [`PlanPoint::samples_affordable`] keeps the unclipped value.
//!
//! Besides the optimum, [`plan`] gives two reference rules evaluated under the same form and deployment
//! ([`Rule`]): the inference-corrected Chinchilla path (the single-pass law's compute-optimal D(N)) and the
//! 20:1 rule (D = 20N).

mod deployment;
mod minimize;
mod optimum;
mod target;

pub use deployment::{DataLimit, Deployment, FixedModel, InferenceCost, MUENNIGHOFF_REPETITION_HORIZON};
pub use minimize::{minimize_on_interval, minimize_scanned, Location, Minimum, SCAN_POINTS};
pub use optimum::{
    allocate, is_better, metric_at, numeric_optimum, optimum, optimum_near, plan, point, rule_point,
    single_pass_law, uses_samples, Rule,
};
pub use target::{cheapest, plan_target, spent_scale, Target, TargetOutcome, TARGET_CEILING_FLOPS};

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Form;

/// What a plan may spend, in FLOPs.
///
/// # Examples
///
/// ```
/// use t2_core::plan::Budget;
///
/// let paper = Budget::new(1e21, 1.4e11).unwrap(); // C_train, and C_inf per query
/// let lifetime = Budget::lifetime(1e24, 1e9).unwrap(); // C_total over 1e9 queries
/// assert_eq!((paper.scale(), lifetime.scale()), (1e21, 1e24));
/// assert!(Budget::new(1e21, 0.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Budget {
    /// The paper's: 6ND ≤ C_train and C_inf(N, k) ≤ C_inf per query.
    PerQuery {
        /// C_train: training compute 6ND, FLOPs.
        train_flops: f64,
        /// C_inf: inference compute per query, FLOPs.
        inference_flops: f64,
    },
    /// A lifetime (Sardana et al. 2024): 6ND + Q·C_inf(N, k) ≤ C_total.
    Lifetime {
        /// C_total: training and all inference, FLOPs.
        total_flops: f64,
        /// Q: queries served over the model's life.
        queries: f64,
    },
}

impl Budget {
    /// The paper's budget after checking C_train (finite, > 6 so that N ≥ 1, D ≥ 1 exists) and C_inf (finite,
    /// > 0).
    ///
    /// # Errors
    ///
    /// [`PlanError::BadBudget`] naming the value.
    pub fn new(train_flops: f64, inference_flops: f64) -> Result<Budget, PlanError> {
        Budget::check_train_flops(train_flops)?;
        positive("inference compute", inference_flops, "FLOPs")?;
        Ok(Budget::PerQuery {
            train_flops,
            inference_flops,
        })
    }

    /// A lifetime budget after checking C_total (finite, > 6) and Q (finite, > 0).
    ///
    /// # Errors
    ///
    /// [`PlanError::BadBudget`] naming the value.
    pub fn lifetime(total_flops: f64, queries: f64) -> Result<Budget, PlanError> {
        above_six("lifetime compute", total_flops)?;
        positive("queries", queries, "")?;
        Ok(Budget::Lifetime { total_flops, queries })
    }

    /// A training compute: finite and > 6 FLOPs (so that N ≥ 1, D ≥ 1 exists). Checked on its own where a
    /// budget is only reported at (the Chinchilla fit's budgets), with no inference side.
    ///
    /// # Errors
    ///
    /// [`PlanError::BadBudget`] naming the value.
    pub fn check_train_flops(train_flops: f64) -> Result<(), PlanError> {
        above_six("training compute", train_flops)
    }

    /// The budget's size: C_train per query, C_total over a lifetime (the axis of a frontier).
    pub fn scale(&self) -> f64 {
        match *self {
            Budget::PerQuery { train_flops, .. } => train_flops,
            Budget::Lifetime { total_flops, .. } => total_flops,
        }
    }

    /// The same budget at another size ([`Budget::scale`]).
    pub fn with_scale(self, scale: f64) -> Budget {
        match self {
            Budget::PerQuery { inference_flops, .. } => Budget::PerQuery {
                train_flops: scale,
                inference_flops,
            },
            Budget::Lifetime { queries, .. } => Budget::Lifetime {
                total_flops: scale,
                queries,
            },
        }
    }
}

/// A compute that pays for N = 1 and D = 1: finite and > 6 FLOPs.
fn above_six(what: &str, flops: f64) -> Result<(), PlanError> {
    if flops.is_finite() && flops > 6.0 {
        Ok(())
    } else {
        Err(PlanError::BadBudget(format!(
            "{what} {flops} must be finite and > 6 FLOPs"
        )))
    }
}

fn positive(what: &str, value: f64, unit: &str) -> Result<(), PlanError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(PlanError::BadBudget(
            format!("{what} {value} must be finite and > 0 {unit}")
                .trim_end()
                .to_string(),
        ))
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Budget::PerQuery {
                train_flops,
                inference_flops,
            } => write!(
                f,
                "C_train = {train_flops:.3e} with C_inf = {inference_flops:.3e} per query"
            ),
            Budget::Lifetime { total_flops, queries } => {
                write!(f, "C_total = {total_flops:.3e} over {queries:.3e} queries")
            }
        }
    }
}

/// Why a plan could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    /// A budget, cost or model that is not a positive finite number.
    BadBudget(String),
    /// A budget that does not pay for the smallest allocation (or for the model that exists).
    Unaffordable(String),
    /// The form's metric is not finite anywhere on the isoFLOP curve (e.g. non-finite parameters).
    NoFiniteMetric {
        /// The form planned.
        form: Form,
        /// The budget's size ([`Budget::scale`]).
        train_flops: f64,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::BadBudget(m) => write!(f, "bad budget: {m}"),
            PlanError::Unaffordable(m) => write!(f, "unaffordable: {m}"),
            PlanError::NoFiniteMetric { form, train_flops } => write!(
                f,
                "the {} metric is not finite anywhere on the budget of size {train_flops:e} FLOPs",
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
    /// Training compute 6ND, FLOPs (C_train of a per-query budget).
    pub train_flops: f64,
    /// Inference compute per query: the per-query budget's C_inf, or C_inf(N, k) = 2N·(P + kT) over a lifetime.
    pub inference_flops: f64,
    /// Over a lifetime, 6ND + Q·C_inf(N, k) FLOPs.
    pub total_flops: Option<f64>,
    /// N.
    pub params: f64,
    /// D, tokens trained on.
    pub tokens: f64,
    /// D / N.
    pub tokens_per_param: f64,
    /// D′, what the law sees: D with unlimited data, less under a data limit.
    pub effective_tokens: f64,
    /// D / U, epochs over the unique data, under a data limit.
    pub epochs: Option<f64>,
    /// k the budget pays for, unclipped.
    pub samples_affordable: f64,
    /// k used for the metric: max(affordable, 1).
    pub samples: f64,
    /// True when the budget pays for less than one sample and k was clipped to 1 (the k < 1 policy).
    pub k_clipped: bool,
    /// The predicted metric at the allocation (loss or pass@k).
    pub metric: f64,
    /// Where the optimum lies on the search interval of N (inside, or at an end), or `rule` when N was not
    /// optimised.
    pub location: Location,
}

/// The allocations [`plan`] reports for one form and budget (or [`plan_target`] for one target).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The form's own optimum (for a Chinchilla fit per query with unlimited data, its closed form).
    pub optimum: PlanPoint,
    /// The single-pass (Chinchilla) path of the form's loss law, evaluated under the form; none for a model
    /// that exists.
    pub chinchilla: Option<PlanPoint>,
    /// The 20:1 rule, D = 20N; none for a model that exists.
    pub twenty_to_one: Option<PlanPoint>,
    /// The target planned for, and whether the optimum reaches it.
    pub target: Option<TargetOutcome>,
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_deployment;
