//! Which form to act on: the T² forms of one task ranked by the verdict's three questions, in order. First
//! whether the law describes its data (a law of the wrong shape is last whatever its forecast), then how well it
//! forecast the held-out checkpoints relative to persistence (its skill, so forms that predict different
//! metrics compare), then whether the data identify its plan.

use std::fmt::Write as _;

use t2_core::Form;
use t2_fit::trust::Verdict;
use t2_fit::{Baseline, FormFit};

/// The forecast's error over persistence's on the same rows (below 1: the law beats carrying each size's last
/// checkpoint forward); the bare error when there is no persistence baseline; None without a forecast.
pub fn skill(fit: &FormFit) -> Option<f64> {
    let forecast = fit.forecast.as_ref()?;
    Some(match forecast.baseline(Baseline::Persistence) {
        Some(p) if p.error > 0.0 => p.form_error / p.error,
        _ => forecast.error,
    })
}

/// The T² forms (those that plan k*: not Chinchilla) fitted for `task`, best first.
pub fn rank<'a>(fits: &'a [FormFit], task: Option<&str>) -> Vec<&'a FormFit> {
    let mut ranked: Vec<&FormFit> = fits
        .iter()
        .filter(|f| f.form != Form::Chinchilla && f.task.as_deref() == task)
        .collect();
    let key = |f: &FormFit| {
        (
            f.trust.aspects.describes,
            skill(f).unwrap_or(f64::INFINITY),
            f.trust.aspects.identifies,
        )
    };
    ranked.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(ka.2.cmp(&kb.2))
    });
    ranked
}

/// The recommendation for `task` in words: the form to act on and why, and why not each of the others; when
/// even the best is `unreliable`, no form is recommended, and the ranking says so.
pub fn recommendation(fits: &[FormFit], task: Option<&str>) -> Option<String> {
    let ranked = rank(fits, task);
    let best = ranked.first()?;
    let mut out = if best.trust.verdict == Verdict::Unreliable {
        format!(
            "no form to act on: every T² form is unreliable; the least bad is {} — {}",
            best.form.label(),
            why(best)
        )
    } else {
        format!("recommended: {} — {}", best.form.label(), why(best))
    };
    for other in &ranked[1..] {
        let _ = write!(out, "\n  then {} — {}", other.form.label(), why(other));
    }
    Some(out)
}

/// One form's standing: what it failed to describe, its forecast beside persistence, its identification.
fn why(fit: &FormFit) -> String {
    let a = &fit.trust.aspects;
    let mut parts = Vec::new();
    if a.describes == Verdict::Ok {
        parts.push("describes its data".to_string());
    } else {
        let reasons: Vec<&str> = fit
            .trust
            .reasons
            .iter()
            .filter(|r| r.check.aspect() == t2_fit::trust::Aspect::Describes && r.verdict == a.describes)
            .map(|r| r.message.as_str())
            .collect();
        parts.push(format!("describes: {} ({})", a.describes, reasons.join("; ")));
    }
    if let Some(f) = &fit.forecast {
        let persistence = f.baseline(Baseline::Persistence).map_or(String::new(), |p| {
            format!(
                " against persistence's {:.2}%{}",
                100.0 * p.error,
                if p.form_error < p.error {
                    ""
                } else {
                    ": no better than carrying each size's last checkpoint forward"
                }
            )
        });
        parts.push(format!(
            "forecast {:.2}% error in {}{persistence}",
            100.0 * f.error,
            f.metric.name()
        ));
    } else {
        parts.push("forecast not checked".to_string());
    }
    if a.identifies != Verdict::Ok {
        parts.push(format!("identifies: {}", a.identifies));
    }
    parts.join("; ")
}
