//! What a fit reports: estimates with intervals, diagnostics, bootstrap draws and per-row predictions.
//! Serialised into the fit file (`t2-pipeline`), and read back by the planner, the figures and the report.
//! Non-finite numbers are written as "NaN", "inf" or "-inf" ([`t2_core::real`]) so every file reads back.

use serde::{Deserialize, Serialize};
use t2_core::plan::Metric;
use t2_core::{real, Form, ModelParams};

use crate::trust::evidence::FloorComparison;
use crate::trust::verdict::Trust;

/// What kind of number a quantity is, which says how its spread is reported and how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A positive scale parameter of the law (A, B, E, G): spread as a multiplicative factor; an interval over
    /// many decades means the data do not identify it.
    Scale,
    /// An exponent (α, β, γ): meaningful in (0, 2]; a wide interval means it is not identified.
    Exponent,
    /// A positive derived quantity (N*, D*, the allocation constant): spread as a multiplicative factor.
    Derived,
    /// Anything else (θ of Approach 2, exponent shares): additive SE.
    Other,
}

impl Kind {
    /// Whether the quantity is positive and its spread is reported on a log scale.
    pub fn is_log_scale(self) -> bool {
        matches!(self, Kind::Scale | Kind::Derived)
    }
}

/// A named quantity of a form's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// The quantity's name, e.g. "alpha" or "N*(1e21)".
    pub name: String,
    /// What kind of number it is.
    pub kind: Kind,
}

impl Quantity {
    /// A quantity named `name` of kind `kind`.
    pub fn new(name: impl Into<String>, kind: Kind) -> Quantity {
        Quantity {
            name: name.into(),
            kind,
        }
    }
}

/// One estimated quantity (a parameter or a derived one such as N*(C)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The quantity's name.
    pub name: String,
    /// What kind of number it is.
    pub kind: Kind,
    #[serde(with = "real")]
    /// The estimate (the full fit's).
    pub value: f64,
    /// Bootstrap standard error, for quantities on a linear scale (None for log-scale ones: see `factor`).
    #[serde(with = "real::option")]
    pub se: Option<f64>,
    /// For positive quantities on a log scale: the draws spread by ×/÷ this factor (e^SD of their logs).
    #[serde(with = "real::option")]
    pub factor: Option<f64>,
    /// Lower percentile bound at the bootstrap level.
    #[serde(with = "real::option")]
    pub lo: Option<f64>,
    /// Upper percentile bound at the bootstrap level.
    #[serde(with = "real::option")]
    pub hi: Option<f64>,
    /// Finite draws the interval rests on.
    pub draws: usize,
}

/// How the optimiser ended, reported honestly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    /// Starts solved.
    pub starts: usize,
    /// Starts within 1e-9 relative of the best objective.
    pub starts_at_best: usize,
    /// Starts whose solver converged.
    pub starts_converged: usize,
    /// Iterations, gradient norm and termination of the best start.
    pub iterations: u64,
    #[serde(with = "real")]
    /// The gradient norm at the optimum.
    pub grad_norm: f64,
    /// Why the best start's solver stopped.
    pub termination: String,
    /// Whether it converged.
    pub converged: bool,
    /// Parameters that ended on a bound, each with what the bound is (pinned parameters are in the options).
    pub at_bound: Vec<String>,
}

impl Diagnostics {
    /// The diagnostics of a fit without a search (a closed form, a fixture): one start, converged, stopped for
    /// `termination`.
    pub fn without_search(termination: &str) -> Diagnostics {
        Diagnostics {
            starts: 1,
            starts_at_best: 1,
            starts_converged: 1,
            iterations: 0,
            grad_norm: 0.0,
            termination: termination.to_string(),
            converged: true,
            at_bound: vec![],
        }
    }
}

/// The fit objective at the optimum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveReport {
    /// e.g. "huber(delta=0.001) on ln L, summed".
    pub name: String,
    #[serde(with = "real")]
    /// Its value at the optimum.
    pub value: f64,
    /// Rows in the objective.
    pub rows_used: usize,
    /// Coefficient of determination of the fitted target on the rows used.
    #[serde(with = "real")]
    pub r_squared: f64,
}

/// Bootstrap summary; `draws` holds every successful resample's parameters (for bands on derived quantities).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootstrapSummary {
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples whose refit did not converge, was not finite, or whose rows could not identify the form;
    /// excluded from the intervals.
    pub failed: usize,
    /// Successful draws with a parameter on a bound (see the form's bounds), kept in the intervals.
    pub draws_at_bound: usize,
    /// Refits whose guard (starts other than the full fit's optimum) found a better basin than the warm start.
    #[serde(default)]
    pub guard_won: usize,
    /// Interval level, e.g. 0.95.
    pub level: f64,
    /// Resampling unit: "row", "checkpoint", or a column name.
    pub unit: String,
    /// Names of the covariance rows/columns, in order.
    pub covariance_names: Vec<String>,
    #[serde(with = "real::matrix")]
    /// The bootstrap covariance of the estimates, in `covariance_names` order.
    pub covariance: Vec<Vec<f64>>,
    /// The parameters of every successful refit.
    pub draws: Vec<ModelParams>,
}

/// Observed against predicted for one row, for parity plots and extrapolation errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// N.
    pub params: f64,
    /// D.
    pub tokens: f64,
    /// k.
    pub k: f64,
    #[serde(with = "real")]
    /// The observed metric.
    pub observed: f64,
    #[serde(with = "real")]
    /// The fitted law's prediction.
    pub predicted: f64,
    /// True for rows held out of the fit (extrapolation targets).
    pub heldout: bool,
}

/// Rows of the fit's input that the form could not use, for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsLeftOut {
    /// Why.
    pub reason: String,
    /// How many rows.
    pub count: usize,
}

/// A naive forecaster the law is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Baseline {
    /// Each size's last fitted checkpoint (largest D) carried forward, at the same k.
    Persistence,
    /// A quadratic in ln D per size and k, fitted to all of that size's checkpoints, held out ones included: an
    /// in-sample reference for the noise between neighbouring checkpoints, which no law of (N, D) can be
    /// expected to beat.
    SmoothCurve,
}

impl Baseline {
    /// "persistence" or "smooth curve (in-sample)".
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Persistence => "persistence",
            Baseline::SmoothCurve => "smooth curve (in-sample)",
        }
    }
}

/// A baseline's error on the held-out rows where it can forecast, beside the form's on the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BaselineError {
    /// The baseline.
    pub baseline: Baseline,
    /// Held-out rows it could forecast.
    pub rows: usize,
    /// Its mean relative |error| there.
    #[serde(with = "real")]
    pub error: f64,
    /// The form's mean relative |error| on the same rows.
    #[serde(with = "real")]
    pub form_error: f64,
}

/// The forecast check: the form fitted without the held-out checkpoints, its error on them, and the baselines'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Which checkpoints were held out, in words.
    pub protocol: String,
    /// Whether the fit reported beside this forecast was made on every row (the forecast then comes from a
    /// separate fit without the held-out checkpoints), or is itself the fit without them.
    pub refit_on_all: bool,
    /// The metric the errors are in: the form's target (the loss, or pass@k).
    pub metric: Metric,
    /// Held-out rows forecast.
    pub rows: usize,
    /// Held-out checkpoints forecast.
    pub checkpoints: usize,
    /// The form's mean relative |error| on them.
    #[serde(with = "real")]
    pub error: f64,
    /// The baselines' errors.
    pub baselines: Vec<BaselineError>,
}

impl Forecast {
    /// The error of `baseline`, when it could forecast any row.
    pub fn baseline(&self, baseline: Baseline) -> Option<&BaselineError> {
        self.baselines.iter().find(|b| b.baseline == baseline)
    }
}

/// One model size's share of a fit's misfit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeMisfit {
    /// N.
    #[serde(with = "real")]
    pub params: f64,
    /// The model's name (a `model` column), when the table has one and it is the same for every row of N.
    pub model: Option<String>,
    /// Fitted rows of this size.
    pub rows: usize,
    /// Mean residual, observed − predicted, in the form's target.
    #[serde(with = "real")]
    pub mean_residual: f64,
    /// Share of the fit's squared residuals.
    #[serde(with = "real")]
    pub share: f64,
    /// Share of the fitted rows (a size whose `share` is far above it misfits most).
    #[serde(with = "real")]
    pub row_share: f64,
}

impl SizeMisfit {
    /// The filter that refits without this size: `model == "…"` (single quotes when the name holds a double
    /// one; the filter language has no escapes), or `params == N`.
    pub fn exclude_filter(&self) -> String {
        match &self.model {
            Some(model) if !model.contains('"') => format!("model == \"{model}\""),
            Some(model) if !model.contains('\'') => format!("model == '{model}'"),
            _ => format!("params == {}", self.params),
        }
    }
}

/// Everything about one fitted form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormFit {
    /// The form fitted.
    pub form: Form,
    /// Task the fit is for; None when the table has no task column. "macro" marks a macro average.
    pub task: Option<String>,
    /// What the form predicts: the loss, or pass@k.
    pub target: Metric,
    /// The fitted parameters.
    pub params: ModelParams,
    /// Parameters first, then derived quantities.
    pub estimates: Vec<Estimate>,
    /// The objective at the optimum, and R².
    pub objective: ObjectiveReport,
    /// How the search ended.
    pub diagnostics: Diagnostics,
    /// The bootstrap, when one ran.
    pub bootstrap: Option<BootstrapSummary>,
    /// Observed against predicted for every row fitted or held out.
    pub predictions: Vec<Prediction>,
    /// Mean relative absolute error |pred − obs| / |obs| on held-out rows, when any were held out.
    #[serde(with = "real::option")]
    pub heldout_relative_error: Option<f64>,
    /// Rows given to the fit that this form could not use (e.g. k ≠ 1 for a single-pass law).
    #[serde(default)]
    pub rows_left_out: Vec<RowsLeftOut>,
    /// The form's error in −ln pass@k beside the per-checkpoint Beta-binomial floor (sampled input only).
    #[serde(default)]
    pub floor: Option<FloorComparison>,
    /// The forecast check, when one ran.
    #[serde(default)]
    pub forecast: Option<Forecast>,
    /// Each model size's share of the misfit, largest share first.
    #[serde(default)]
    pub misfit: Vec<SizeMisfit>,
    /// How far to trust the fit, with the reasons.
    #[serde(default)]
    pub trust: Trust,
}

impl FormFit {
    /// "Approach 1" or "Approach 1 (task qa)".
    pub fn label(&self) -> String {
        match &self.task {
            Some(task) => format!("{} (task {task})", self.form.label()),
            None => self.form.label().to_string(),
        }
    }

    /// The estimate named `name`.
    pub fn estimate(&self, name: &str) -> Option<&Estimate> {
        self.estimates.iter().find(|e| e.name == name)
    }
}
