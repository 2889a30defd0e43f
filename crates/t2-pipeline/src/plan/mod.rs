//! Compute-optimal plans from a fit file: for each fitted form and each budget or target of a [`Scenario`], the
//! optimum N*, D*, k* and the predicted metric with bootstrap bands, beside the inference-corrected Chinchilla
//! path and the 20:1 rule, each row with a verdict: its fit's, plus the plan's own checks (extrapolation, the
//! search bound, the data wall, repetition, a target out of reach).

mod bands;
mod budgets;
mod cells;
mod compact;
mod described;
pub mod output;
mod scenario;

use serde::{Deserialize, Serialize};
use t2_core::plan::{
    cheapest, optimum_near, plan, plan_target, spent_scale, Budget, Deployment, Location, Metric, Plan,
    PlanError, PlanPoint,
};
use t2_core::{Form, ModelParams};
use t2_fit::trust::{
    cost_band, plan_band, Check, Reason, Trust, Verdict, DRAW_SHARE, EXTRAPOLATION_FACTOR,
    IDENTIFY_AT_FACTOR, PUBLIC_TEXT_TOKENS, REPETITION_EPOCHS,
};
use t2_fit::FormFit;

pub use bands::{Bands, Interval};
pub use budgets::{log_spaced, parse_flops_spec, FlopsSpec};
pub use scenario::{Ask, PlanSpec, Scenario, SAMPLE_GRID};

use crate::error::Error;
use crate::fitfile::FitFile;

/// One budget's (or target's) plan, its bootstrap bands, and how far to trust it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRow {
    /// The budget planned on; for a target, the cheapest budget found that reaches it.
    pub budget: Budget,
    #[serde(flatten)]
    /// The optimum and the reference points.
    pub plan: Plan,
    /// Bootstrap bands, when the fit has draws.
    pub bands: Option<Bands>,
    /// The fit's verdict and reasons, and the plan's own at this budget.
    pub trust: Trust,
}

/// The plan of one fitted form over all budgets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormPlan {
    /// The form planned.
    pub form: Form,
    /// Its task.
    pub task: Option<String>,
    /// What it optimises.
    pub metric: Metric,
    /// The verdict of the fit the plan comes from.
    pub fit_verdict: Verdict,
    /// The largest training compute 6ND among the fitted rows.
    pub fitted_max_train_flops: f64,
    /// One row per budget or target.
    pub rows: Vec<PlanRow>,
    /// The level of the bands, when the fit has bootstrap draws.
    #[serde(default)]
    pub level: Option<f64>,
    /// Why the form has no rows, when it has none (the targets given are of the other metric).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FormPlan {
    /// "approach1" or "approach1 (task gsm8k)".
    pub fn label(&self) -> String {
        self.form.scope(self.task.as_deref())
    }

    /// The worst verdict over the budgets.
    pub fn worst_verdict(&self) -> Verdict {
        self.rows
            .iter()
            .map(|r| r.trust.verdict)
            .max()
            .unwrap_or(self.fit_verdict)
    }
}

/// The fit's own identification check: the band of N* at [`IDENTIFY_AT_FACTOR`] times the largest training
/// compute fitted, at [`crate::defaults::INFERENCE_FLOPS`] ([`plan_band`]); none without bootstrap draws.
pub fn identification(fit: &FormFit) -> Vec<Reason> {
    let Some(boot) = fit.bootstrap.as_ref().filter(|b| !b.draws.is_empty()) else {
        return Vec::new();
    };
    let train_flops = IDENTIFY_AT_FACTOR * fitted_max_train_flops(fit);
    let Ok(budget) = Budget::new(train_flops, crate::defaults::INFERENCE_FLOPS) else {
        return Vec::new();
    };
    let paper = Deployment::default();
    let Ok(point) = plan(&fit.params, &paper, budget) else {
        return Vec::new();
    };
    let solve = |draw: &ModelParams, _: usize| optimum_near(draw, &paper, budget, None).ok();
    let Some(band) = bands::bands(&boot.draws, 1, boot.level, solve).pop().flatten() else {
        return Vec::new();
    };
    plan_band(point.optimum.params, band.params.lo, band.params.hi, train_flops)
}

/// Share of the ceiling U·(1 + R*_D) of D′ past which a plan's training tokens are said to buy nothing more.
const CEILING_SHARE: f64 = 0.99;

/// The largest training compute 6ND among a fit's fitted rows.
fn fitted_max_train_flops(fit: &FormFit) -> f64 {
    fit.predictions
        .iter()
        .filter(|p| !p.heldout)
        .map(|p| 6.0 * p.params * p.tokens)
        .fold(0.0, f64::max)
}

/// The plan's own reasons at one budget or target: the training compute far past the fitted compute, D* past the
/// stock of public text (when no unique data are given) or many epochs over the unique data, a target out of
/// reach, the optimum on the search bound, many draws' optima there.
fn plan_reasons(row: &Plan, bands: Option<&Bands>, fitted_max: f64, deployment: &Deployment) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let o = &row.optimum;
    if let Some(t) = row.target.filter(|t| !t.reachable) {
        reasons.push(Reason::new(
            Check::Unreachable,
            Verdict::Unreliable,
            format!(
                "not reachable by this law: the best {} it predicts at {:.0e} FLOPs is {:.4}, short of the target {}",
                t.target.metric.name(),
                t2_core::plan::TARGET_CEILING_FLOPS,
                o.metric,
                t.target.value
            ),
            Some(o.metric),
            Some(t.target.value),
        ));
        return reasons;
    }
    let ratio = o.train_flops / fitted_max;
    if fitted_max > 0.0 && ratio > EXTRAPOLATION_FACTOR {
        reasons.push(Reason::new(
            Check::Extrapolation,
            Verdict::Caution,
            format!(
                "C_train {:.2e} is {ratio:.0}× the largest fitted compute {fitted_max:.2e}",
                o.train_flops
            ),
            Some(ratio),
            Some(EXTRAPOLATION_FACTOR),
        ));
    }
    match (deployment.data, o.epochs) {
        (Some(data), Some(epochs)) if epochs > REPETITION_EPOCHS => reasons.push(Reason::new(
            Check::Repetition,
            Verdict::Caution,
            format!(
                "D* = {:.2e} tokens is {} epochs over the {:.2e} unique tokens: past {REPETITION_EPOCHS} epochs \
                 repeated data is worth much less (Muennighoff et al. 2023); the law sees D′ = {:.2e}{}",
                o.tokens,
                crate::tables::sig3(epochs),
                data.unique_tokens,
                o.effective_tokens,
                if o.effective_tokens >= CEILING_SHARE * data.unique_tokens * (1.0 + data.repetition_horizon) {
                    ", at its ceiling U·(1 + R*_D): more tokens add nothing, only a larger model or more unique \
                     data would"
                } else {
                    ""
                }
            ),
            Some(epochs),
            Some(REPETITION_EPOCHS),
        )),
        (None, _) if o.tokens > PUBLIC_TEXT_TOKENS => {
            let ratio = o.tokens / PUBLIC_TEXT_TOKENS;
            reasons.push(Reason::new(
                Check::DataWall,
                Verdict::Caution,
                format!(
                    "D* = {:.2e} tokens: {} the public text there is ({PUBLIC_TEXT_TOKENS:.0e}, Villalobos et al. \
                     2024), so repeated data, which the plan does not model unless the unique tokens are given",
                    o.tokens,
                    if ratio < 10.0 {
                        format!("{ratio:.1}×")
                    } else {
                        format!("{ratio:.0}×")
                    }
                ),
                Some(ratio),
                Some(1.0),
            ));
        }
        _ => {}
    }
    match o.location {
        Location::LowerBound | Location::UpperBound => reasons.push(Reason::new(
            Check::SearchBound,
            Verdict::Unreliable,
            format!(
                "the optimum is at the search bound ({}): the law has no interior optimum here",
                if o.location == Location::LowerBound {
                    "N = 1"
                } else {
                    "D = 1"
                }
            ),
            None,
            None,
        )),
        Location::Interior | Location::Rule => {}
    }
    if let Some(b) = bands {
        reasons.extend(plan_band(o.params, b.params.lo, b.params.hi, o.train_flops));
        if row.target.is_some() {
            let cost = match b.total_flops {
                Some(total) => cost_band("lifetime compute", total.lo, total.hi),
                None => cost_band("training compute", b.train_flops.lo, b.train_flops.hi),
            };
            reasons.extend(cost);
        }
    }
    if let Some(b) = bands {
        let share = b.at_bound as f64 / (b.draws + b.failed).max(1) as f64;
        if share > DRAW_SHARE {
            reasons.push(Reason::new(
                Check::DrawsAtSearchBound,
                Verdict::Caution,
                format!(
                    "{} of {} bootstrap draws have their optimum at the search bound",
                    b.at_bound,
                    b.draws + b.failed
                ),
                Some(share),
                Some(DRAW_SHARE),
            ));
        }
    }
    reasons
}

/// The plan of one row: the optimum and the reference rules on a budget, or the cheapest that reach a target.
fn solve(params: &ModelParams, deployment: &Deployment, ask: Ask) -> Result<Plan, PlanError> {
    match ask {
        Ask::Budget(budget) => plan(params, deployment, budget),
        Ask::Target(template, target) => plan_target(params, deployment, template, target, None),
    }
}

/// A bootstrap draw's optimum for one row, searched near the point estimate's `near` (its N*, and for a target
/// its size); None when it has none (or does not reach the target).
fn draw_optimum(
    params: &ModelParams,
    deployment: &Deployment,
    ask: Ask,
    near: &PlanPoint,
) -> Option<PlanPoint> {
    let best = |b: Budget| optimum_near(params, deployment, b, Some(near.params)).ok();
    match ask {
        Ask::Budget(budget) => best(budget),
        Ask::Target(template, target) => {
            let size = spent_scale(template, deployment, near);
            cheapest(best, template, deployment, target, Some(size))
                .filter(|(_, reached)| *reached)
                .map(|(p, _)| p)
        }
    }
}

/// The budget a row was planned on: the one asked, or for a target the one its optimum spends.
fn budget_of(ask: Ask, o: &PlanPoint) -> Budget {
    match ask {
        Ask::Budget(budget) => budget,
        Ask::Target(Budget::PerQuery { .. }, _) => Budget::PerQuery {
            train_flops: o.train_flops,
            inference_flops: o.inference_flops,
        },
        Ask::Target(Budget::Lifetime { queries, .. }, _) => Budget::Lifetime {
            total_flops: o.total_flops.unwrap_or(f64::NAN),
            queries,
        },
    }
}

/// The plan of one fitted form: the optimum and reference rules for every row the spec asks of its metric,
/// with bands when the fit has bootstrap draws, and a verdict per row.
///
/// # Errors
///
/// [`Error::Plan`] when the point estimate has no allocation on a budget (unaffordable, or a metric nowhere
/// finite).
pub fn plan_form(fit: &FormFit, spec: &PlanSpec) -> Result<FormPlan, Error> {
    let metric = Metric::of(fit.form);
    let asks = spec.asks(metric);
    let deployment = &spec.deployment;
    let plans: Vec<Plan> = asks
        .iter()
        .map(|&ask| solve(&fit.params, deployment, ask))
        .collect::<Result<_, _>>()?;
    let bands = match &fit.bootstrap {
        Some(b) if !b.draws.is_empty() => bands::bands(&b.draws, asks.len(), b.level, |draw, i| {
            draw_optimum(draw, deployment, asks[i], &plans[i].optimum)
        }),
        _ => vec![None; asks.len()],
    };
    let fitted_max = fitted_max_train_flops(fit);
    let rows = plans
        .into_iter()
        .zip(bands)
        .zip(&asks)
        .map(|((plan, bands), &ask)| {
            let own = Trust::from_reasons(plan_reasons(&plan, bands.as_ref(), fitted_max, deployment));
            PlanRow {
                budget: budget_of(ask, &plan.optimum),
                trust: fit.trust.without(|c| c == Check::PlanBand).and(&own),
                plan,
                bands,
            }
        })
        .collect();
    let note = (asks.is_empty() && spec.has_targets()).then(|| {
        format!(
            "no {} target given: the targets given are for the other metric",
            metric.name()
        )
    });
    Ok(FormPlan {
        form: fit.form,
        task: fit.task.clone(),
        metric,
        fit_verdict: fit.trust.verdict,
        fitted_max_train_flops: fitted_max,
        rows,
        level: fit
            .bootstrap
            .as_ref()
            .filter(|b| !b.draws.is_empty())
            .map(|b| b.level),
        note,
    })
}

/// Plans for every form of a fit file.
///
/// # Errors
///
/// As [`plan_form`].
///
/// # Examples
///
/// Read the shipped example sweep, fit Chinchilla to it (no bootstrap, so no bands), and plan one budget:
///
/// ```
/// use std::path::Path;
/// use t2_core::Form;
/// use t2_pipeline::plan::{parse_flops_spec, plan_fit_file, Scenario};
/// use t2_pipeline::sweep::{fit_sweep, Silent};
/// use t2_pipeline::FitRequest;
///
/// let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/example_sweep.csv"));
/// let sweep = t2_ingest::read_runs(path, &Default::default()).unwrap();
/// let request = FitRequest { forms: Some(vec![Form::Chinchilla]), bootstrap: None, ..FitRequest::sweep() };
/// let file = fit_sweep(&sweep, &request, vec!["doc".into()], &Silent).unwrap();
/// let scenario = Scenario::per_query(parse_flops_spec("1e21").unwrap(), 1, 1.4e11);
/// let plans = plan_fit_file(&file, &scenario.check().unwrap()).unwrap();
/// let row = &plans[0].rows[0];
/// // The plan spends the budget: 6·N*·D* = C_train.
/// let o = &row.plan.optimum;
/// assert!((6.0 * o.params * o.tokens / 1e21 - 1.0).abs() < 1e-9);
/// assert!(row.bands.is_none());
/// ```
pub fn plan_fit_file(file: &FitFile, spec: &PlanSpec) -> Result<Vec<FormPlan>, Error> {
    let spec = spec.for_fit(file.repetition.as_ref());
    file.fits.iter().map(|f| plan_form(f, &spec)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_core::ModelParams;

    #[test]
    fn a_plan_past_the_stock_of_public_text_says_so_and_one_within_it_does_not() {
        let fit = crate::testing::form_fit(ModelParams::Chinchilla(crate::testing::CHIN), 1, 0);
        let scenario = Scenario::per_query(FlopsSpec::List(vec![1e21, 1e29]), 2, 1.4e11);
        let plan = plan_form(&fit, &scenario.check().unwrap()).unwrap();
        let walls: Vec<Option<&Reason>> = plan
            .rows
            .iter()
            .map(|r| r.trust.reasons.iter().find(|r| r.check == Check::DataWall))
            .collect();
        let tokens: Vec<f64> = plan.rows.iter().map(|r| r.plan.optimum.tokens).collect();
        assert!(
            tokens[0] < PUBLIC_TEXT_TOKENS && tokens[1] > PUBLIC_TEXT_TOKENS,
            "{tokens:?}"
        );
        assert!(walls[0].is_none());
        let wall = walls[1].expect("D* past the stock is flagged");
        assert_eq!(wall.verdict, Verdict::Caution);
        assert_eq!(wall.value, Some(tokens[1] / PUBLIC_TEXT_TOKENS));
        assert!(
            wall.message.contains("Villalobos et al. 2024"),
            "{}",
            wall.message
        );
    }
}
