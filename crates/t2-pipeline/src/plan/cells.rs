//! The cells both plan tables write: a value with its band, a point's flags, the header naming fits not `ok`.

use t2_core::plan::{Location, PlanPoint};
use t2_fit::trust::Verdict;

use super::{FormPlan, Interval};
use crate::tables::sig3;

/// Notes on a point: k clipped to 1, optimum at an end of the search interval.
pub fn flags(p: &PlanPoint) -> String {
    let mut notes = Vec::new();
    if p.k_clipped {
        notes.push("k<1 (clipped to 1)");
    }
    match p.location {
        Location::LowerBound => notes.push("optimum at N = 1 (search bound)"),
        Location::UpperBound => notes.push("optimum at D = 1 (search bound)"),
        Location::Interior | Location::Rule => {}
    }
    notes.join("; ")
}

/// "2.61 [2.59, 2.63]", or the value alone without a band.
pub(super) fn with_band(value: f64, band: Option<Interval>) -> String {
    match band {
        Some(b) => format!("{} [{}, {}]", sig3(value), sig3(b.lo), sig3(b.hi)),
        None => sig3(value),
    }
}

/// A line naming every fit whose plan is not `ok`, with its first reason; empty when all are.
pub fn not_ok_header(plans: &[FormPlan]) -> String {
    let flagged: Vec<String> = plans
        .iter()
        .filter(|p| p.fit_verdict != Verdict::Ok)
        .map(|p| {
            let first = p.rows.first().and_then(|r| r.trust.reasons.first());
            format!(
                "{} {}{}",
                p.label(),
                p.fit_verdict,
                first.map_or(String::new(), |r| format!(" ({})", r.message))
            )
        })
        .collect();
    if flagged.is_empty() {
        String::new()
    } else {
        format!("fits not ok: {}\n", flagged.join("; "))
    }
}
