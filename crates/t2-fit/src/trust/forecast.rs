//! The **predicts** checks: the forecast's error on held-out checkpoints, and beside persistence.

use super::{Check, Reason, Verdict, HELDOUT_ERROR_MAX, HELDOUT_ERROR_UNRELIABLE};
use crate::report::{Baseline, FormFit};

/// Prediction: the forecast's error on the held-out checkpoints (the forecast check's when there is one, else
/// the fit's own held-out rows), and against persistence on the same rows.
pub(super) fn forecast_reasons(fit: &FormFit) -> Vec<Reason> {
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
        reasons.push(Reason::new(
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
            reasons.push(Reason::new(
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
