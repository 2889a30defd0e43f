//! t2-fit: the fitting engine.
//!
//! - [`form`]: [`FormFitter`], the one shape of every form (usable rows, identifiability check, fit, refit,
//!   report), and [`fit_form`], the driver that fits and bootstraps any of them.
//! - [`any`]: [`Fitter`], any form chosen at run time (the one registration of the forms).
//! - [`beta_binomial`]: the per-checkpoint Beta-binomial, the floor any law of the Beta family can reach.
//! - [`design`]: what a set of rows can identify, and what each form needs.
//! - [`trust`]: the verdict on a fit (`ok`, `caution`, `unreliable`) with its reasons.
//! - [`objective`]: the [`Objective`] trait every fit implements (value and analytic gradient).
//! - [`lbfgs`]: one local L-BFGS solve through argmin, with honest convergence diagnostics.
//! - [`marquardt`]: Levenberg–Marquardt for objectives with a Gauss–Newton model.
//! - [`nnls`]: exact non-negative least squares for a few unknowns (the projected starts).
//! - [`multistart`]: many starts in parallel (rayon), deterministic whatever the thread count.
//! - [`starts`]: start designs (grids, seeded random).
//! - [`bootstrap`]: seeded, thread-independent bootstrap (rows or clusters) with percentile intervals.
//! - [`chinchilla`]: the Chinchilla baseline fit (log-sum-exp, Huber), Epoch-compatible.
//! - [`approach1`]: T² Approach 1, task loss with a G/k^γ term.
//! - [`approach2`]: T² Approach 2, Beta-regression pass@k in two stages.
//! - [`reparam`]: pinned and bounded parameters, mapped for an unconstrained optimiser.
//! - [`formfit`]: R², predictions, held-out error, diagnostics and bootstrap summaries for any form's report.
//! - [`report`]: what a fit reports (estimates, intervals, diagnostics, predictions), serialisable.
//! - [`error`]: [`FitError`], why a fit could not be made.

#![warn(missing_docs)]

pub mod any;
pub mod approach1;
pub mod approach2;
pub mod beta_binomial;
pub mod bootstrap;
pub mod chinchilla;
pub mod design;
pub mod error;
pub mod form;
pub mod formfit;
pub mod lbfgs;
pub mod marquardt;
pub mod multistart;
pub mod nnls;
pub mod objective;
pub mod reparam;
pub mod report;
pub mod starts;
pub mod trust;

pub use any::{Fitter, FormOptions};
pub use error::FitError;
pub use form::{fit_form, usable_rows, Draws, FormFitter, Refitted, Resampling, Split, Unusable};
pub use lbfgs::{minimize, LbfgsOptions, LocalFit};
pub use multistart::{
    guarded, multistart, multistart_screened, multistart_with, Guarded, MultiStartFit, Screen,
};
pub use objective::Objective;
pub use reparam::{Constraint, Reparam};
pub use report::{
    Baseline, BaselineError, BootstrapSummary, Diagnostics, Estimate, Forecast, FormFit, Kind,
    ObjectiveReport, Prediction, Quantity, RowsLeftOut, SizeMisfit,
};
pub use trust::{Trust, Verdict};
