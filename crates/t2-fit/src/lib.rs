//! t2-fit: the fitting engine.
//!
//! - [`objective`]: the [`Objective`] trait every fit implements (value and analytic gradient).
//! - [`lbfgs`]: one local L-BFGS solve through argmin, with honest convergence diagnostics.
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

pub mod approach1;
pub mod approach2;
pub mod bootstrap;
pub mod chinchilla;
pub mod error;
pub mod formfit;
pub mod lbfgs;
pub mod multistart;
pub mod objective;
pub mod reparam;
pub mod report;
pub mod starts;

pub use error::FitError;
pub use lbfgs::{minimize, LbfgsOptions, LocalFit};
pub use multistart::{multistart, multistart_screened, MultiStartFit};
pub use objective::Objective;
pub use reparam::{Constraint, Reparam};
pub use report::{BootstrapSummary, Diagnostics, Estimate, FormFit, ObjectiveReport, Prediction};
