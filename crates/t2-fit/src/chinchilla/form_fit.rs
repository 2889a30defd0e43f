//! Assembles the reported [`FormFit`] of a Chinchilla fit: estimates (with bootstrap intervals when given),
//! objective, diagnostics, bootstrap summary and a prediction for every row of the table.

use t2_core::{Form, ModelParams, RunTable};

use super::resample::ChinchillaBootstrap;
use super::{quantities, ChinchillaFit, ChinchillaOptions};
use crate::formfit;
use crate::report::{FormFit, ObjectiveReport};

/// The report of `fit`, made on rows `used` of `table` (table indices, each once). Every table row gets a
/// prediction: the rows used first, then the others, marked held out. `budgets` are the compute budgets C at
/// which N*, D* and D*/N* are reported. Needs the table's loss column (the fit did).
pub fn form_fit(
    table: &RunTable,
    used: &[usize],
    fit: &ChinchillaFit,
    opts: &ChinchillaOptions,
    budgets: &[f64],
    boot: Option<&ChinchillaBootstrap>,
) -> FormFit {
    let p = fit.params;
    let observed: Vec<f64> = table.loss.clone().unwrap_or_else(|| vec![f64::NAN; table.len()]);
    let predicted = |i: usize| p.loss(table.params[i], table.tokens[i]);
    let mut is_used = vec![false; table.len()];
    used.iter().for_each(|&i| is_used[i] = true);
    let others: Vec<usize> = table.indices_where(|i| !is_used[i]);
    let predictions = formfit::train_and_heldout_predictions(table, used, &others, &observed, predicted);
    let names = quantities::names(budgets);
    let point = quantities::values(&p, budgets);
    let (estimates, bootstrap) = formfit::estimates(
        &names,
        &point,
        boot.map(|b| (b.draws.as_slice(), b.options.level, b.unit.as_str())),
        ModelParams::Chinchilla,
        |d| quantities::values(d, budgets),
    );
    let used_observed: Vec<f64> = used.iter().map(|&i| observed[i]).collect();
    let used_predicted: Vec<f64> = used.iter().map(|&i| predicted(i)).collect();
    FormFit {
        form: Form::Chinchilla,
        task: single_task(table, used),
        target: "loss".into(),
        params: ModelParams::Chinchilla(p),
        estimates,
        objective: ObjectiveReport {
            name: opts.loss.describe(),
            value: fit.multistart.best.cost,
            rows_used: used.len(),
            r_squared: formfit::r_squared(&used_observed, &used_predicted),
        },
        diagnostics: formfit::diagnostics(&fit.multistart, fit.at_bound.clone()),
        bootstrap,
        heldout_relative_error: formfit::heldout_relative_error(&predictions),
        predictions,
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
