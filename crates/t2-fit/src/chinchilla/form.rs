//! The Chinchilla law as a [`FormFitter`]: which rows it fits (positive finite losses; k = 1 only when
//! `single_pass_only`), the design it needs (3 distinct N and D, more points than free parameters), the fit, a
//! warm refit for the bootstrap and the reported [`FormFit`].

use t2_core::plan::Metric;
use t2_core::{ChinchillaParams, Form, ModelParams, RunTable};

use super::resample::refit;
use super::{bounds_hit, fit, quantities, x_of, ChinchillaFit, ChinchillaOptions, FitData};
use crate::design::{Design, Needs};
use crate::error::FitError;
use crate::form::{Draws, FormFitter, Refitted, Split, Unusable};
use crate::formfit;
use crate::report::{FormFit, ObjectiveReport};

/// The Chinchilla baseline L(N, D) = E + A/N^α + B/D^β, with its options.
#[derive(Debug, Clone, PartialEq)]
pub struct ChinchillaForm {
    /// The options of every fit and refit.
    pub options: ChinchillaOptions,
    /// Compute budgets C at which N*(C), D*(C) and D*/N* are reported.
    pub budgets: Vec<f64>,
    /// Fit only k = 1 rows (the single-pass loss), leaving the others out as unusable.
    pub single_pass_only: bool,
}

impl ChinchillaForm {
    /// Parameters the optimiser moves (not pinned).
    fn free_parameters(&self) -> usize {
        self.options.constraints.iter().filter(|c| !c.is_pinned()).count()
    }
}

impl FormFitter for ChinchillaForm {
    type Fit = ChinchillaFit;
    type Params = ChinchillaParams;

    fn form(&self) -> Form {
        Form::Chinchilla
    }

    fn unusable(&self, table: &RunTable, row: usize) -> Option<Unusable> {
        if self.single_pass_only && table.k[row] != 1.0 {
            return Some(Unusable::NotSingleSample);
        }
        match table.loss.as_ref().map(|l| l[row]) {
            Some(l) if l.is_finite() && l > 0.0 => None,
            Some(0.0) => Some(Unusable::ZeroLoss),
            _ => Some(Unusable::NoFiniteLoss),
        }
    }

    fn check(&self, table: &RunTable, rows: &[usize]) -> Result<(), FitError> {
        if table.loss.is_none() {
            return Err(FitError::MissingColumn {
                form: Form::Chinchilla,
                column: "loss",
                hint: "map one with --col loss=NAME",
            });
        }
        Design::of(table, rows).require(Form::Chinchilla, &Needs::for_law(self.free_parameters(), false))
    }

    fn fit(&self, table: &RunTable, rows: &[usize]) -> Result<ChinchillaFit, FitError> {
        Ok(fit(&FitData::new(table, rows)?, &self.options))
    }

    fn refit(
        &self,
        table: &RunTable,
        rows: &[usize],
        full: &ChinchillaFit,
    ) -> Option<Refitted<ChinchillaParams>> {
        refit(&FitData::new(table, rows).ok()?, full, &self.options).map(|r| Refitted {
            params: r.fit.params,
            guard_won: r.guard_won,
        })
    }

    fn report(
        &self,
        table: &RunTable,
        split: Split,
        fit: &ChinchillaFit,
        draws: Option<Draws<ChinchillaParams>>,
    ) -> FormFit {
        let p = fit.params;
        let observed: Vec<f64> = table.loss.clone().unwrap_or_else(|| vec![f64::NAN; table.len()]);
        let predicted = |i: usize| p.loss(table.params[i], table.tokens[i]);
        let predictions =
            formfit::train_and_heldout_predictions(table, split.train, split.heldout, &observed, predicted);
        let quantities = quantities::quantities(&self.budgets);
        let point = quantities::values(&p, &self.budgets);
        let on_bound =
            |d: &ChinchillaParams| !bounds_hit(&x_of(d), &self.options.constraints, fit.min_loss).is_empty();
        let (estimates, bootstrap) = formfit::estimates(
            &quantities,
            &point,
            draws,
            ModelParams::Chinchilla,
            |d| quantities::values(d, &self.budgets),
            on_bound,
        );
        let used_observed: Vec<f64> = split.train.iter().map(|&i| observed[i]).collect();
        let used_predicted: Vec<f64> = split.train.iter().map(|&i| predicted(i)).collect();
        FormFit {
            form: Form::Chinchilla,
            task: single_task(table, split.train),
            target: Metric::Loss,
            params: ModelParams::Chinchilla(p),
            estimates,
            objective: ObjectiveReport {
                name: self.options.loss.describe(),
                value: fit.multistart.best.cost,
                rows_used: split.train.len(),
                r_squared: formfit::r_squared(&used_observed, &used_predicted),
            },
            diagnostics: formfit::diagnostics(&fit.multistart, fit.at_bound.clone()),
            bootstrap,
            heldout_relative_error: formfit::heldout_relative_error(&predictions),
            predictions,
            rows_left_out: Vec::new(),
            floor: None,
            forecast: None,
            misfit: Vec::new(),
            trust: Default::default(),
        }
    }
}

/// The task of the rows used when they all share one; None otherwise (or without a task column).
fn single_task(table: &RunTable, used: &[usize]) -> Option<String> {
    let first = table.task.as_ref().and(used.first())?;
    let task = table.task_of(*first);
    used.iter()
        .all(|&i| table.task_of(i) == task)
        .then(|| task.to_string())
}
