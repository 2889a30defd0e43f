//! Targets instead of budgets: the cheapest budget whose best allocation reaches a loss (at most) or a pass@k
//! (at least).
//!
//! The budget keeps its shape and only its size s varies: C_train at a per-query C_inf; C_inf itself for a
//! model that is trained (the samples a query needs); C_total over a lifetime. The best metric can only
//! improve as s grows (every allocation of a smaller budget is still affordable), so the smallest s that reaches
//! the target is one root in ln s, found by the Illinois method inside a bracket from the smallest affordable
//! budget to [`TARGET_CEILING_FLOPS`]. A target not reached at the ceiling is "not reachable by this law".

use serde::{Deserialize, Serialize};

use super::optimum::{optimum_near, rule_point, Rule};
use super::{Budget, Deployment, Metric, Plan, PlanError, PlanPoint};
use crate::ModelParams;

/// The largest budget a target is searched to: 1e40 FLOPs, about 10^13 times the largest training runs to date
/// (a few 1e26 FLOPs in 2025). A target not reached there is not reachable by the law.
pub const TARGET_CEILING_FLOPS: f64 = 1e40;
/// Iterations of the root search (Illinois steps, then bisection): enough for 1e-12 in ln s from a bracket of 100.
const ROOT_ITERATIONS: usize = 120;
/// The root's tolerance in ln s.
const ROOT_TOLERANCE: f64 = 1e-12;

/// A value of a form's metric to reach: a loss at most, or a pass@k at least.
///
/// # Examples
///
/// ```
/// use t2_core::plan::{Metric, Target};
///
/// let t = Target::new(Metric::Loss, 1.947).unwrap();
/// assert!(t.reached_by(1.94) && !t.reached_by(1.95));
/// assert!(Target::new(Metric::PassAtK, 1.5).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Loss or pass@k.
    pub metric: Metric,
    /// The value to reach.
    pub value: f64,
}

impl Target {
    /// A target after checking the value: a loss finite and > 0, a pass@k in (0, 1].
    ///
    /// # Errors
    ///
    /// [`PlanError::BadBudget`] naming the value.
    pub fn new(metric: Metric, value: f64) -> Result<Target, PlanError> {
        let ok = match metric {
            Metric::Loss => value.is_finite() && value > 0.0,
            Metric::PassAtK => value > 0.0 && value <= 1.0,
        };
        if ok {
            Ok(Target { metric, value })
        } else {
            Err(PlanError::BadBudget(format!(
                "target {} {value} must be {}",
                metric.name(),
                match metric {
                    Metric::Loss => "finite and > 0",
                    Metric::PassAtK => "in (0, 1]",
                }
            )))
        }
    }

    /// Whether a metric value reaches the target.
    pub fn reached_by(&self, value: f64) -> bool {
        self.gap(value) <= 0.0
    }

    /// How far a value is from the target, positive when short of it (NaN counts as infinitely short).
    fn gap(&self, value: f64) -> f64 {
        let gap = match self.metric {
            Metric::Loss => value - self.value,
            Metric::PassAtK => self.value - value,
        };
        if gap.is_nan() {
            f64::INFINITY
        } else {
            gap
        }
    }
}

/// The target a plan row was made for, and whether the optimum reaches it within [`TARGET_CEILING_FLOPS`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetOutcome {
    /// The target.
    #[serde(flatten)]
    pub target: Target,
    /// False when the law does not reach it at any budget up to the ceiling: the row's allocation is then the
    /// ceiling's, and its numbers say only how far short the law falls.
    pub reachable: bool,
}

/// The budget at size `scale`: its [`Budget::scale`], or C_inf for a model that is trained on a per-query
/// budget (the samples a query needs).
fn with_scale(budget: Budget, deployment: &Deployment, scale: f64) -> Budget {
    match budget {
        Budget::PerQuery { train_flops, .. } if trained(deployment) => Budget::PerQuery {
            train_flops,
            inference_flops: scale,
        },
        _ => budget.with_scale(scale),
    }
}

fn trained(deployment: &Deployment) -> bool {
    deployment.model.is_some_and(|m| m.tokens.is_some())
}

/// The smallest size that pays for anything: N = 1 (or the model's N), D = 1 (or its D), one sample per query.
fn smallest_scale(budget: Budget, deployment: &Deployment) -> f64 {
    let n = deployment.model.map_or(1.0, |m| m.params);
    let tokens = deployment.model.and_then(|m| m.tokens).unwrap_or(1.0);
    let smallest = match budget {
        Budget::PerQuery { .. } if trained(deployment) => deployment.cost.flops(n, 1.0),
        Budget::PerQuery { .. } => 6.0 * n * tokens,
        Budget::Lifetime { queries, .. } => 6.0 * n * tokens + queries * deployment.cost.flops(n, 1.0),
    };
    smallest * (1.0 + 1e-9)
}

/// Half-width in ln s of the first bracket of a search near a known size (a bootstrap draw near its point
/// estimate's): a factor 4 either way, widened ×16, ×256, … until it holds the root.
const NEAR_BRACKET: f64 = 1.386_294_361_119_890_6;

/// The size a plan point spends on budgets of `template`'s shape (what [`cheapest`] varies).
pub fn spent_scale(template: Budget, deployment: &Deployment, p: &PlanPoint) -> f64 {
    match template {
        Budget::PerQuery { .. } if trained(deployment) => p.inference_flops,
        Budget::PerQuery { .. } => p.train_flops,
        Budget::Lifetime { .. } => p.total_flops.unwrap_or(f64::NAN),
    }
}

/// The cheapest allocation by `best` (the best allocation on a budget, None when there is none) that reaches
/// `target`, over budgets of `template`'s shape, with whether it is reached. None when `best` finds nothing even
/// at the ceiling. `near`: a size to bracket the root around first (a bootstrap draw's, its point estimate's
/// size), instead of the whole range from the smallest affordable budget to the ceiling.
pub fn cheapest(
    best: impl Fn(Budget) -> Option<PlanPoint>,
    template: Budget,
    deployment: &Deployment,
    target: Target,
    near: Option<f64>,
) -> Option<(PlanPoint, bool)> {
    let at = |ln_s: f64| best(with_scale(template, deployment, ln_s.exp()));
    let gap = |p: &Option<PlanPoint>| p.as_ref().map_or(f64::INFINITY, |p| target.gap(p.metric));
    let lo = smallest_scale(template, deployment).ln();
    let hi = TARGET_CEILING_FLOPS.max(lo.exp() * 10.0).ln();
    let (mut a, mut b) = match near.map(f64::ln).filter(|x| x.is_finite()) {
        Some(x) => ((x - NEAR_BRACKET).clamp(lo, hi), (x + NEAR_BRACKET).clamp(lo, hi)),
        None => (lo, hi),
    };
    let (mut low_point, mut high_point) = (at(a), at(b));
    let mut step = 4.0 * NEAR_BRACKET;
    loop {
        if gap(&low_point) <= 0.0 && a > lo {
            (b, high_point) = (a, low_point);
            a = (a - step).max(lo);
            low_point = at(a);
        } else if gap(&high_point) > 0.0 && b < hi {
            (a, low_point) = (b, high_point);
            b = (b + step).min(hi);
            high_point = at(b);
        } else {
            break;
        }
        step *= 4.0;
    }
    let (mut fa, mut fb) = (gap(&low_point), gap(&high_point));
    if fa <= 0.0 {
        return low_point.map(|p| (p, true));
    }
    if fb > 0.0 {
        return high_point.map(|p| (p, false));
    }
    let mut reached = high_point;
    let mut side = 0;
    for i in 0..ROOT_ITERATIONS {
        if b - a <= ROOT_TOLERANCE * b.abs().max(1.0) {
            break;
        }
        let secant = b - fb * (b - a) / (fb - fa);
        let c = if i < ROOT_ITERATIONS / 2 && fa.is_finite() && secant > a && secant < b {
            secant
        } else {
            0.5 * (a + b)
        };
        let p = at(c);
        let fc = gap(&p);
        if fc > 0.0 {
            (a, fa) = (c, fc);
            if side == 1 {
                fb *= 0.5;
            }
            side = 1;
        } else {
            (b, fb) = (c, fc);
            reached = p;
            if side == -1 {
                fa *= 0.5;
            }
            side = -1;
        }
    }
    reached.map(|p| (p, true))
}

/// The cheapest allocations that reach `target` on budgets of `template`'s shape: the optimum's (with
/// [`TargetOutcome::reachable`]) and, when the optimum reaches it, each reference rule's. `near`: the point
/// estimate's optimum, for a bootstrap draw (its N* for [`optimum_near`], its size to bracket the root).
///
/// # Errors
///
/// [`PlanError::NoFiniteMetric`] when no budget up to the ceiling gives the optimum a finite metric.
///
/// # Examples
///
/// Sardana et al. 2024's worked example: Chinchilla's coefficients, a loss of 1.947, 2e12 tokens served.
///
/// ```
/// use t2_core::plan::{plan_target, Budget, Deployment, Metric, Target};
/// use t2_core::{ChinchillaParams, ModelParams};
///
/// let law = ModelParams::Chinchilla(ChinchillaParams { e: 1.69, a: 406.4, b: 410.7, alpha: 0.336, beta: 0.283 });
/// let lifetime = Budget::lifetime(1e24, 2e12).unwrap(); // 2e12 queries of one token; the size is searched
/// let plan = plan_target(&law, &Deployment::default(), lifetime, Target::new(Metric::Loss, 1.947).unwrap(), None)
///     .unwrap();
/// assert!((plan.optimum.params / 2.418e10 - 1.0).abs() < 5e-4);
/// assert!((plan.optimum.tokens / 2.657e12 - 1.0).abs() < 5e-4);
/// ```
pub fn plan_target(
    params: &ModelParams,
    deployment: &Deployment,
    template: Budget,
    target: Target,
    near: Option<&PlanPoint>,
) -> Result<Plan, PlanError> {
    let (optimum, reachable) = cheapest(
        |b| optimum_near(params, deployment, b, near.map(|p| p.params)).ok(),
        template,
        deployment,
        target,
        near.map(|p| spent_scale(template, deployment, p)),
    )
    .ok_or(PlanError::NoFiniteMetric {
        form: params.form(),
        train_flops: TARGET_CEILING_FLOPS,
    })?;
    let rule = |rule: Rule| {
        reachable
            .then(|| {
                cheapest(
                    |b| rule_point(params, deployment, b, rule),
                    template,
                    deployment,
                    target,
                    None,
                )
            })
            .flatten()
            .filter(|(_, reached)| *reached)
            .map(|(p, _)| p)
    };
    Ok(Plan {
        optimum,
        chinchilla: rule(Rule::Chinchilla),
        twenty_to_one: rule(Rule::TwentyToOne),
        target: Some(TargetOutcome { target, reachable }),
    })
}
