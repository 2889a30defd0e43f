//! T² Approach 1: the task loss under k samples, L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ, fitted to the
//! `loss` column over all (checkpoint, k) rows.
//!
//! - Parameters in log space where positive: x = (ln E, ln A, ln B, ln G, α, β, γ).
//! - Objective: Σ w·(L̂ − L)² (the paper's, default) or Σ w·Huber_δ(ln L̂ − ln L) ([`LossObjective`]).
//! - Search ([`Approach1Starts`]): variable-projection starts by default ([`projection`]: NNLS for
//!   (E, A, B, G) over an exponent grid, the best grid point of each basin polished), or the paper's seeded
//!   design of data-scaled random starts ([`design`]); each start solved in parallel, the best kept
//!   deterministically (lowest cost, then lowest start index).
//! - Bootstrap refits ([`refit`]): warm start from the full fit plus a few diverse starts of the design.

pub mod data;
pub mod design;
pub mod objective;
pub mod projection;
mod report;
mod starts;

use serde::{Deserialize, Serialize};
use t2_core::{Approach1Params, Form, RunTable};

use crate::design::Needs;
use crate::form::{Draws, FormFitter, Refitted, Split, Unusable};
use crate::lbfgs::LbfgsOptions;
use crate::multistart::{guarded, multistart, MultiStartFit};
use crate::report::FormFit;
use crate::FitError;
pub use data::Approach1Data;
pub use objective::{params_from_x, x_from_params, Approach1Objective, LossObjective};
pub use report::{bounds_hit, form_fit, parameter_values, quantities};
pub use starts::{Approach1Starts, PAPER_STARTS, PROJECTED_POLISHED};

/// How an Approach 1 fit searches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Approach1Options {
    /// The objective summed over rows.
    pub objective: LossObjective,
    /// Starts of the full fit.
    pub starts: Approach1Starts,
    /// Seed of the random start design (random starts and the refits' guard).
    pub seed: u64,
    /// Design starts added to the warm start in each bootstrap refit.
    pub refit_starts: usize,
    /// The local solver's settings.
    pub lbfgs: LbfgsOptions,
}

impl Default for Approach1Options {
    fn default() -> Self {
        Approach1Options {
            objective: LossObjective::Sse,
            starts: Approach1Starts::Projected {
                polish: PROJECTED_POLISHED,
            },
            seed: 0,
            refit_starts: 3,
            lbfgs: LbfgsOptions {
                max_iters: 5000,
                tol_grad: 1e-10,
                tol_cost: 0.0,
                memory: 10,
            },
        }
    }
}

/// A fitted Approach 1 law and how the search ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Approach1Fit {
    /// The best parameters found.
    pub params: Approach1Params,
    /// Rows (with multiplicity) the fit used.
    pub rows_used: usize,
    /// The smallest fitted loss (E → 0 and G → 0 are judged against it).
    pub min_loss: f64,
    /// The multi-start search that found them.
    pub search: MultiStartFit,
    /// The options of the fit.
    pub options: Approach1Options,
}

/// What an Approach 1 fit needs of its rows: 3 distinct N, D and k, and more (N, D, k) points than its 7
/// parameters.
pub const NEEDS: Needs = Needs {
    params: crate::design::MIN_DISTINCT,
    tokens: crate::design::MIN_DISTINCT,
    k: crate::design::MIN_DISTINCT,
    points: data::FREE_PARAMETERS + 1,
};

/// Fits L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ to the loss of `rows` of `table` (one task; repeats allowed).
/// Errors when the rows cannot identify the form (see [`Approach1Data::new`]).
pub fn fit(table: &RunTable, rows: &[usize], options: &Approach1Options) -> Result<Approach1Fit, FitError> {
    if options.starts.count() == 0 {
        return Err(FitError::BadOptions {
            what: "Approach 1 starts",
            message: "at least one start".into(),
        });
    }
    let data = Approach1Data::new(table, rows)?;
    let objective = Approach1Objective::new(&data, options.objective);
    let starts = options.starts.generate(&data, options.objective, options.seed);
    if starts.is_empty() {
        return Err(FitError::NotFinite {
            form: Form::Approach1,
            stage: "projected starts",
        });
    }
    let search = multistart(&objective, &starts, &options.lbfgs);
    if !search.best.cost.is_finite() {
        return Err(FitError::NotFinite {
            form: Form::Approach1,
            stage: "loss",
        });
    }
    Ok(Approach1Fit {
        params: params_from_x(&search.best.x),
        rows_used: rows.len(),
        min_loss: data.loss_range().0,
        search,
        options: *options,
    })
}

/// A cheap, robust refit on other rows (a bootstrap resample): a local solve from the full fit's optimum, guarded
/// ([`crate::multistart::guarded`]) by the first `refit_starts` starts of the design (seeded by the fit's seed). None (a failed resample) when
/// the rows cannot identify the form or the best solve did not converge ([`crate::LocalFit::converged`]).
pub fn refit(table: &RunTable, rows: &[usize], full: &Approach1Fit) -> Option<Refitted<Approach1Params>> {
    let data = Approach1Data::new(table, rows).ok()?;
    let objective = Approach1Objective::new(&data, full.options.objective);
    let guard = design::starts_for(&data, full.options.refit_starts, full.options.seed);
    let outcome = guarded(&objective, &full.search.best.x, &guard, &full.options.lbfgs);
    let best = &outcome.search.best;
    (best.cost.is_finite() && best.converged).then(|| Refitted {
        params: params_from_x(&best.x),
        guard_won: outcome.guard_won,
    })
}

/// Approach 1 as a [`FormFitter`]: rows with a positive, finite loss; the design of [`NEEDS`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Approach1Form {
    /// The options of every fit and refit.
    pub options: Approach1Options,
}

impl FormFitter for Approach1Form {
    type Fit = Approach1Fit;
    type Params = Approach1Params;

    fn form(&self) -> Form {
        Form::Approach1
    }

    fn unusable(&self, table: &RunTable, row: usize) -> Option<Unusable> {
        match table.loss.as_ref().map(|l| l[row]) {
            Some(l) if l.is_finite() && l > 0.0 => None,
            Some(0.0) => Some(Unusable::ZeroLoss),
            _ => Some(Unusable::NoFiniteLoss),
        }
    }

    fn check(&self, table: &RunTable, rows: &[usize]) -> Result<(), FitError> {
        data::check_rows(table, rows)
    }

    fn fit(&self, table: &RunTable, rows: &[usize]) -> Result<Approach1Fit, FitError> {
        fit(table, rows, &self.options)
    }

    fn refit(
        &self,
        table: &RunTable,
        rows: &[usize],
        full: &Approach1Fit,
    ) -> Option<Refitted<Approach1Params>> {
        refit(table, rows, full)
    }

    fn report(
        &self,
        table: &RunTable,
        split: Split,
        fit: &Approach1Fit,
        draws: Option<Draws<Approach1Params>>,
    ) -> FormFit {
        report::form_fit(table, split, fit, draws)
    }
}

#[cfg(test)]
mod tests;
