//! t2-pipeline: the T² job as a library, for the `t2` command line and the Python package alike.
//!
//! - [`sweep::fit_sweep`]: fit a sweep as a [`request::FitRequest`] asks: every form the data support (or those
//!   named), per task and macro average (or pooled), with bootstrap intervals, a holdout, and a verdict on each
//!   fit; returns a [`fitfile::FitFile`].
//! - [`plan`]: compute-optimal N*, D*, k* per form and budget, with bootstrap bands and a verdict per budget.
//! - [`figures::render_all`]: the frontier, isoFLOP, parity and metric-against-k figures.
//! - [`compare`]: several fits side by side and their frontiers overlaid.
//! - [`run::run_job`]: all of it in one call, as `t2 run` does.
//! - [`tables`]: the text people read (estimates, summaries, comparisons).
//!
//! ```
//! use t2_core::simulate::{isoflop_checkpoints, simulate_runs, SimulationSpec, TaskTruth, DEFAULT_APPROACH1};
//! use t2_pipeline::request::FitRequest;
//! use t2_pipeline::sweep::{fit_sweep, Silent};
//!
//! // A small simulated sweep with a known Approach 1 law, fitted without a bootstrap.
//! let spec = SimulationSpec {
//!     checkpoints: isoflop_checkpoints(6, 5).iter().map(|&(n, d, _)| (n, d)).collect(),
//!     k_grid: vec![1.0, 4.0, 16.0, 64.0],
//!     tasks: vec![TaskTruth { name: "sim".into(), approach1: Some(DEFAULT_APPROACH1), approach2: None }],
//!     noise: 0.01,
//!     problems: None,
//!     seed: 1,
//! };
//! let table = simulate_runs(&spec).unwrap().table;
//! let ingested = t2_ingest::ingest_table(&table, "simulated.csv").unwrap();
//! let request = FitRequest { bootstrap: None, ..FitRequest::sweep() };
//! let file = fit_sweep(&ingested, &request, vec!["doc".into()], &Silent).unwrap();
//! let a1 = file.fits.iter().find(|f| f.form == t2_core::Form::Approach1).unwrap();
//! assert!((a1.estimate("gamma").unwrap().value - DEFAULT_APPROACH1.gamma).abs() < 0.02);
//! ```
#![warn(missing_docs)]

pub mod advisor;
pub mod choices;
pub mod compare;
pub mod coverage;
pub mod defaults;
pub mod error;
pub mod figures;
pub mod fitfile;
pub mod floor;
pub mod forecast;
pub mod frames;
pub mod html;
pub mod misfit;
pub mod notebook;
pub mod plan;
pub mod recommend;
pub mod repetition;
pub mod report;
pub mod request;
pub mod run;
pub mod setting;
pub mod sidecar;
pub mod simulate;
pub mod sweep;
pub mod tables;
pub mod threads;
pub mod units;

pub use error::Error;
pub use fitfile::FitFile;
pub use request::FitRequest;

#[cfg(test)]
extern crate self as t2_pipeline;

#[cfg(test)]
#[path = "../tests/fixture/mod.rs"]
pub(crate) mod testing;
