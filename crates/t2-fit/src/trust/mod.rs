//! How far to trust a fit: a [`Verdict`] (`ok`, `caution`, `unreliable`) with its [`Reason`]s, each naming the
//! check, the figure it measured and the threshold it was held against. Every check answers one of three
//! questions ([`Aspect`]): does the law **describe** the data it was given, does it **predict** checkpoints it
//! did not see (beside naive baselines), and do the data **identify** what a user acts on (the plan's band).
//! The overall verdict is the worst of the three; a reason with verdict `ok` is a note.
//!
//! The checks and their thresholds (documented in the README, "Reading the verdicts"; set so that the shipped
//! example sweep's fits pass every check and the Pythia GSM8K Approach 1 fit does not):
//!
//! | aspect | check | figure | threshold | verdict |
//! |---|---|---|---|---|
//! | describes | converged | the optimiser stopped on a tolerance | — | unreliable |
//! | describes | finite | every estimate is a finite number | — | unreliable |
//! | describes | exponent range | α, β, γ outside (0, [`EXPONENT_MAX`]] | 2 | unreliable |
//! | describes | floor above data | share of fitted rows below the law's floor E | [`ROWS_BELOW_FLOOR_SHARE`] | unreliable |
//! | describes | R² | R² of the fitted rows | [`R_SQUARED_MIN`] | caution |
//! | describes | residual trend | the k-shape ([`ResidualTrends::k`]), and \|Spearman ρ\| of the residuals with ln N, ln D | [`RESIDUAL_TREND`] | caution |
//! | describes | floor | RMSE in −ln pass@k beyond the per-checkpoint Beta-binomial's, √(RMSE² − floor²) | [`FLOOR_EXCESS_NATS`]; [`FLOOR_EXCESS_UNRELIABLE_NATS`] | caution; unreliable |
//! | describes | k-gain (Approach 1) | correlation across checkpoints of the gain from sampling L(1) − L(k) with L(1) ([`kgain`]) | [`KGAIN_CORRELATION`] | unreliable |
//! | predicts | held out | mean relative error of the forecast on held-out checkpoints | [`HELDOUT_ERROR_MAX`]; [`HELDOUT_ERROR_UNRELIABLE`] | caution; unreliable |
//! | predicts | baseline | the forecast's error against persistence (each size's last fitted checkpoint carried forward) on the same rows | ratio 1 | caution |
//! | identifies | plan band | decades spanned by N*'s bootstrap band at [`IDENTIFY_AT_FACTOR`]× the fitted compute | [`PLAN_BAND_DECADES`] | unreliable |
//! | identifies | bounds | a parameter at or numerically on a bound (E → 0 included) | — | note |
//! | identifies | scale spread | decades spanned by the interval of A, B, E or G | [`SCALE_SPREAD_DECADES`] | note |
//! | identifies | exponent width | width of the interval of an exponent | [`EXPONENT_INTERVAL_WIDTH`] | note |
//! | identifies | interval | the estimate outside its own bootstrap interval | — | note |
//! | identifies | draws on a bound | share of bootstrap draws with a parameter on a bound | [`DRAW_SHARE`] | note |
//! | identifies | failed draws | share of bootstrap refits that failed | [`DRAW_SHARE`] | caution |
//!
//! What a parameter's bootstrap does (an interval over decades, an estimate outside its interval, draws on a
//! bound) is a note, not a verdict: what a user acts on is the plan, and a spread along a flat direction of the
//! objective can leave the plan's band narrow. The plan band is judged instead (by the pipeline, which plans;
//! [`plan_band`]), with the plan's own estimate outside its band as a caution.
//!
//! A plan at one budget inherits its fit's verdict (less the fit-level plan band) and adds:
//!
//! | aspect | check | figure | threshold | verdict |
//! |---|---|---|---|---|
//! | identifies | plan band | decades spanned by N*'s band at this budget | [`PLAN_BAND_DECADES`] | unreliable |
//! | predicts | extrapolation | the budget over the largest training compute fitted | [`EXTRAPOLATION_FACTOR`] | caution |
//! | identifies | search bound | the optimum at N = 1 or D = 1, the ends of the search | — | unreliable |
//! | identifies | draws at the search bound | share of bootstrap draws whose optimum is there | [`DRAW_SHARE`] | caution |
//!
//! Why these values:
//! - Exponents above 2 make a term vanish within a decade of N or D: the "power law" is then a step that the
//!   data place nowhere; published fits lie between 0.05 and 0.8, and Epoch's start grid spans [0, 2].
//! - A scale parameter known only to within two decades (a factor 100) leaves the law's terms unordered; the
//!   identified fits t2 has seen span less than one (Epoch's B: 0.75 decades; the example sweep's A: 0.17).
//! - An exponent interval wider than 0.5 spans the whole range of published exponents.
//! - A tenth of the draws on a bound, or failed, means the interval describes a truncated distribution.
//! - R² 0.9: every well-specified fit t2 has seen is above 0.98; the Pythia fits that miss the data's shape are
//!   at 0.72–0.79.
//! - Residual trend 0.5: within one checkpoint, the residuals of pass@k at different k share the same problems,
//!   so even a correct law leaves a smooth residual curve in k (the example sweep: mean |ρ| 0.7); but its
//!   direction is random from checkpoint to checkpoint. A law that misses the k-shape bends the same way
//!   everywhere, or in a way that follows model quality: the k-shape statistic is the larger of |mean ρ| and
//!   |ρ(ρ, quality)| over checkpoints (example sweep at most 0.26; Pythia GSM8K Approach 1 0.89). Pooled over
//!   hundreds of rows, ρ with ln N or ln D is near 0 for a law of the right shape (example at most 0.23).
//! - Floor excess 0.1 nats: 10% in pass@k beyond what the best law of the Beta family reaches at each
//!   checkpoint separately.
//! - Held-out error 20%: the paper reports 2.8% (Approach 1) and 8.4% (Approach 2) on its overtrained models.
//! - Baseline: a law whose forecast is no better than carrying each size's last fitted checkpoint forward adds
//!   nothing, for the checkpoints of sizes already trained, that the user did not have (Gemstones: persistence
//!   beat every law on the D/N > 500 split).
//! - k-gain 0.8: under Approach 1's separable G/k^γ the gain L(1) − L(k) is the same at every checkpoint, so
//!   across checkpoints it is uncorrelated with L(1) but for shared noise (the example sweep, drawn from
//!   Approach 1: at most 0.3); on Gemstones' ARC-Challenge and PIQA it is 0.95–1.00.
//! - Plan band: a decade in N* is the difference between two model sizes a team would never confuse. The
//!   fit's band is judged two decades past the fitted compute ([`IDENTIFY_AT_FACTOR`]), the next scale-up a
//!   sweep is fitted for (the example sweep's widest: Chinchilla's 0.52 decades).
//! - Extrapolation 1000×: three decades past the largest fitted run, the law's form itself is untested (the
//!   bands only carry the parameters' uncertainty); Chinchilla's own forecast reached about 2.5 decades.

use serde::{Deserialize, Serialize};
use t2_core::real;

use crate::report::{Baseline, FormFit, Kind, Prediction};

mod aspect;
pub mod kgain;
mod plan_band;

pub use aspect::{Aspect, Aspects};
pub use kgain::{KGAIN_CORRELATION, KGAIN_MIN_CHECKPOINTS};
pub use plan_band::{plan_band, IDENTIFY_AT_FACTOR, PLAN_BAND_DECADES};

/// Exponents are meaningful in (0, EXPONENT_MAX].
pub const EXPONENT_MAX: f64 = 2.0;
/// Largest span, in decades, of a scale parameter's interval.
pub const SCALE_SPREAD_DECADES: f64 = 2.0;
/// Largest width of an exponent's interval.
pub const EXPONENT_INTERVAL_WIDTH: f64 = 0.5;
/// Largest share of bootstrap draws on a bound, or failed.
pub const DRAW_SHARE: f64 = 0.1;
/// Largest share of the fitted rows whose observed loss lies below the law's floor E.
pub const ROWS_BELOW_FLOOR_SHARE: f64 = 0.1;
/// Smallest R² of the fitted rows.
pub const R_SQUARED_MIN: f64 = 0.9;
/// Largest |Spearman ρ| of the residuals with ln k (mean within checkpoints), ln N or ln D.
pub const RESIDUAL_TREND: f64 = 0.5;
/// Fewest k values of a checkpoint for its within-checkpoint trend to count.
pub const TREND_MIN_POINTS: usize = 4;
/// Largest RMSE, in nats of −ln pass@k, beyond the per-checkpoint Beta-binomial floor.
pub const FLOOR_EXCESS_NATS: f64 = 0.1;
/// Largest mean relative error on held-out rows.
pub const HELDOUT_ERROR_MAX: f64 = 0.2;
/// Mean relative error on held-out rows beyond which the fit is unreliable: its predictions miss by more than
/// the values themselves (Approach 2 on Pythia GSM8K's 200B/300B checkpoints: 974%).
pub const HELDOUT_ERROR_UNRELIABLE: f64 = 1.0;
/// Excess over the Beta-binomial floor beyond which the fit is unreliable: a factor e on pass@k that the law
/// cannot explain (Approach 1 on Pythia GSM8K: 2.0 nats; the example sweep's fits: below 0.1).
pub const FLOOR_EXCESS_UNRELIABLE_NATS: f64 = 1.0;
/// Largest ratio of a plan's training budget to the largest training compute the fit saw.
pub const EXTRAPOLATION_FACTOR: f64 = 1000.0;

/// How far to trust a fit or a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every check passed.
    #[default]
    Ok,
    /// A check raised a doubt: read the reasons before acting on the numbers.
    Caution,
    /// The numbers do not mean what they seem to: do not act on them.
    Unreliable,
}

impl Verdict {
    /// "ok", "caution" or "unreliable".
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Caution => "caution",
            Verdict::Unreliable => "unreliable",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which check raised a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The solver converged.
    Converged,
    /// Every estimate is finite.
    Finite,
    /// No parameter ended on a bound.
    Bounds,
    /// Exponents lie in (0, 2].
    ExponentRange,
    /// The law's floor does not lie above the data.
    FloorAboveData,
    /// Scale parameters' bootstrap spreads stay within a few decades.
    ScaleSpread,
    /// Exponent intervals are narrow enough to mean something.
    ExponentWidth,
    /// The interval holds the estimate.
    Interval,
    /// Few bootstrap draws lie on a bound.
    DrawsOnBound,
    /// Few bootstrap refits failed.
    FailedDraws,
    /// R² of the fitted target.
    RSquared,
    /// Residuals do not trend with ln N, ln D or k.
    ResidualTrend,
    /// The law is not far worse than each checkpoint's Beta-binomial floor.
    Floor,
    /// The held-out error is small.
    HeldOut,
    /// The forecast beats carrying each size's last fitted checkpoint forward.
    Baseline,
    /// Approach 1: the gain from sampling does not track the single-pass loss (the separable G/k^γ can hold).
    KGain,
    /// The bootstrap band of N* at a budget is narrow enough to act on.
    PlanBand,
    /// Plans: a budget beyond the fitted compute range.
    Extrapolation,
    /// Plans: the optimum on the search bound (N = 1 or D = 1).
    SearchBound,
    /// Plans: the share of bootstrap draws whose optimum is on the search bound.
    DrawsAtSearchBound,
}

impl Check {
    /// The check's name as people read it.
    pub fn name(self) -> &'static str {
        match self {
            Check::Converged => "converged",
            Check::Finite => "finite",
            Check::Bounds => "bounds",
            Check::ExponentRange => "exponent range",
            Check::FloorAboveData => "floor above data",
            Check::ScaleSpread => "scale spread",
            Check::ExponentWidth => "exponent width",
            Check::Interval => "interval",
            Check::DrawsOnBound => "draws on a bound",
            Check::FailedDraws => "failed draws",
            Check::RSquared => "R²",
            Check::ResidualTrend => "residual trend",
            Check::Floor => "floor",
            Check::HeldOut => "held out",
            Check::Baseline => "baseline",
            Check::KGain => "k-gain",
            Check::PlanBand => "plan band",
            Check::Extrapolation => "extrapolation",
            Check::SearchBound => "search bound",
            Check::DrawsAtSearchBound => "draws at the search bound",
        }
    }

    /// Whether the check is a plan's own (not its fit's). The plan band is both: the fit's is judged at one
    /// budget, each plan row's at its own, which replaces the fit's.
    pub fn is_plan_check(self) -> bool {
        matches!(
            self,
            Check::Extrapolation | Check::SearchBound | Check::DrawsAtSearchBound | Check::PlanBand
        )
    }

    /// The question the check answers.
    pub fn aspect(self) -> Aspect {
        match self {
            Check::Converged
            | Check::Finite
            | Check::ExponentRange
            | Check::FloorAboveData
            | Check::RSquared
            | Check::ResidualTrend
            | Check::Floor
            | Check::KGain => Aspect::Describes,
            Check::HeldOut | Check::Baseline | Check::Extrapolation => Aspect::Predicts,
            Check::Bounds
            | Check::ScaleSpread
            | Check::ExponentWidth
            | Check::Interval
            | Check::DrawsOnBound
            | Check::FailedDraws
            | Check::PlanBand
            | Check::SearchBound
            | Check::DrawsAtSearchBound => Aspect::Identifies,
        }
    }
}

/// One reason for a verdict: what was measured, against what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The check.
    pub check: Check,
    /// What it found.
    pub verdict: Verdict,
    /// What it found, for people.
    pub message: String,
    /// The figure the check measured, when it has one.
    #[serde(with = "real::option")]
    pub value: Option<f64>,
    /// The threshold it was held against, when it has one.
    #[serde(with = "real::option")]
    pub threshold: Option<f64>,
}

/// A verdict and its reasons (the verdict is the worst reason's; `ok` without reasons), and the verdict of
/// each of the three questions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trust {
    /// The worst reason's verdict (`ok` without reasons): the worst of the three aspects.
    pub verdict: Verdict,
    /// Describes, predicts, identifies: each the worst verdict of its reasons.
    #[serde(default)]
    pub aspects: Aspects,
    /// The checks that raised a doubt, and notes (verdict `ok`).
    pub reasons: Vec<Reason>,
}

impl Trust {
    /// The trust of these reasons.
    pub fn from_reasons(reasons: Vec<Reason>) -> Trust {
        Trust {
            verdict: reasons.iter().map(|r| r.verdict).max().unwrap_or(Verdict::Ok),
            aspects: Aspects::of(&reasons),
            reasons,
        }
    }

    /// This trust with `other`'s reasons added.
    pub fn and(mut self, other: &Trust) -> Trust {
        self.reasons.extend(other.reasons.iter().cloned());
        Trust::from_reasons(self.reasons)
    }

    /// This trust without the reasons of the checks `drop` selects.
    pub fn without(&self, drop: impl Fn(Check) -> bool) -> Trust {
        Trust::from_reasons(self.reasons.iter().filter(|r| !drop(r.check)).cloned().collect())
    }

    /// The reasons that raised a doubt (not the notes), as one line: "scale spread: …; R²: …".
    pub fn summary(&self) -> String {
        self.reasons
            .iter()
            .filter(|r| r.verdict != Verdict::Ok)
            .map(|r| r.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The reasons in a few words, by question: "describes unreliable (exponent range, k-gain); predicts
    /// caution (baseline)". Empty when every question is `ok`.
    pub fn brief(&self) -> String {
        Aspect::ALL
            .iter()
            .filter(|&&a| self.aspects.get(a) != Verdict::Ok)
            .map(|&a| {
                let mut checks: Vec<&str> = self
                    .reasons
                    .iter()
                    .filter(|r| r.check.aspect() == a && r.verdict != Verdict::Ok)
                    .map(|r| r.check.name())
                    .collect();
                checks.dedup();
                format!("{} {} ({})", a.name(), self.aspects.get(a), checks.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The notes: reasons that say something worth knowing without changing the verdict.
    pub fn notes(&self) -> impl Iterator<Item = &Reason> {
        self.reasons.iter().filter(|r| r.verdict == Verdict::Ok)
    }
}

impl Reason {
    /// The check's name ([`Check::name`]).
    pub fn check_name(&self) -> &'static str {
        self.check.name()
    }

    /// A reason of `check` with its verdict, message, value and threshold.
    pub fn new(
        check: Check,
        verdict: Verdict,
        message: String,
        value: Option<f64>,
        threshold: Option<f64>,
    ) -> Reason {
        Reason {
            check,
            verdict,
            message,
            value,
            threshold,
        }
    }
}

fn reason(
    check: Check,
    verdict: Verdict,
    message: String,
    value: Option<f64>,
    threshold: Option<f64>,
) -> Reason {
    Reason::new(check, verdict, message, value, threshold)
}

/// A form's error beside the best a per-checkpoint law reaches, on the same rows: RMSE in −ln pass@k.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FloorComparison {
    /// Rows compared.
    pub rows: usize,
    /// RMSE of the per-checkpoint Beta-binomials.
    #[serde(with = "real")]
    pub floor_rmse: f64,
    /// RMSE of the form.
    #[serde(with = "real")]
    pub form_rmse: f64,
}

impl FloorComparison {
    /// √(max(0, RMSE_form² − RMSE_floor²)): the form's error beyond the floor.
    pub fn excess(&self) -> f64 {
        (self.form_rmse.powi(2) - self.floor_rmse.powi(2)).max(0.0).sqrt()
    }
}

/// Evidence a fit report does not hold itself.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evidence {
    /// The form against the per-checkpoint floor (sampled per-problem input only).
    pub floor: Option<FloorComparison>,
    /// The law's floor E for the loss forms, to compare with the observed losses.
    pub loss_floor: Option<f64>,
}

/// Assesses `fit` with every check of the module's table.
pub fn assess(fit: &FormFit, evidence: &Evidence) -> Trust {
    let mut reasons = Vec::new();
    let d = &fit.diagnostics;
    if !d.converged {
        reasons.push(reason(
            Check::Converged,
            Verdict::Unreliable,
            format!("the optimiser did not converge ({})", d.termination),
            None,
            None,
        ));
    }
    let non_finite: Vec<&str> = fit
        .estimates
        .iter()
        .filter(|e| !e.value.is_finite())
        .map(|e| e.name.as_str())
        .collect();
    if !non_finite.is_empty() {
        reasons.push(reason(
            Check::Finite,
            Verdict::Unreliable,
            format!("not finite: {}", non_finite.join(", ")),
            None,
            None,
        ));
    }
    if !d.at_bound.is_empty() {
        reasons.push(reason(
            Check::Bounds,
            Verdict::Ok,
            format!("on a bound: {}", d.at_bound.join(", ")),
            None,
            None,
        ));
    }
    for e in fit.estimates.iter().filter(|e| e.kind == Kind::Exponent) {
        if !(e.value > 0.0 && e.value <= EXPONENT_MAX) {
            reasons.push(reason(
                Check::ExponentRange,
                Verdict::Unreliable,
                format!(
                    "{} = {:.3} is outside (0, {EXPONENT_MAX}], where a power law means something",
                    e.name, e.value
                ),
                Some(e.value),
                Some(EXPONENT_MAX),
            ));
        }
    }
    if let Some(floor) = evidence.loss_floor {
        let train: Vec<&Prediction> = fit.predictions.iter().filter(|p| !p.heldout).collect();
        let below = train.iter().filter(|p| p.observed < floor).count();
        let share = below as f64 / train.len().max(1) as f64;
        if share > ROWS_BELOW_FLOOR_SHARE {
            reasons.push(reason(
                Check::FloorAboveData,
                Verdict::Unreliable,
                format!(
                    "{below} of {} fitted rows lie below the law's floor E = {floor:.4}: it cannot reach them",
                    train.len()
                ),
                Some(share),
                Some(ROWS_BELOW_FLOOR_SHARE),
            ));
        }
    }
    reasons.extend(interval_reasons(fit));
    reasons.extend(quality_reasons(fit));
    if let Some(floor) = evidence.floor {
        let excess = floor.excess();
        if excess > FLOOR_EXCESS_NATS {
            let severity = if excess > FLOOR_EXCESS_UNRELIABLE_NATS {
                Verdict::Unreliable
            } else {
                Verdict::Caution
            };
            reasons.push(reason(
                Check::Floor,
                severity,
                format!(
                    "RMSE {:.3} in −ln pass@k against {:.3} for a Beta-binomial per checkpoint: {excess:.2} nats \
                     the law cannot explain",
                    floor.form_rmse, floor.floor_rmse
                ),
                Some(excess),
                Some(FLOOR_EXCESS_NATS),
            ));
        }
    }
    reasons.extend(kgain::reason(fit));
    reasons.extend(forecast_reasons(fit));
    Trust::from_reasons(reasons)
}

/// Prediction: the forecast's error on the held-out checkpoints (the forecast check's when there is one, else
/// the fit's own held-out rows), and against persistence on the same rows.
fn forecast_reasons(fit: &FormFit) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let error = fit
        .forecast
        .as_ref()
        .map(|f| f.error)
        .or(fit.heldout_relative_error);
    if let Some(err) = error.filter(|e| *e > HELDOUT_ERROR_MAX || e.is_nan()) {
        let severity = if err > HELDOUT_ERROR_UNRELIABLE || err.is_nan() {
            Verdict::Unreliable
        } else {
            Verdict::Caution
        };
        reasons.push(reason(
            Check::HeldOut,
            severity,
            format!("held-out mean relative error {:.1}%", 100.0 * err),
            Some(err),
            Some(HELDOUT_ERROR_MAX),
        ));
    }
    if let Some(p) = fit
        .forecast
        .as_ref()
        .and_then(|f| f.baseline(Baseline::Persistence))
    {
        // A NaN error counts as no better.
        if p.form_error.partial_cmp(&p.error) != Some(std::cmp::Ordering::Less) {
            reasons.push(reason(
                Check::Baseline,
                Verdict::Caution,
                format!(
                    "forecasts no better than persistence (each size's last fitted checkpoint carried forward): \
                     {:.1}% against {:.1}% on {}",
                    100.0 * p.form_error,
                    100.0 * p.error,
                    t2_core::words::counted(p.rows, "held-out row")
                ),
                Some(p.form_error / p.error),
                Some(1.0),
            ));
        }
    }
    reasons
}

/// Decades a positive interval [`lo`, `hi`] spans: log10(hi/lo), infinitely many when lo ≤ 0 or hi is not a
/// number.
fn decades(lo: f64, hi: f64) -> f64 {
    if lo > 0.0 && !hi.is_nan() {
        (hi / lo).log10()
    } else {
        f64::INFINITY
    }
}

/// "1.6" (with `digits` decimals) or "infinitely many".
fn decades_text(decades: f64, digits: usize) -> String {
    if decades.is_finite() {
        format!("{decades:.digits$}")
    } else {
        "infinitely many".into()
    }
}

/// Whether an estimate lies outside its own interval [`lo`, `hi`] by more than 1e-9 of its size (rounding).
fn outside(value: f64, lo: f64, hi: f64) -> bool {
    let slack = 1e-9 * value.abs();
    value < lo - slack || value > hi + slack
}

/// Identification: the spread of scale parameters and exponents, estimates outside their intervals, draws on a
/// bound or failed.
fn interval_reasons(fit: &FormFit) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for e in &fit.estimates {
        let (Some(lo), Some(hi)) = (e.lo, e.hi) else {
            continue;
        };
        match e.kind {
            Kind::Scale => {
                let decades = decades(lo, hi);
                if decades > SCALE_SPREAD_DECADES {
                    reasons.push(reason(
                        Check::ScaleSpread,
                        Verdict::Ok,
                        format!(
                            "{}'s interval spans {} decades: the data do not identify it",
                            e.name,
                            decades_text(decades, 1)
                        ),
                        Some(decades),
                        Some(SCALE_SPREAD_DECADES),
                    ));
                }
            }
            Kind::Exponent if hi - lo > EXPONENT_INTERVAL_WIDTH => reasons.push(reason(
                Check::ExponentWidth,
                Verdict::Ok,
                format!(
                    "{}'s interval [{lo:.3}, {hi:.3}] is wider than {EXPONENT_INTERVAL_WIDTH}",
                    e.name
                ),
                Some(hi - lo),
                Some(EXPONENT_INTERVAL_WIDTH),
            )),
            _ => {}
        }
        if e.kind != Kind::Derived && outside(e.value, lo, hi) {
            reasons.push(reason(
                Check::Interval,
                Verdict::Ok,
                format!(
                    "{} = {:.4e} lies outside its own interval [{lo:.4e}, {hi:.4e}]",
                    e.name, e.value
                ),
                Some(e.value),
                None,
            ));
        }
    }
    if let Some(b) = &fit.bootstrap {
        let share = |n: usize| n as f64 / b.resamples.max(1) as f64;
        if share(b.draws_at_bound) > DRAW_SHARE {
            reasons.push(reason(
                Check::DrawsOnBound,
                Verdict::Ok,
                format!(
                    "{} of {} bootstrap draws have a parameter on a bound",
                    b.draws_at_bound, b.resamples
                ),
                Some(share(b.draws_at_bound)),
                Some(DRAW_SHARE),
            ));
        }
        if share(b.failed) > DRAW_SHARE {
            reasons.push(reason(
                Check::FailedDraws,
                Verdict::Caution,
                format!("{} of {} bootstrap refits failed", b.failed, b.resamples),
                Some(share(b.failed)),
                Some(DRAW_SHARE),
            ));
        }
    }
    reasons
}

/// Lack of fit: R² and residual trends on the fitted rows.
fn quality_reasons(fit: &FormFit) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let r2 = fit.objective.r_squared;
    if r2 < R_SQUARED_MIN || r2.is_nan() {
        reasons.push(reason(
            Check::RSquared,
            Verdict::Caution,
            format!("R² {r2:.3} on the fitted rows"),
            Some(r2),
            Some(R_SQUARED_MIN),
        ));
    }
    let trends = residual_trends(fit);
    let axes = [
        (
            "the residuals' trend in k bends the same way across checkpoints, or with their quality",
            trends.k,
        ),
        ("residuals trend with ln N", trends.params),
        ("residuals trend with ln D", trends.tokens),
    ];
    for (what, rho) in axes {
        if let Some(rho) = rho.filter(|r| r.abs() > RESIDUAL_TREND) {
            reasons.push(reason(
                Check::ResidualTrend,
                Verdict::Caution,
                format!("{what} (|ρ| {:.2}): the law misses the data's shape", rho.abs()),
                Some(rho.abs()),
                Some(RESIDUAL_TREND),
            ));
        }
    }
    reasons
}

/// Rank correlations of the fitted rows' residuals (observed − predicted).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResidualTrends {
    /// The k-shape: with ρ_c = ρ(residual, ln k) within checkpoint c (those with at least
    /// [`TREND_MIN_POINTS`] k values), the larger of |mean_c ρ_c| and |ρ(ρ_c, q_c)|, q_c the checkpoint's
    /// predicted metric at its smallest k (its quality).
    pub k: Option<f64>,
    /// ρ(residual, ln N) over all fitted rows.
    pub params: Option<f64>,
    /// ρ(residual, ln D) over all fitted rows.
    pub tokens: Option<f64>,
}

/// The residual trends of `fit`'s fitted rows.
pub fn residual_trends(fit: &FormFit) -> ResidualTrends {
    let train: Vec<&Prediction> = fit
        .predictions
        .iter()
        .filter(|p| !p.heldout && p.observed.is_finite() && p.predicted.is_finite())
        .collect();
    let residual: Vec<f64> = train.iter().map(|p| p.observed - p.predicted).collect();
    let mut by_checkpoint: std::collections::BTreeMap<(u64, u64), Vec<usize>> = Default::default();
    for (i, p) in train.iter().enumerate() {
        by_checkpoint
            .entry((p.params.to_bits(), p.tokens.to_bits()))
            .or_default()
            .push(i);
    }
    let (mut rho, mut quality) = (Vec::new(), Vec::new());
    for rows in by_checkpoint
        .values()
        .filter(|rows| rows.len() >= TREND_MIN_POINTS)
    {
        let r: Vec<f64> = rows.iter().map(|&i| residual[i]).collect();
        let k: Vec<f64> = rows.iter().map(|&i| train[i].k.ln()).collect();
        if let Some(value) = spearman(&r, &k) {
            let first = rows.iter().min_by(|&&a, &&b| train[a].k.total_cmp(&train[b].k));
            rho.push(value);
            quality.push(first.map_or(f64::NAN, |&i| train[i].predicted));
        }
    }
    let k = (!rho.is_empty()).then(|| {
        let mean = (rho.iter().sum::<f64>() / rho.len() as f64).abs();
        spearman(&rho, &quality).map_or(mean, |q| mean.max(q.abs()))
    });
    let pooled = |x: &dyn Fn(&Prediction) -> f64| {
        let v: Vec<f64> = train.iter().map(|p| x(p)).collect();
        spearman(&residual, &v)
    };
    ResidualTrends {
        k,
        params: pooled(&|p| p.params.ln()),
        tokens: pooled(&|p| p.tokens.ln()),
    }
}

/// Ranks 1..n with ties given their mean rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
    let mut ranks = vec![0.0; v.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && v[order[end]] == v[order[start]] {
            end += 1;
        }
        let mean = (start + end + 1) as f64 / 2.0;
        order[start..end].iter().for_each(|&i| ranks[i] = mean);
        start = end;
    }
    ranks
}

/// Spearman's rank correlation: Pearson's correlation of the ranks (ties at their mean rank). None for fewer
/// than 3 points or a constant variable.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 3 || x.len() != y.len() {
        return None;
    }
    kgain::pearson(&ranks(x), &ranks(y))
}

#[cfg(test)]
mod tests;
