//! The summary of a fit file for people: a block per fitted form (verdict and reasons first, then estimates
//! with their spreads and intervals, R², the floor, the held-out error, the search and the bootstrap), the
//! forms skipped, and a closing "which fits to trust" list.

use std::fmt::Write as _;

use t2_fit::trust::Verdict;
use t2_fit::FormFit;

use super::estimates::render;
use super::{counted, number};
use crate::fitfile::FitFile;

/// "Approach 1 (task qa): ok" or "… : unreliable — A's interval spans 126 decades; …".
pub fn verdict_line(fit: &FormFit) -> String {
    let t = &fit.trust;
    if t.reasons.is_empty() {
        format!("{}: {}", fit.label(), t.verdict)
    } else {
        format!("{}: {} — {}", fit.label(), t.verdict, t.summary())
    }
}

/// One form's block.
pub fn form_block(fit: &FormFit) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{} [target {}]", fit.label(), fit.target.name());
    let _ = writeln!(out, "  verdict: {}", fit.trust.verdict);
    for r in &fit.trust.reasons {
        let _ = writeln!(out, "    - {} ({}): {}", r.check_name(), r.verdict, r.message);
    }
    for line in render(fit).lines() {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(
        out,
        "  R² {:.4} on {}; objective {} ({})",
        fit.objective.r_squared,
        counted(fit.objective.rows_used, "row"),
        number(fit.objective.value),
        fit.objective.name
    );
    if let Some(f) = &fit.floor {
        let _ = writeln!(
            out,
            "  RMSE in −ln pass@k {:.3} against {:.3} for a Beta-binomial per checkpoint ({})",
            f.form_rmse,
            f.floor_rmse,
            counted(f.rows, "row")
        );
    }
    if let Some(err) = fit.heldout_relative_error {
        let n = fit.predictions.iter().filter(|p| p.heldout).count();
        let _ = writeln!(
            out,
            "  held-out mean relative error {:.2}% on {}",
            100.0 * err,
            counted(n, "row")
        );
    }
    for left in &fit.rows_left_out {
        let _ = writeln!(
            out,
            "  not used: {} ({})",
            counted(left.count, "row"),
            left.reason
        );
    }
    let d = &fit.diagnostics;
    let _ = writeln!(
        out,
        "  search: {}, {} at the best, {}converged ({} iterations, |grad| = {:.2e}; {})",
        counted(d.starts, "start"),
        d.starts_at_best,
        if d.converged { "" } else { "NOT " },
        d.iterations,
        d.grad_norm,
        d.termination
    );
    if let Some(b) = &fit.bootstrap {
        let _ = writeln!(
            out,
            "  bootstrap: {} by {}, {} failed, {} with a parameter on a bound, {} where the guard beat the \
             warm start, {:.0}% intervals",
            counted(b.resamples, "resample"),
            b.unit,
            b.failed,
            b.draws_at_bound,
            b.guard_won,
            100.0 * b.level
        );
    }
    out
}

/// The whole summary: every form's block, the skipped forms, and which fits to trust.
pub fn summary(file: &FitFile) -> String {
    let mut out = String::new();
    for fit in &file.fits {
        out += &form_block(fit);
    }
    if !file.skipped.is_empty() {
        out += "\nnot fitted:\n";
        for s in &file.skipped {
            let _ = writeln!(out, "  {}: {}", s.scope, s.reason);
        }
    }
    out += &trust_summary(&file.fits);
    out
}

/// "which fits to trust": each fit's verdict line, worst first.
pub fn trust_summary(fits: &[FormFit]) -> String {
    let mut sorted: Vec<&FormFit> = fits.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.trust.verdict));
    let ok = fits.iter().filter(|f| f.trust.verdict == Verdict::Ok).count();
    let mut out = format!("\nwhich fits to trust ({ok} of {} ok):\n", fits.len());
    for fit in sorted {
        let _ = writeln!(out, "  {}", verdict_line(fit));
    }
    out
}
