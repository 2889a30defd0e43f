//! An Approach 2 fit as a [`FormFit`]: the 10 parameters (loss law and θ) with bootstrap intervals when given,
//! the stage 2 objective and R² on pass@k, both stages' diagnostics, predictions on the fitted and held-out rows.

use t2_core::plan::Metric;
use t2_core::{Approach2Params, Form, ModelParams, RunTable};

use super::stage1::E_PROFILE_RANGE;
use super::stage2::{CONSTRAINTS, THETA_NAMES};
use super::Approach2Fit;
use crate::form::{Draws, Split};
use crate::formfit::{estimates, heldout_relative_error, train_and_heldout_predictions};
use crate::report::{Diagnostics, FormFit, Kind, ObjectiveReport, Quantity};

/// The 10 parameters, in the order of [`parameter_values`].
pub fn quantities() -> Vec<Quantity> {
    let mut list = vec![
        Quantity::new("E", Kind::Scale),
        Quantity::new("A", Kind::Scale),
        Quantity::new("B", Kind::Scale),
        Quantity::new("alpha", Kind::Exponent),
        Quantity::new("beta", Kind::Exponent),
    ];
    list.extend(THETA_NAMES.iter().map(|n| Quantity::new(*n, Kind::Other)));
    list
}

/// Parameters of `p` on a bound: the loss law's E at an end of its profile range ([0.01, 0.95]·min L of the
/// k = 1 losses, `min_loss`), an exponent at or below 0, θ1 at 0 or θ2 at 1 (their constraints).
pub fn bounds_hit(p: &Approach2Params, min_loss: f64) -> Vec<String> {
    let mut hits: Vec<String> = Vec::new();
    let (lo, hi) = (E_PROFILE_RANGE.0 * min_loss, E_PROFILE_RANGE.1 * min_loss);
    let rtol = crate::reparam::AT_BOUND_RTOL;
    if p.loss.e <= lo * (1.0 + rtol) {
        hits.push(format!("E (lowest profile value, {}·min L)", E_PROFILE_RANGE.0));
    } else if p.loss.e >= hi * (1.0 - rtol) {
        hits.push(format!("E (highest profile value, {}·min L)", E_PROFILE_RANGE.1));
    }
    for (name, v) in [("alpha", p.loss.alpha), ("beta", p.loss.beta)] {
        if v <= 0.0 {
            hits.push(format!("{name} <= 0"));
        }
    }
    for (j, c) in CONSTRAINTS.iter().enumerate() {
        if c.at_bound(p.theta[j]) {
            hits.push(format!("{} (on its bound)", THETA_NAMES[j]));
        }
    }
    hits
}

/// (E, A, B, α, β, θ0, …, θ4).
pub fn parameter_values(p: &Approach2Params) -> Vec<f64> {
    let mut v = vec![p.loss.e, p.loss.a, p.loss.b, p.loss.alpha, p.loss.beta];
    v.extend_from_slice(&p.theta);
    v
}

/// Both stages in one [`Diagnostics`]: stage 2's optimiser numbers, a termination naming both stages,
/// converged only when both did, and the parameters on a bound ([`bounds_hit`]).
fn combined_diagnostics(fit: &Approach2Fit) -> Diagnostics {
    let (one, two) = (&fit.stage1.diagnostics, &fit.stage2.diagnostics);
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
        at_bound: bounds_hit(&fit.params, fit.stage1.min_loss),
        ..two.clone()
    }
}

/// The [`FormFit`] of `fit`, made on the train rows of `split` (which, like the fit, need a pass_at_k column):
/// predictions of pass@k for the train rows and, marked held out, for the held-out rows; bootstrap intervals
/// from `draws`.
pub fn form_fit(
    table: &RunTable,
    split: Split,
    fit: &Approach2Fit,
    draws: Option<Draws<Approach2Params>>,
) -> FormFit {
    form_fit_of(Form::Approach2, table, split, fit, draws)
}

/// [`form_fit`] as the report of `form` (Approach 2 or the chained form, whose draws and parameters are
/// tagged with it).
pub fn form_fit_of(
    form: Form,
    table: &RunTable,
    split: Split,
    fit: &Approach2Fit,
    draws: Option<Draws<Approach2Params>>,
) -> FormFit {
    let point = parameter_values(&fit.params);
    let (estimates, summary) = estimates(
        &quantities(),
        &point,
        draws,
        |p| ModelParams::of_approach2(form, p),
        parameter_values,
        |d| !bounds_hit(d, fit.stage1.min_loss).is_empty(),
    );
    let observed: &[f64] = table.pass_at_k.as_deref().unwrap_or(&[]);
    let predict = |i: usize| fit.params.pass_at_k(table.params[i], table.tokens[i], table.k[i]);
    let rows_predicted = train_and_heldout_predictions(table, split.train, split.heldout, observed, predict);
    FormFit {
        form,
        task: None,
        target: Metric::PassAtK,
        params: ModelParams::of_approach2(form, fit.params),
        estimates,
        objective: ObjectiveReport {
            name: format!(
                "squared error on pass@k, summed (stage 2; stage 1: inverse-variance weighted squared error on \
                 the k = 1 loss, {})",
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
        rows_left_out: Vec::new(),
        floor: None,
        forecast: None,
        misfit: Vec::new(),
        trust: Default::default(),
    }
}
