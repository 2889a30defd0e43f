//! Allocations on a budget for each form: the allocation at a given N, the numeric optimum (Chinchilla's closed
//! form where it holds), and the inference-corrected Chinchilla and 20:1 reference rules.

use super::{
    minimize_on_interval, minimize_scanned, Budget, Deployment, Location, Metric, Plan, PlanError, PlanPoint,
};
use crate::{ChinchillaParams, ModelParams};

/// Grid points of the inner search over ln k at one N (lifetime budgets): the trade between D and k at fixed N
/// is smooth and single-peaked for every form, so a short scan brackets it.
const INNER_SCAN_POINTS: usize = 9;
/// Half-width in ln N of the window a bootstrap draw's lifetime optimum is searched in, around the point
/// estimate's N* (a factor of 30 either way); a draw whose optimum falls on the window's edge is searched again
/// over the whole range.
const NEAR_WINDOW: f64 = 3.4;
/// Grid points of that window's scan.
const NEAR_SCAN_POINTS: usize = 13;

/// The form's metric at (N, D, k): Chinchilla L(N, D) (no k); Approach 1 L̂(N, D, k); Approach 2
/// pass@k(N, D, k). D here is what the law sees: D′ under a data limit ([`Deployment::effective_tokens`]).
pub fn metric_at(params: &ModelParams, n: f64, tokens: f64, k: f64) -> f64 {
    match params {
        ModelParams::Chinchilla(p) => p.loss(n, tokens),
        ModelParams::Approach1(p) => p.loss(n, tokens, k),
        ModelParams::Approach2(p) | ModelParams::Chained(p) => p.pass_at_k(n, tokens, k),
    }
}

/// Whether the form's metric depends on k: Chinchilla's single-pass loss does not, so its plans sample once.
pub fn uses_samples(params: &ModelParams) -> bool {
    match params {
        ModelParams::Chinchilla(_) => false,
        ModelParams::Approach1(_) | ModelParams::Approach2(_) | ModelParams::Chained(_) => true,
    }
}

/// The allocation (N, D) with `affordable` samples (unclipped) on the budget: the metric at D′ and
/// k = max(affordable, 1); 6ND, the inference compute per query (the budget's, or C_inf(N, k) over a
/// lifetime) and the lifetime total 6ND + Q·C_inf(N, k).
pub fn point(
    params: &ModelParams,
    deployment: &Deployment,
    budget: Budget,
    (n, tokens, affordable): (f64, f64, f64),
    location: Location,
) -> PlanPoint {
    let k = affordable.max(1.0);
    let effective = deployment.effective_tokens(tokens);
    let (inference_flops, total_flops) = match budget {
        Budget::PerQuery { inference_flops, .. } => (inference_flops, None),
        Budget::Lifetime { queries, .. } => {
            let per_query = deployment.cost.flops(n, k);
            (per_query, Some(6.0 * n * tokens + queries * per_query))
        }
    };
    PlanPoint {
        train_flops: 6.0 * n * tokens,
        inference_flops,
        total_flops,
        params: n,
        tokens,
        tokens_per_param: tokens / n,
        effective_tokens: effective,
        epochs: deployment.data.map(|d| d.epochs(tokens)),
        samples_affordable: affordable,
        samples: k,
        k_clipped: affordable < 1.0,
        metric: metric_at(params, n, effective, k),
        location,
    }
}

/// The value minimised: the metric with its sign turned so lower is better. The constant floor E of the loss
/// forms is dropped (it does not move the optimum and only costs floating-point resolution). NaN (an
/// unaffordable allocation) counts as +∞ in the search.
fn search_value(params: &ModelParams, p: Option<PlanPoint>) -> f64 {
    let Some(p) = p else { return f64::NAN };
    match params {
        ModelParams::Chinchilla(c) => p.metric - c.e,
        ModelParams::Approach1(a) => p.metric - a.e,
        ModelParams::Approach2(_) | ModelParams::Chained(_) => -p.metric,
    }
}

/// The best allocation on the budget at model size N (and at the deployment's D when its model is trained):
///
/// - per query: D = C_train/(6N) and k = (C_inf/(2N) − P)/T, evaluated at k = 1 when below (the k < 1 policy);
/// - lifetime: what is left after the prompts, C_total − 2NQP, split between training 6ND and sampling 2NQTk
///   (k ≥ 1, D ≥ 1), the split searched in ln k; k = 1 for a form whose metric does not use k.
///
/// None when the budget cannot pay for N (a lifetime that does not cover D = 1 and one sample per query).
pub fn allocate(
    params: &ModelParams,
    deployment: &Deployment,
    budget: Budget,
    n: f64,
    location: Location,
) -> Option<PlanPoint> {
    let fixed_tokens = deployment.model.and_then(|m| m.tokens);
    let at = |tokens: f64, k: f64| point(params, deployment, budget, (n, tokens, k), location);
    match budget {
        Budget::PerQuery {
            train_flops,
            inference_flops,
        } => {
            let tokens = fixed_tokens.unwrap_or(train_flops / (6.0 * n));
            Some(at(tokens, deployment.cost.samples(n, inference_flops)))
        }
        Budget::Lifetime { total_flops, queries } => {
            let cost = deployment.cost;
            let rest = total_flops - queries * 2.0 * n * cost.prompt_tokens;
            let per_sample = queries * 2.0 * n * cost.tokens_per_sample;
            let tokens_at = |k: f64| (rest - per_sample * k) / (6.0 * n);
            if let Some(tokens) = fixed_tokens {
                let k = (rest - 6.0 * n * tokens) / per_sample;
                return (k >= 1.0).then(|| at(tokens, k));
            }
            let k_max = (rest - 6.0 * n) / per_sample;
            if k_max.is_nan() || k_max < 1.0 {
                return None;
            }
            if !uses_samples(params) {
                return Some(at(tokens_at(1.0), 1.0));
            }
            let value = |ln_k: f64| {
                let k = ln_k.exp();
                search_value(params, Some(at(tokens_at(k), k)))
            };
            let found = minimize_scanned(value, 0.0, k_max.ln(), INNER_SCAN_POINTS)?;
            let k = found.x.exp();
            Some(at(tokens_at(k), k))
        }
    }
}

/// The largest N the budget can pay for: per query, D = 1 (N = C_train/6); over a lifetime, D = 1 and one
/// sample per query (6N + 2NQ(P + T) = C_total).
fn largest_params(deployment: &Deployment, budget: Budget) -> f64 {
    match budget {
        Budget::PerQuery { train_flops, .. } => train_flops / 6.0,
        Budget::Lifetime { total_flops, queries } => {
            total_flops / (6.0 + queries * deployment.cost.flops(1.0, 1.0))
        }
    }
}

/// The optimum found numerically for any form: the best [`allocate`] over ln N ∈ [0, ln N_max] (N ≥ 1 and the
/// budget paying for D ≥ 1), by a grid bracket and Brent's method.
///
/// # Errors
///
/// [`PlanError::Unaffordable`] when the budget does not pay for N = 1; [`PlanError::NoFiniteMetric`] when the
/// metric is nowhere finite.
pub fn numeric_optimum(
    params: &ModelParams,
    deployment: &Deployment,
    budget: Budget,
) -> Result<PlanPoint, PlanError> {
    search(params, deployment, budget, None)
}

fn search(
    params: &ModelParams,
    deployment: &Deployment,
    budget: Budget,
    near: Option<f64>,
) -> Result<PlanPoint, PlanError> {
    let n_max = largest_params(deployment, budget);
    if n_max.is_nan() || n_max < 1.0 {
        return Err(PlanError::Unaffordable(format!(
            "{budget} does not pay for a model of one parameter trained on one token"
        )));
    }
    let value = |ln_n: f64| {
        search_value(
            params,
            allocate(params, deployment, budget, ln_n.exp(), Location::Rule),
        )
    };
    let upper = n_max.ln();
    let windowed = near
        .filter(|_| matches!(budget, Budget::Lifetime { .. }))
        .map(|n| n.ln())
        .filter(|x| x.is_finite())
        .and_then(|x| {
            let (lo, hi) = ((x - NEAR_WINDOW).max(0.0), (x + NEAR_WINDOW).min(upper));
            let m = minimize_scanned(value, lo, hi, NEAR_SCAN_POINTS)?;
            let on_window_edge = (m.location == Location::LowerBound && lo > 0.0)
                || (m.location == Location::UpperBound && hi < upper);
            (!on_window_edge).then_some(m)
        });
    let nowhere_finite = || PlanError::NoFiniteMetric {
        form: params.form(),
        train_flops: budget.scale(),
    };
    let found = match windowed {
        Some(m) => m,
        None => minimize_on_interval(value, 0.0, upper).ok_or_else(nowhere_finite)?,
    };
    allocate(params, deployment, budget, found.x.exp(), found.location).ok_or_else(nowhere_finite)
}

/// The form's optimum on the budget:
///
/// - a model that exists: its own N ([`allocate`], location [`Location::Rule`]);
/// - a Chinchilla fit on a per-query budget with unlimited data: the closed form N* = G·(C/6)^(β/(α+β))
///   (reported as interior: the closed form is the stationary point);
/// - otherwise the numeric optimum ([`numeric_optimum`]).
///
/// # Errors
///
/// As [`numeric_optimum`]; [`PlanError::Unaffordable`] when the budget does not pay for the existing model.
pub fn optimum(
    params: &ModelParams,
    deployment: &Deployment,
    budget: Budget,
) -> Result<PlanPoint, PlanError> {
    optimum_near(params, deployment, budget, None)
}

/// [`optimum`], with a lifetime's numeric search first within a factor of 30 of `near` (a bootstrap draw's
/// search near its point estimate's N*), and over the whole range when the optimum falls on that window's edge.
/// Per-query budgets are always searched over the whole range.
///
/// # Errors
///
/// As [`optimum`].
pub fn optimum_near(
    params: &ModelParams,
    deployment: &Deployment,
    budget: Budget,
    near: Option<f64>,
) -> Result<PlanPoint, PlanError> {
    if let Some(model) = deployment.model {
        return allocate(params, deployment, budget, model.params, Location::Rule).ok_or_else(|| {
            PlanError::Unaffordable(format!(
                "{budget} does not pay for the model's training and one sample per query"
            ))
        });
    }
    match (params, budget, deployment.data) {
        (
            ModelParams::Chinchilla(p),
            Budget::PerQuery {
                train_flops,
                inference_flops,
            },
            None,
        ) => {
            let (n, tokens) = p.compute_optimal(train_flops);
            let samples = deployment.cost.samples(n, inference_flops);
            Ok(point(
                params,
                deployment,
                budget,
                (n, tokens, samples),
                Location::Interior,
            ))
        }
        _ => search(params, deployment, budget, near),
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

/// A reference rule: a path D(N) in the (N, D) plane that a practitioner might follow instead of the optimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The single-pass law's compute-optimal path (inference-corrected Chinchilla): αA·N^−α = βB·D^−β, i.e.
    /// D = (βB·N^α / (αA))^(1/β).
    Chinchilla,
    /// D = 20N.
    TwentyToOne,
}

impl Rule {
    /// D on the rule's path at N.
    pub fn tokens(self, params: &ModelParams, n: f64) -> f64 {
        match self {
            Rule::Chinchilla => {
                let p = single_pass_law(params);
                (p.beta * p.b * n.powf(p.alpha) / (p.alpha * p.a)).powf(1.0 / p.beta)
            }
            Rule::TwentyToOne => 20.0 * n,
        }
    }

    /// N on the path with 6·N·D(N) = C_train: the closed forms G·(C/6)^(β/(α+β)) and √(C/120).
    fn params_for_train_flops(self, params: &ModelParams, train_flops: f64) -> f64 {
        match self {
            Rule::Chinchilla => single_pass_law(params).compute_optimal(train_flops).0,
            Rule::TwentyToOne => (train_flops / 120.0).sqrt(),
        }
    }
}

/// Bisection steps in ln N for the lifetime rule's budget equation (from a bracket of at most ln(C) ≈ 100 to
/// below 1e-13).
const ROOT_BISECTIONS: usize = 200;

/// The rule's allocation on the budget, evaluated under the form:
///
/// - per query: N with 6·N·D(N) = C_train, and the samples C_inf pays for;
/// - lifetime: the N on the path that is best with the rest of the budget spent on samples (k ≥ 1); for a form
///   that does not use k, the N whose training and one sample per query spend the budget exactly.
///
/// None for a model that already exists (no rule chooses it) or a budget that does not pay for the path.
pub fn rule_point(
    params: &ModelParams,
    deployment: &Deployment,
    budget: Budget,
    rule: Rule,
) -> Option<PlanPoint> {
    if deployment.model.is_some() {
        return None;
    }
    let fixed = |n: f64| {
        let tokens = rule.tokens(params, n);
        Deployment {
            model: Some(super::FixedModel {
                params: n,
                tokens: Some(tokens),
            }),
            ..*deployment
        }
    };
    let at = |n: f64, location| allocate(params, &fixed(n), budget, n, location);
    match budget {
        Budget::PerQuery {
            train_flops,
            inference_flops,
        } => {
            let n = rule.params_for_train_flops(params, train_flops);
            let samples = deployment.cost.samples(n, inference_flops);
            Some(point(
                params,
                deployment,
                budget,
                (n, train_flops / (6.0 * n), samples),
                Location::Rule,
            ))
        }
        Budget::Lifetime { .. } => {
            // The path's spend 6N·D(N) + Q·C_inf(N, 1) grows with N: its root is the largest affordable N.
            let (mut lo, mut hi) = (0.0f64, largest_params(deployment, budget).max(1.0).ln());
            at(lo.exp(), Location::Rule)?;
            for _ in 0..ROOT_BISECTIONS {
                let mid = 0.5 * (lo + hi);
                if at(mid.exp(), Location::Rule).is_some() {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            if !uses_samples(params) {
                return at(lo.exp(), Location::Rule);
            }
            let value = |ln_n: f64| search_value(params, at(ln_n.exp(), Location::Rule));
            let found = minimize_on_interval(value, 0.0, lo)?;
            at(found.x.exp(), Location::Rule)
        }
    }
}

/// The optimum and both reference rules for one form and budget (no rules for a model that exists).
///
/// # Errors
///
/// As [`optimum`].
///
/// # Examples
///
/// ```
/// use t2_core::plan::{plan, Budget, Deployment};
/// use t2_core::{ChinchillaParams, ModelParams};
///
/// let law = ModelParams::Chinchilla(ChinchillaParams::HOFFMANN);
/// let p = plan(&law, &Deployment::default(), Budget::new(5.88e23, 1.4e11).unwrap()).unwrap();
/// // A Chinchilla fit's optimum is its closed form; the 20:1 rule is the reference beside it.
/// let (n, d) = ChinchillaParams::HOFFMANN.compute_optimal(5.88e23);
/// assert!((p.optimum.params / n - 1.0).abs() < 1e-9 && (p.optimum.tokens / d - 1.0).abs() < 1e-9);
/// assert!((p.twenty_to_one.unwrap().tokens_per_param - 20.0).abs() < 1e-9);
/// ```
pub fn plan(params: &ModelParams, deployment: &Deployment, budget: Budget) -> Result<Plan, PlanError> {
    Ok(Plan {
        optimum: optimum(params, deployment, budget)?,
        chinchilla: rule_point(params, deployment, budget, Rule::Chinchilla),
        twenty_to_one: rule_point(params, deployment, budget, Rule::TwentyToOne),
        target: None,
    })
}

/// Whether the metric value `a` is better than `b` for this metric.
pub fn is_better(metric: Metric, a: f64, b: f64) -> bool {
    match metric {
        Metric::Loss => a < b,
        Metric::PassAtK => a > b,
    }
}
