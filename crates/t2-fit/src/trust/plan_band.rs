//! The identification check on what a user acts on: the bootstrap band of the compute-optimal N* at a budget
//! (D*/N* = C/(6N*²) and k* = C_inf/(2N*) follow from N* at a fixed budget, so their bands are N*'s, doubled
//! in decades for D*/N*).

use super::intervals::{decades, decades_text, outside};
use super::{Check, Reason, Verdict};

/// Decades spanned by N*'s band above which a plan is unreliable: a factor 10 in model size, two sizes a team
/// would never confuse.
pub const PLAN_BAND_DECADES: f64 = 1.0;
/// A fit's own identification is judged at this multiple of the largest training compute it fitted: the next
/// scale-up (two decades) a sweep is fitted to plan.
pub const IDENTIFY_AT_FACTOR: f64 = 100.0;

/// The reasons of N*'s band [`lo`, `hi`] around the estimate `n_star` at training budget `train_flops`: a band
/// over more than [`PLAN_BAND_DECADES`] (unreliable); the estimate outside its own band (caution: the
/// resamples' optima lie elsewhere, in another basin or against a bound).
pub fn plan_band(n_star: f64, lo: f64, hi: f64, train_flops: f64) -> Vec<Reason> {
    let mut reasons: Vec<Reason> = band_width(lo, hi, train_flops).into_iter().collect();
    if outside(n_star, lo, hi) {
        reasons.push(Reason::new(
            Check::PlanBand,
            Verdict::Caution,
            format!(
                "N* {n_star:.3e} at C_train {train_flops:.2e} lies outside its own band [{lo:.3e}, {hi:.3e}]: the \
                 resamples' optima lie elsewhere"
            ),
            Some(n_star),
            None,
        ));
    }
    reasons
}

/// A target's cost band: the compute that reaches it (C_train, or C_total over a lifetime) spanning more than
/// [`PLAN_BAND_DECADES`] over the bootstrap draws is unreliable, as N*'s band is: a factor 10 in what a target
/// costs is two budgets a team would never confuse.
pub fn cost_band(what: &str, lo: f64, hi: f64) -> Option<Reason> {
    let decades = decades(lo, hi);
    (decades > PLAN_BAND_DECADES).then(|| {
        Reason::new(
            Check::PlanBand,
            Verdict::Unreliable,
            format!(
                "the {what} that reaches the target spans {} decades over the bootstrap draws ({lo:.3e} to {hi:.3e})",
                decades_text(decades, 2)
            ),
            Some(decades),
            Some(PLAN_BAND_DECADES),
        )
    })
}

fn band_width(lo: f64, hi: f64, train_flops: f64) -> Option<Reason> {
    let decades = decades(lo, hi);
    if decades <= PLAN_BAND_DECADES {
        return None;
    }
    Some(Reason::new(
        Check::PlanBand,
        Verdict::Unreliable,
        format!(
            "N*'s band at C_train {train_flops:.2e} spans {} decades ({lo:.3e} to {hi:.3e}; D*/N* twice that)",
            decades_text(decades, 2)
        ),
        Some(decades),
        Some(PLAN_BAND_DECADES),
    ))
}
