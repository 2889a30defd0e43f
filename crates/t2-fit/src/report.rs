//! What a fit reports: estimates with intervals, diagnostics, bootstrap draws and per-row predictions.
//! Serialised into the fit JSON (see the `t2` crate's `FitFile`), and read back by the planner and plots.

use serde::{Deserialize, Serialize};
use t2_core::{Form, ModelParams};

/// One estimated quantity (a parameter or a derived one such as G or N*(C)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub name: String,
    pub value: f64,
    /// Bootstrap standard error.
    pub se: Option<f64>,
    /// Lower percentile bound at the bootstrap level.
    pub lo: Option<f64>,
    /// Upper percentile bound at the bootstrap level.
    pub hi: Option<f64>,
}

/// How the optimiser ended, reported honestly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub starts: usize,
    /// Starts within 1e-9 relative of the best objective.
    pub starts_at_best: usize,
    pub starts_converged: usize,
    /// Iterations, gradient norm and termination of the best start.
    pub iterations: u64,
    pub grad_norm: f64,
    pub termination: String,
    pub converged: bool,
    /// Names of parameters that ended on a bound (or a pinned value's neighbourhood is not relevant: pinned
    /// parameters are listed in the options, not here).
    pub at_bound: Vec<String>,
}

/// The fit objective at the optimum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveReport {
    /// e.g. "huber(delta=0.001) on ln L, summed".
    pub name: String,
    pub value: f64,
    pub rows_used: usize,
    /// Coefficient of determination of the fitted target on the rows used.
    pub r_squared: f64,
}

/// Bootstrap summary; `draws` holds every successful resample's parameters (for bands on derived quantities).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootstrapSummary {
    pub resamples: usize,
    /// Resamples whose refit did not converge or was not finite; excluded from the intervals.
    pub failed: usize,
    /// Interval level, e.g. 0.95.
    pub level: f64,
    /// Resampling unit: "row", "checkpoint", or a column name.
    pub unit: String,
    /// Names of the covariance rows/columns, in order.
    pub covariance_names: Vec<String>,
    pub covariance: Vec<Vec<f64>>,
    pub draws: Vec<ModelParams>,
}

/// Observed against predicted for one row, for parity plots and extrapolation errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub params: f64,
    pub tokens: f64,
    pub k: f64,
    pub observed: f64,
    pub predicted: f64,
    /// True for rows held out of the fit (extrapolation targets).
    pub heldout: bool,
}

/// Everything about one fitted form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormFit {
    pub form: Form,
    /// Task the fit is for; None when the table has no task column. "macro" marks a macro average.
    pub task: Option<String>,
    /// What the form was fitted to: "loss" or "pass_at_k".
    pub target: String,
    pub params: ModelParams,
    /// Parameters first, then derived quantities.
    pub estimates: Vec<Estimate>,
    pub objective: ObjectiveReport,
    pub diagnostics: Diagnostics,
    pub bootstrap: Option<BootstrapSummary>,
    pub predictions: Vec<Prediction>,
    /// Mean relative absolute error |pred − obs| / |obs| on held-out rows, when any were held out.
    pub heldout_relative_error: Option<f64>,
}
