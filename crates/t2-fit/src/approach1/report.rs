//! An Approach 1 fit as a [`FormFit`]: estimates (with bootstrap intervals when given), objective, R² on the
//! fitted rows, diagnostics, predictions on the fitted and the held-out rows.

use t2_core::plan::Metric;
use t2_core::{Approach1Params, Form, ModelParams, RunTable};

use super::{Approach1Data, Approach1Fit, Approach1Objective};
use crate::form::{Draws, Split};
use crate::formfit::{
    diagnostics, estimates, heldout_relative_error, r_squared, train_and_heldout_predictions, vanishing,
};
use crate::report::{FormFit, Kind, ObjectiveReport, Quantity};

/// The 7 parameters, in the order of [`parameter_values`].
pub fn quantities() -> Vec<Quantity> {
    vec![
        Quantity::new("E", Kind::Scale),
        Quantity::new("A", Kind::Scale),
        Quantity::new("B", Kind::Scale),
        Quantity::new("G", Kind::Scale),
        Quantity::new("alpha", Kind::Exponent),
        Quantity::new("beta", Kind::Exponent),
        Quantity::new("gamma", Kind::Exponent),
    ]
}

/// (E, A, B, G, α, β, γ).
pub fn parameter_values(p: &Approach1Params) -> Vec<f64> {
    vec![p.e, p.a, p.b, p.g, p.alpha, p.beta, p.gamma]
}

/// Parameters of `p` on a bound: an exponent at or below its bound 0, E or G vanishing against the smallest
/// fitted loss `min_loss` (in loss units: G is the k = 1 excess).
pub fn bounds_hit(p: &Approach1Params, min_loss: f64) -> Vec<String> {
    let mut hits: Vec<String> = [("alpha", p.alpha), ("beta", p.beta), ("gamma", p.gamma)]
        .iter()
        .filter(|(_, v)| *v <= 0.0)
        .map(|(name, _)| format!("{name} <= 0"))
        .collect();
    hits.extend(vanishing("E", p.e, min_loss));
    hits.extend(vanishing("G", p.g, min_loss));
    hits
}

/// The [`FormFit`] of `fit`, made on the train rows of `split` (which, like the fit, need a loss column):
/// predictions for the train rows and, marked held out, for the held-out rows; bootstrap intervals from `draws`.
pub fn form_fit(
    table: &RunTable,
    split: Split,
    fit: &Approach1Fit,
    draws: Option<Draws<Approach1Params>>,
) -> FormFit {
    let point = parameter_values(&fit.params);
    let (estimates, summary) = estimates(
        &quantities(),
        &point,
        draws,
        ModelParams::Approach1,
        parameter_values,
        |d| !bounds_hit(d, fit.min_loss).is_empty(),
    );
    let observed: &[f64] = table.loss.as_deref().unwrap_or(&[]);
    let predict = |i: usize| fit.params.loss(table.params[i], table.tokens[i], table.k[i]);
    let rows_predicted = train_and_heldout_predictions(table, split.train, split.heldout, observed, predict);
    let train = &rows_predicted[..split.train.len()];
    let train_observed: Vec<f64> = train.iter().map(|p| p.observed).collect();
    let train_predicted: Vec<f64> = train.iter().map(|p| p.predicted).collect();
    let objective_value = Approach1Data::new(table, split.train).map_or(f64::NAN, |data| {
        Approach1Objective::new(&data, fit.options.objective).sum(&fit.search.best.x)
    });
    FormFit {
        form: Form::Approach1,
        task: None,
        target: Metric::Loss,
        params: ModelParams::Approach1(fit.params),
        estimates,
        objective: ObjectiveReport {
            name: fit.options.objective.describe(),
            value: objective_value,
            rows_used: fit.rows_used,
            r_squared: r_squared(&train_observed, &train_predicted),
        },
        diagnostics: diagnostics(&fit.search, bounds_hit(&fit.params, fit.min_loss)),
        bootstrap: summary,
        heldout_relative_error: heldout_relative_error(&rows_predicted),
        predictions: rows_predicted,
        rows_left_out: Vec::new(),
        floor: None,
        forecast: None,
        misfit: Vec::new(),
        trust: Default::default(),
    }
}
