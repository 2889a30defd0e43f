//! T² Approach 2: pass@k accuracy through a Beta regression on the single-pass loss, fitted in two stages
//! (Roberts et al. 2026):
//!
//! 1. [`stage1`]: L̂(N, D) = E + A/N^α + B/D^β on the k = 1 loss, weighted least squares with inverse-variance
//!    weights across isoFLOP groups ([`weights`]); E profiled over 40 values in [0.01, 0.95]·min L (default) or
//!    all five parameters free.
//! 2. [`stage2`]: θ0..θ4 of μ = θ2/(1 + e^{θ1(L̂ − θ0)}), ν = e^{θ3 + θ4·L̂}, pass@k = 1 − B(μν, (1 − μ)ν + k)
//!    / B(μν, (1 − μ)ν), by least squares on pass@k over all rows, from a grid seeded by a sigmoid fit of pass@1.
//!
//! [`fit`] makes the full fit, [`refit`] a cheap warm-started one for bootstrap resamples, [`form_fit`] the
//! report. Rows are table indices; repeats (a bootstrap resample) multiply a row's weight.

pub mod chained;
pub mod data;
pub mod projection;
mod report;
pub mod stage1;
pub mod stage2;
pub mod weights;

use serde::{Deserialize, Serialize};
use t2_core::{Approach2Params, Form, RunTable};

use crate::form::{Draws, FormFitter, Refitted, Split, Unusable};
use crate::lbfgs::LbfgsOptions;
use crate::multistart::Screen;
use crate::report::FormFit;
use crate::FitError;
pub use chained::{ChainedForm, PRETRAIN_LOSS};
pub use data::Approach2Data;
pub use report::{bounds_hit, form_fit, form_fit_of, parameter_values, quantities};
pub use stage1::{Stage1Fit, Stage1Method};
pub use stage2::{Stage2Fit, Stage2Rows};

/// How an Approach 2 fit searches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approach2Options {
    /// How stage 1 fits the loss law.
    pub stage1: Stage1Method,
    /// α and β values over which stage 1's projected starts are ranked: the full α × β grid at every profiled E
    /// (default 0.05 to 2 in steps of 0.05: 1,600 pairs).
    pub exponent_grid: Vec<f64>,
    /// Stage 2 starts: ν at the median L̂.
    pub nu_grid: Vec<f64>,
    /// Stage 2 starts: θ4 × range of L̂.
    pub slope_grid: Vec<f64>,
    /// Stage 2 design starts added to the warm start in a bootstrap refit.
    pub refit_starts: usize,
    /// Screening of the stage 2 design (None: every start solved fully).
    #[serde(default)]
    pub screen: Option<Screen>,
    /// The local solver's settings.
    pub lbfgs: LbfgsOptions,
}

/// The stage 2 screening by default: 20 iterations a start, the best 10 solved fully.
pub const STAGE2_SCREEN: Screen = Screen { iters: 20, keep: 10 };

impl Default for Approach2Options {
    fn default() -> Self {
        Approach2Options {
            stage1: Stage1Method::ProfileE {
                values: 40,
                polish: stage1::PROFILE_POLISHED,
            },
            exponent_grid: (1..=40).map(|i| i as f64 / 20.0).collect(),
            nu_grid: vec![0.1, 1.0, 10.0, 100.0],
            slope_grid: vec![-4.0, -1.0, 0.0, 1.0, 4.0],
            refit_starts: 1,
            screen: Some(STAGE2_SCREEN),
            lbfgs: LbfgsOptions {
                max_iters: 3000,
                tol_grad: 1e-10,
                tol_cost: 1e-16,
                memory: 10,
            },
        }
    }
}

/// A fitted Approach 2 model with both stages' outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct Approach2Fit {
    /// The loss law and θ.
    pub params: Approach2Params,
    /// Stage 1: the loss law L̂(N, D).
    pub stage1: Stage1Fit,
    /// Stage 2: θ of the Beta model.
    pub stage2: Stage2Fit,
    /// The options of the fit.
    pub options: Approach2Options,
}

/// Fits Approach 2 to `rows` of `table` (one task; repeats allowed). Errors when the rows cannot identify the
/// form (see [`Approach2Data::new`]) or a stage's objective is not finite at any start.
pub fn fit(table: &RunTable, rows: &[usize], options: &Approach2Options) -> Result<Approach2Fit, FitError> {
    fit_with(table, rows, options, None)
}

/// A cheap refit on other rows (a bootstrap resample), warm-started from `full`: stage 1 searches the E grid
/// from the full fit's E outwards by continuation, one solve per E, to the nearest local minimum of the profile
/// ([`stage1::PROFILE_PATIENCE`]); stage 2 starts from the full fit's θ plus `refit_starts` design starts. None when the rows cannot identify the form or a stage fails.
pub fn refit(table: &RunTable, rows: &[usize], full: &Approach2Fit) -> Option<Refitted<Approach2Params>> {
    fit_with(table, rows, &full.options, Some(full))
        .ok()
        .map(|f| Refitted {
            params: f.params,
            guard_won: f.stage2.guard_won,
        })
}

/// Approach 2 as a [`FormFitter`]: rows with a pass@k (stage 1 picks the k = 1 rows with a finite loss).
#[derive(Debug, Clone, PartialEq)]
pub struct Approach2Form {
    /// The options of every fit and refit.
    pub options: Approach2Options,
}

impl FormFitter for Approach2Form {
    type Fit = Approach2Fit;
    type Params = Approach2Params;

    fn form(&self) -> Form {
        Form::Approach2
    }

    fn unusable(&self, table: &RunTable, _row: usize) -> Option<Unusable> {
        table.pass_at_k.is_none().then_some(Unusable::NoPassAtK)
    }

    fn check(&self, table: &RunTable, rows: &[usize]) -> Result<(), FitError> {
        Approach2Data::new(table, rows).map(|_| ())
    }

    fn fit(&self, table: &RunTable, rows: &[usize]) -> Result<Approach2Fit, FitError> {
        fit(table, rows, &self.options)
    }

    fn refit(
        &self,
        table: &RunTable,
        rows: &[usize],
        full: &Approach2Fit,
    ) -> Option<Refitted<Approach2Params>> {
        refit(table, rows, full)
    }

    fn report(
        &self,
        table: &RunTable,
        split: Split,
        fit: &Approach2Fit,
        draws: Option<Draws<Approach2Params>>,
    ) -> FormFit {
        report::form_fit(table, split, fit, draws)
    }
}

fn fit_with(
    table: &RunTable,
    rows: &[usize],
    options: &Approach2Options,
    warm: Option<&Approach2Fit>,
) -> Result<Approach2Fit, FitError> {
    let data = Approach2Data::new(table, rows)?;
    let stage1 = stage1::fit_stage1(
        table,
        &data.stage1,
        options.stage1,
        &options.exponent_grid,
        &options.lbfgs,
        warm.map(|w| w.stage1.x.as_slice()),
    )?;
    let stage2_rows = Stage2Rows::new(table, &data.stage2, &stage1.params);
    let grid = stage2::Stage2Design {
        nu_grid: &options.nu_grid,
        slope_grid: &options.slope_grid,
        screen: options.screen,
    };
    let stage2 = stage2::fit_stage2(
        stage1.params,
        &stage2_rows,
        &grid,
        &options.lbfgs,
        warm.map(|w| (w.stage2.theta, options.refit_starts)),
    )?;
    Ok(Approach2Fit {
        params: Approach2Params {
            loss: stage1.params,
            theta: stage2.theta,
        },
        stage1,
        stage2,
        options: options.clone(),
    })
}

#[cfg(test)]
mod tests;
