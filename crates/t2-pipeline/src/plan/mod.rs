//! Compute-optimal plans from a fit file: for each fitted form and training budget, the optimum N*, D*, k* and
//! the predicted metric with bootstrap bands, beside the inference-corrected Chinchilla point and the 20:1
//! rule, each row with a verdict: its fit's, plus the plan's own checks (extrapolation, the search bound).

mod bands;
mod budgets;
pub mod output;

use serde::{Deserialize, Serialize};
use t2_core::plan::{plan, Budget, Location, Metric, Plan};
use t2_core::Form;
use t2_fit::trust::{
    plan_band, Check, Reason, Trust, Verdict, DRAW_SHARE, EXTRAPOLATION_FACTOR, IDENTIFY_AT_FACTOR,
    PUBLIC_TEXT_TOKENS,
};
use t2_fit::FormFit;

pub use bands::{Bands, Interval};
pub use budgets::{log_spaced, parse_flops_spec, FlopsSpec};

use crate::error::Error;
use crate::fitfile::FitFile;

/// One budget's plan, its bootstrap bands, and how far to trust it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRow {
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
    /// One row per budget.
    pub rows: Vec<PlanRow>,
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
    let (Ok(point), Some(band)) = (
        plan(&fit.params, budget),
        bands::bands(&boot.draws, &[budget], boot.level).pop().flatten(),
    ) else {
        return Vec::new();
    };
    plan_band(point.optimum.params, band.params.lo, band.params.hi, train_flops)
}

/// Checked budgets for every training value at one inference value; an error when there are none.
pub fn budgets(train_flops: &[f64], inference_flops: f64) -> Result<Vec<Budget>, Error> {
    if train_flops.is_empty() {
        return Err(Error::Plan(t2_core::plan::PlanError::BadBudget(
            "no training budget given".into(),
        )));
    }
    Ok(train_flops
        .iter()
        .map(|&c| Budget::new(c, inference_flops))
        .collect::<Result<_, _>>()?)
}

/// The largest training compute 6ND among a fit's fitted rows.
fn fitted_max_train_flops(fit: &FormFit) -> f64 {
    fit.predictions
        .iter()
        .filter(|p| !p.heldout)
        .map(|p| 6.0 * p.params * p.tokens)
        .fold(0.0, f64::max)
}

/// The plan's own reasons at one budget: the budget far past the fitted compute, D* past the stock of public
/// text, the optimum on the search bound, many draws' optima there.
fn plan_reasons(row: &Plan, bands: Option<&Bands>, fitted_max: f64) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let o = &row.optimum;
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
    if o.tokens > PUBLIC_TEXT_TOKENS {
        let ratio = o.tokens / PUBLIC_TEXT_TOKENS;
        reasons.push(Reason::new(
            Check::DataWall,
            Verdict::Caution,
            format!(
                "D* = {:.2e} tokens: {} the public text there is ({PUBLIC_TEXT_TOKENS:.0e}, Villalobos et al. \
                 2024), so repeated data, which the law does not model",
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

/// The plan of one fitted form: the optimum and reference points at every budget, with bands when the fit
/// has bootstrap draws, and a verdict per budget.
pub fn plan_form(fit: &FormFit, budgets: &[Budget]) -> Result<FormPlan, Error> {
    let bands = match &fit.bootstrap {
        Some(b) if !b.draws.is_empty() => bands::bands(&b.draws, budgets, b.level),
        _ => vec![None; budgets.len()],
    };
    let fitted_max = fitted_max_train_flops(fit);
    let rows = budgets
        .iter()
        .zip(bands)
        .map(|(&b, bands)| {
            let plan = plan(&fit.params, b)?;
            let own = Trust::from_reasons(plan_reasons(&plan, bands.as_ref(), fitted_max));
            Ok(PlanRow {
                trust: fit.trust.without(|c| c == Check::PlanBand).and(&own),
                plan,
                bands,
            })
        })
        .collect::<Result<_, t2_core::plan::PlanError>>()?;
    Ok(FormPlan {
        form: fit.form,
        task: fit.task.clone(),
        metric: Metric::of(fit.form),
        fit_verdict: fit.trust.verdict,
        fitted_max_train_flops: fitted_max,
        rows,
    })
}

/// Plans for every form of a fit file.
///
/// # Errors
///
/// [`Error::Plan`] when a form's metric is nowhere finite on a budget's isoFLOP.
///
/// # Examples
///
/// Read the shipped example sweep, fit Chinchilla to it (no bootstrap, so no bands), and plan one budget:
///
/// ```
/// use std::path::Path;
/// use t2_core::Form;
/// use t2_pipeline::plan::{budgets, plan_fit_file};
/// use t2_pipeline::sweep::{fit_sweep, Silent};
/// use t2_pipeline::FitRequest;
///
/// let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/example_sweep.csv"));
/// let sweep = t2_ingest::read_runs(path, &Default::default()).unwrap();
/// let request = FitRequest { forms: Some(vec![Form::Chinchilla]), bootstrap: None, ..FitRequest::sweep() };
/// let file = fit_sweep(&sweep, &request, vec!["doc".into()], &Silent).unwrap();
/// let plans = plan_fit_file(&file, &budgets(&[1e21], 1.4e11).unwrap()).unwrap();
/// let row = &plans[0].rows[0];
/// // The plan spends the budget: 6·N*·D* = C_train.
/// let o = &row.plan.optimum;
/// assert!((6.0 * o.params * o.tokens / 1e21 - 1.0).abs() < 1e-9);
/// assert!(row.bands.is_none());
/// ```
pub fn plan_fit_file(file: &FitFile, budgets: &[Budget]) -> Result<Vec<FormPlan>, Error> {
    file.fits.iter().map(|f| plan_form(f, budgets)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_core::ModelParams;

    #[test]
    fn a_plan_past_the_stock_of_public_text_says_so_and_one_within_it_does_not() {
        let fit = crate::testing::form_fit(ModelParams::Chinchilla(crate::testing::CHIN), 1, 0);
        let plan = plan_form(&fit, &budgets(&[1e21, 1e29], 1.4e11).unwrap()).unwrap();
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
