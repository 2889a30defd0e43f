//! What each parameter's bootstrap did (bounds, spreads, widths, draws on a bound, failed refits): notes, and a
//! caution for failed refits; and the decade arithmetic the plan band shares.

use super::{Check, Reason, Verdict, DRAW_SHARE, EXPONENT_INTERVAL_WIDTH, SCALE_SPREAD_DECADES};
use crate::report::{FormFit, Kind};

/// Decades a positive interval [`lo`, `hi`] spans: log10(hi/lo), infinitely many when lo ≤ 0 or hi is not a
/// number.
pub(super) fn decades(lo: f64, hi: f64) -> f64 {
    if lo > 0.0 && !hi.is_nan() {
        (hi / lo).log10()
    } else {
        f64::INFINITY
    }
}

/// "1.6" (with `digits` decimals) or "infinitely many".
pub(super) fn decades_text(decades: f64, digits: usize) -> String {
    if decades.is_finite() {
        format!("{decades:.digits$}")
    } else {
        "infinitely many".into()
    }
}

/// Whether an estimate lies outside its own interval [`lo`, `hi`] by more than 1e-9 of its size (rounding).
pub(super) fn outside(value: f64, lo: f64, hi: f64) -> bool {
    let slack = 1e-9 * value.abs();
    value < lo - slack || value > hi + slack
}

/// Identification: the spread of scale parameters and exponents, estimates outside their intervals, draws on a
/// bound or failed.
pub(super) fn interval_reasons(fit: &FormFit) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for e in &fit.estimates {
        let (Some(lo), Some(hi)) = (e.lo, e.hi) else {
            continue;
        };
        match e.kind {
            Kind::Scale => {
                let decades = decades(lo, hi);
                if decades > SCALE_SPREAD_DECADES {
                    reasons.push(Reason::new(
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
            Kind::Exponent if hi - lo > EXPONENT_INTERVAL_WIDTH => reasons.push(Reason::new(
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
            reasons.push(Reason::new(
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
            reasons.push(Reason::new(
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
            reasons.push(Reason::new(
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
