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
//! | identifies | plan band | decades spanned by N*'s band at this budget (for a target: also by the band of the compute that reaches it, [`cost_band`]) | [`PLAN_BAND_DECADES`] | unreliable |
//! | predicts | extrapolation | the budget over the largest training compute fitted | [`EXTRAPOLATION_FACTOR`] | caution |
//! | identifies | search bound | the optimum at N = 1 or D = 1, the ends of the search | — | unreliable |
//! | identifies | draws at the search bound | share of bootstrap draws whose optimum is there | [`DRAW_SHARE`] | caution |
//! | predicts | data wall | D* over the stock of public human-written text (when no unique-data limit is given) | [`PUBLIC_TEXT_TOKENS`] | caution |
//! | predicts | repetition | D* in epochs over the unique data given | [`REPETITION_EPOCHS`] | caution |
//! | predicts | unreachable | a target the law does not reach at any budget up to 1e40 FLOPs | — | unreliable |
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
//! - Data wall: a law fitted to runs on unique data says nothing of D* tokens that do not exist; training on
//!   them means repeating data, whose returns diminish (Muennighoff et al. 2023), so the plan as stated cannot be
//!   carried out (the T² paper's authors warn of it for their own advice).
//! - Extrapolation 1000×: three decades past the largest fitted run, the law's form itself is untested (the
//!   bands only carry the parameters' uncertainty); Chinchilla's own forecast reached about 2.5 decades.
use crate::report::{FormFit, Kind, Prediction};

mod aspect;
pub mod evidence;
mod forecast;
mod intervals;
pub mod kgain;
mod plan_band;
mod quality;
pub mod verdict;

pub use aspect::{Aspect, Aspects};
pub use evidence::{Evidence, FloorComparison};
pub use kgain::{KGAIN_CORRELATION, KGAIN_MIN_CHECKPOINTS};
pub use plan_band::{cost_band, plan_band, IDENTIFY_AT_FACTOR, PLAN_BAND_DECADES};
pub use quality::{residual_trends, spearman, ResidualTrends};
pub use verdict::{Check, Reason, Trust, Verdict};

use forecast::forecast_reasons;
use intervals::interval_reasons;
use quality::quality_reasons;

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
/// The stock of public human-written text, in tokens: Villalobos et al. 2024 ("Will we run out of data?
/// Limits of LLM scaling based on human-generated data"), whose median estimate of the effective stock is
/// 3e14 tokens. A plan's D* beyond it is flagged: the data to train on do not exist as unique text.
pub const PUBLIC_TEXT_TOKENS: f64 = 3e14;
/// Epochs over the unique data past which a plan is flagged: Muennighoff et al. 2023 find up to about 4 epochs
/// of repeated data nearly as good as unique data, and returns that fall fast beyond (their R*_D ≈ 15 is where
/// a repetition has lost 1 − 1/e of its worth).
pub const REPETITION_EPOCHS: f64 = 4.0;
/// Largest ratio of a plan's training budget to the largest training compute the fit saw.
pub const EXTRAPOLATION_FACTOR: f64 = 1000.0;

/// Assesses `fit` with every check of the module's table.
pub fn assess(fit: &FormFit, evidence: &Evidence) -> Trust {
    let mut reasons = Vec::new();
    let d = &fit.diagnostics;
    if !d.converged {
        reasons.push(Reason::new(
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
        reasons.push(Reason::new(
            Check::Finite,
            Verdict::Unreliable,
            format!("not finite: {}", non_finite.join(", ")),
            None,
            None,
        ));
    }
    if !d.at_bound.is_empty() {
        reasons.push(Reason::new(
            Check::Bounds,
            Verdict::Ok,
            format!("on a bound: {}", d.at_bound.join(", ")),
            None,
            None,
        ));
    }
    for e in fit.estimates.iter().filter(|e| e.kind == Kind::Exponent) {
        if !(e.value > 0.0 && e.value <= EXPONENT_MAX) {
            reasons.push(Reason::new(
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
            reasons.push(Reason::new(
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
            reasons.push(Reason::new(
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

#[cfg(test)]
mod tests;
