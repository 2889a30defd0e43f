//! Allocations on the isoFLOP curve for each form: evaluation at a given N, the numeric optimum, the closed
//! form for Chinchilla, and the inference-corrected Chinchilla and 20:1 reference points.

use super::{minimize_on_interval, Budget, Location, Metric, Plan, PlanError, PlanPoint};
use crate::compute::{samples_for_budget, tokens_for_budget};
use crate::{ChinchillaParams, ModelParams};

/// The form's metric at (N, D, k): Chinchilla L(N, D) (no k); Approach 1 L̂(N, D, k); Approach 2
/// pass@k(N, D, k).
pub fn metric_at(params: &ModelParams, n: f64, tokens: f64, k: f64) -> f64 {
    match params {
        ModelParams::Chinchilla(p) => p.loss(n, tokens),
        ModelParams::Approach1(p) => p.loss(n, tokens, k),
        ModelParams::Approach2(p) | ModelParams::Chained(p) => p.pass_at_k(n, tokens, k),
    }
}

/// The allocation at N on the budget: D = C_train/(6N), k = max(C_inf/(2N), 1), and the metric there
/// ([`metric_at`]).
pub fn evaluate(params: &ModelParams, n: f64, budget: Budget, location: Location) -> PlanPoint {
    let tokens = tokens_for_budget(n, budget.train_flops);
    let affordable = samples_for_budget(n, budget.inference_flops);
    let k = affordable.max(1.0);
    let metric = metric_at(params, n, tokens, k);
    PlanPoint {
        train_flops: budget.train_flops,
        inference_flops: budget.inference_flops,
        params: n,
        tokens,
        tokens_per_param: tokens / n,
        samples_affordable: affordable,
        samples: k,
        k_clipped: affordable < 1.0,
        metric,
        location,
    }
}

/// The value minimised in ln N: the metric with its sign turned so lower is better. The constant floor E
/// of the loss forms is dropped (it does not move the optimum and only costs floating-point resolution).
fn search_objective(params: &ModelParams, n: f64, budget: Budget) -> f64 {
    let metric = evaluate(params, n, budget, Location::Rule).metric;
    match params {
        ModelParams::Chinchilla(p) => metric - p.e,
        ModelParams::Approach1(p) => metric - p.e,
        ModelParams::Approach2(_) | ModelParams::Chained(_) => -metric,
    }
}

/// The optimum found numerically for any form: minimise the loss (maximise pass@k) over ln N ∈
/// [0, ln(C_train/6)], i.e. N ≥ 1 and D ≥ 1, by a grid bracket and Brent's method.
pub fn numeric_optimum(params: &ModelParams, budget: Budget) -> Result<PlanPoint, PlanError> {
    let upper = (budget.train_flops / 6.0).ln();
    let found = minimize_on_interval(|ln_n| search_objective(params, ln_n.exp(), budget), 0.0, upper).ok_or(
        PlanError::NoFiniteMetric {
            form: params.form(),
            train_flops: budget.train_flops,
        },
    )?;
    Ok(evaluate(params, found.x.exp(), budget, found.location))
}

/// The form's optimum: Chinchilla's closed form N* = G·(C/6)^(β/(α+β)) for a Chinchilla fit (reported as
/// interior: the closed form is the stationary point), the numeric optimum for the T² forms.
pub fn optimum(params: &ModelParams, budget: Budget) -> Result<PlanPoint, PlanError> {
    match params {
        ModelParams::Chinchilla(p) => Ok(evaluate(
            params,
            p.compute_optimal(budget.train_flops).0,
            budget,
            Location::Interior,
        )),
        ModelParams::Approach1(_) | ModelParams::Approach2(_) | ModelParams::Chained(_) => {
            numeric_optimum(params, budget)
        }
    }
}

/// The single-pass loss law behind a form: the Chinchilla fit itself; Approach 1 at k = 1 (floor E + G);
/// Approach 2's first-stage L̂(N, D).
pub fn single_pass_law(params: &ModelParams) -> ChinchillaParams {
    match params {
        ModelParams::Chinchilla(p) => *p,
        ModelParams::Approach1(p) => p.at_single_sample(),
        ModelParams::Approach2(p) | ModelParams::Chained(p) => p.loss,
    }
}

/// The inference-corrected Chinchilla point: the single-pass law's N* = G·(C/6)^(β/(α+β)), evaluated under
/// the form with k = C_inf / (2N*).
pub fn single_pass_point(params: &ModelParams, budget: Budget) -> PlanPoint {
    let (n, _) = single_pass_law(params).compute_optimal(budget.train_flops);
    evaluate(params, n, budget, Location::Rule)
}

/// The 20:1 rule of thumb: D = 20N on C_train = 6ND, so N = √(C_train / 120), evaluated under the form.
pub fn twenty_to_one_point(params: &ModelParams, budget: Budget) -> PlanPoint {
    evaluate(
        params,
        (budget.train_flops / 120.0).sqrt(),
        budget,
        Location::Rule,
    )
}

/// The optimum and both reference points for one form and budget.
///
/// # Errors
///
/// [`PlanError`] when the form's metric is nowhere finite on the budget's isoFLOP.
///
/// # Examples
///
/// ```
/// use t2_core::plan::{plan, Budget};
/// use t2_core::{ChinchillaParams, ModelParams};
///
/// let law = ModelParams::Chinchilla(ChinchillaParams::HOFFMANN);
/// let p = plan(&law, Budget::new(5.88e23, 1.4e11).unwrap()).unwrap();
/// // A Chinchilla fit's optimum is its closed form; the 20:1 rule is the reference beside it.
/// let (n, d) = ChinchillaParams::HOFFMANN.compute_optimal(5.88e23);
/// assert!((p.optimum.params / n - 1.0).abs() < 1e-9 && (p.optimum.tokens / d - 1.0).abs() < 1e-9);
/// assert!((p.twenty_to_one.tokens_per_param - 20.0).abs() < 1e-9);
/// ```
pub fn plan(params: &ModelParams, budget: Budget) -> Result<Plan, PlanError> {
    Ok(Plan {
        optimum: optimum(params, budget)?,
        chinchilla: single_pass_point(params, budget),
        twenty_to_one: twenty_to_one_point(params, budget),
    })
}

/// Whether the metric value `a` is better than `b` for this metric.
pub fn is_better(metric: Metric, a: f64, b: f64) -> bool {
    match metric {
        Metric::Loss => a < b,
        Metric::PassAtK => a > b,
    }
}
