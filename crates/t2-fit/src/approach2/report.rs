//! An Approach 2 fit as a [`FormFit`]: the 10 parameters (loss law and θ) with bootstrap intervals when given,
//! the stage 2 objective and R² on pass@k, both stages' diagnostics, predictions on the fitted and held-out rows.

use t2_core::{Approach2Params, Form, ModelParams, RunTable};

use super::stage2::THETA_NAMES;
use super::Approach2Fit;
use crate::formfit::{estimates, heldout_relative_error, train_and_heldout_predictions};
use crate::report::{Diagnostics, FormFit, ObjectiveReport};

/// Names of the 10 parameters, in the order of [`parameter_values`].
pub fn parameter_names() -> Vec<String> {
    let law = ["E", "A", "B", "alpha", "beta"];
    law.iter()
        .chain(THETA_NAMES.iter())
        .map(|s| s.to_string())
        .collect()
}

/// (E, A, B, α, β, θ0, …, θ4).
pub fn parameter_values(p: &Approach2Params) -> Vec<f64> {
    let mut v = vec![p.loss.e, p.loss.a, p.loss.b, p.loss.alpha, p.loss.beta];
    v.extend_from_slice(&p.theta);
    v
}

/// Both stages in one [`Diagnostics`]: stage 2's optimiser numbers, a termination naming both stages,
/// converged only when both did, and the parameters on a bound of either (stage 1's prefixed).
fn combined_diagnostics(fit: &Approach2Fit) -> Diagnostics {
    let (one, two) = (&fit.stage1.diagnostics, &fit.stage2.diagnostics);
    let mut at_bound: Vec<String> = one.at_bound.iter().map(|b| format!("stage 1: {b}")).collect();
    at_bound.extend(two.at_bound.iter().cloned());
    Diagnostics {
        termination: format!(
            "stage 1 ({}, {} starts at the best E, converged: {}): {}; stage 2 ({} starts): {}",
            fit.options.stage1.describe(),
            one.starts,
            one.converged,
            one.termination,
            two.starts,
            two.termination
        ),
        converged: one.converged && two.converged,
        at_bound,
        ..two.clone()
    }
}

/// The [`FormFit`] of `fit`, made on `train_rows` of `table` (which must have a pass_at_k column, as the fit
/// did): predictions of pass@k for the train rows and, marked held out, for `heldout_rows`; bootstrap intervals
/// from `draws` (refits, None = failed) at `level` when given. `task` names the task or "macro".
pub fn form_fit(
    table: &RunTable,
    train_rows: &[usize],
    heldout_rows: &[usize],
    fit: &Approach2Fit,
    bootstrap: Option<(&[Option<Approach2Params>], f64, &str)>,
    task: Option<String>,
) -> FormFit {
    let names = parameter_names();
    let point = parameter_values(&fit.params);
    let (estimates, summary) = estimates(
        &names,
        &point,
        bootstrap,
        ModelParams::Approach2,
        parameter_values,
    );
    let observed: &[f64] = table.pass_at_k.as_deref().unwrap_or(&[]);
    let predict = |i: usize| fit.params.pass_at_k(table.params[i], table.tokens[i], table.k[i]);
    let rows_predicted = train_and_heldout_predictions(table, train_rows, heldout_rows, observed, predict);
    FormFit {
        form: Form::Approach2,
        task,
        target: "pass_at_k".into(),
        params: ModelParams::Approach2(fit.params),
        estimates,
        objective: ObjectiveReport {
            name: format!(
                "squared error on pass@k, summed (stage 2); stage 1: inverse-variance weighted squared error on \
                 the k = 1 loss, {}",
                fit.options.stage1.describe()
            ),
            value: fit.stage2.sse,
            rows_used: fit.stage2.rows_used,
            r_squared: fit.stage2.r_squared,
        },
        diagnostics: combined_diagnostics(fit),
        bootstrap: summary,
        heldout_relative_error: heldout_relative_error(&rows_predicted),
        predictions: rows_predicted,
    }
}
