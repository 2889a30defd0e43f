//! An Approach 1 fit as a [`FormFit`]: estimates (with bootstrap intervals when given), objective, R² on the
//! fitted rows, diagnostics, predictions on the fitted and the held-out rows.

use t2_core::{Approach1Params, Form, ModelParams, RunTable};

use super::{Approach1Data, Approach1Fit, Approach1Objective};
use crate::formfit::{
    diagnostics, estimates, heldout_relative_error, r_squared, train_and_heldout_predictions,
};
use crate::report::{FormFit, ObjectiveReport};

/// E or G below this fraction of the smallest fitted loss is reported as at its bound 0.
pub const VANISHING: f64 = 1e-9;

/// Names of the 7 parameters, in the order of [`parameter_values`].
pub fn parameter_names() -> Vec<String> {
    ["E", "A", "B", "G", "alpha", "beta", "gamma"]
        .map(String::from)
        .to_vec()
}

/// (E, A, B, G, α, β, γ).
pub fn parameter_values(p: &Approach1Params) -> Vec<f64> {
    vec![p.e, p.a, p.b, p.g, p.alpha, p.beta, p.gamma]
}

/// The [`FormFit`] of `fit`, made on `train_rows` of `table` (which must have a loss column, as the fit did):
/// predictions for the train rows and, marked held out, for `heldout_rows`; bootstrap intervals from `draws`
/// (refits, None = failed) at `level` when given. `task` names the task or "macro".
pub fn form_fit(
    table: &RunTable,
    train_rows: &[usize],
    heldout_rows: &[usize],
    fit: &Approach1Fit,
    bootstrap: Option<(&[Option<Approach1Params>], f64, &str)>,
    task: Option<String>,
) -> FormFit {
    let names = parameter_names();
    let point = parameter_values(&fit.params);
    let (estimates, summary) = estimates(
        &names,
        &point,
        bootstrap,
        ModelParams::Approach1,
        parameter_values,
    );
    let observed: &[f64] = table.loss.as_deref().unwrap_or(&[]);
    let predict = |i: usize| fit.params.loss(table.params[i], table.tokens[i], table.k[i]);
    let rows_predicted = train_and_heldout_predictions(table, train_rows, heldout_rows, observed, predict);
    let train = &rows_predicted[..train_rows.len()];
    let train_observed: Vec<f64> = train.iter().map(|p| p.observed).collect();
    let train_predicted: Vec<f64> = train.iter().map(|p| p.predicted).collect();
    let objective_value = Approach1Data::new(table, train_rows).map_or(f64::NAN, |data| {
        Approach1Objective::new(&data, fit.options.objective).sum(&fit.search.best.x)
    });
    let min_loss = train_observed.iter().copied().fold(f64::INFINITY, f64::min);
    let mut at_bound: Vec<String> = [
        ("alpha", fit.params.alpha),
        ("beta", fit.params.beta),
        ("gamma", fit.params.gamma),
    ]
    .iter()
    .filter(|(_, v)| *v <= 0.0)
    .map(|(name, _)| format!("{name} <= 0"))
    .collect();
    // E and G are in loss units (G is the k = 1 excess): far below the smallest loss, the log-space
    // parameter has run off towards its bound at 0.
    for (name, value) in [("E", fit.params.e), ("G", fit.params.g)] {
        if value < VANISHING * min_loss {
            at_bound.push(format!("{name} -> 0 (below {VANISHING:e} of the smallest loss)"));
        }
    }
    FormFit {
        form: Form::Approach1,
        task,
        target: "loss".into(),
        params: ModelParams::Approach1(fit.params),
        estimates,
        objective: ObjectiveReport {
            name: fit.options.objective.describe(),
            value: objective_value,
            rows_used: fit.rows_used,
            r_squared: r_squared(&train_observed, &train_predicted),
        },
        diagnostics: diagnostics(&fit.search, at_bound),
        bootstrap: summary,
        heldout_relative_error: heldout_relative_error(&rows_predicted),
        predictions: rows_predicted,
    }
}
