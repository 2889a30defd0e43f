//! The summary of a fit file for people: a block per fitted form (verdict and reasons first, then estimates
//! with their spreads and intervals, R², the floor, the held-out error, the search and the bootstrap), the
//! forms skipped, and a closing "which fits to trust" list.

use std::fmt::Write as _;

use t2_fit::trust::Verdict;
use t2_fit::{Forecast, FormFit, SizeMisfit};

use super::estimates::render;
use super::{counted, number, sig3};
use crate::fitfile::FitFile;
use crate::misfit::notable;

/// "Approach 1 (task qa): ok (describes ok, predicts ok, identifies ok)" or "… : unreliable (describes
/// unreliable, …) — the gain from sampling …; …".
pub fn verdict_line(fit: &FormFit) -> String {
    let t = &fit.trust;
    let head = format!("{}: {} ({})", fit.label(), t.verdict, aspects_line(fit));
    let why = t.summary();
    if why.is_empty() {
        head
    } else {
        format!("{head} — {why}")
    }
}

/// "describes ok, predicts caution, identifies ok", with "predicts not checked" when no forecast ran.
pub fn aspects_line(fit: &FormFit) -> String {
    let a = &fit.trust.aspects;
    let predicts = if fit.forecast.is_some() || fit.heldout_relative_error.is_some() {
        a.predicts.to_string()
    } else {
        "not checked".to_string()
    };
    format!(
        "describes {}, predicts {predicts}, identifies {}",
        a.describes, a.identifies
    )
}

/// The forecast check in a line: "forecast (pass@k, 154 held-out rows): 8.1%; persistence 6.0%, …".
pub fn forecast_line(forecast: &Forecast) -> String {
    let baselines: Vec<String> = forecast
        .baselines
        .iter()
        .map(|b| {
            format!(
                "{} {:.2}% (the form {:.2}% on its {})",
                b.baseline.name(),
                100.0 * b.error,
                100.0 * b.form_error,
                counted(b.rows, "row")
            )
        })
        .collect();
    format!(
        "forecast of {} held out ({}; {}): mean relative error in {} {:.2}%{}",
        counted(forecast.checkpoints, "checkpoint"),
        forecast.protocol,
        counted(forecast.rows, "row"),
        forecast.metric.name(),
        100.0 * forecast.error,
        if baselines.is_empty() {
            String::new()
        } else {
            format!("; baselines: {}", baselines.join(", "))
        }
    )
}

/// One form's block.
pub fn form_block(fit: &FormFit) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{} [target {}]", fit.label(), fit.target.name());
    let _ = writeln!(out, "  verdict: {} ({})", fit.trust.verdict, aspects_line(fit));
    for r in fit.trust.reasons.iter().filter(|r| r.verdict != Verdict::Ok) {
        let _ = writeln!(
            out,
            "    - {} {} ({}): {}",
            r.check.aspect().name(),
            r.check_name(),
            r.verdict,
            r.message
        );
    }
    for r in fit.trust.notes() {
        let _ = writeln!(
            out,
            "    - note, {} {}: {}",
            r.check.aspect().name(),
            r.check_name(),
            r.message
        );
    }
    if let Some(f) = &fit.forecast {
        let _ = writeln!(out, "  {}", forecast_line(f));
    }
    for m in notable(&fit.misfit) {
        let _ = writeln!(out, "  {}", misfit_line(m));
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

/// "misfit: Gemstone-256x48 (N 1.2e8) has 31% of the squared error on 6% of the rows, mean residual +0.012;
/// refit without it: --exclude-where 'model == "…"'".
pub fn misfit_line(m: &SizeMisfit) -> String {
    format!(
        "misfit: {} has {:.0}% of the squared error on {:.0}% of the rows, mean residual {:+.3e}; refit without \
         it: --exclude-where '{}'",
        match &m.model {
            Some(model) => format!("{model} (N {})", sig3(m.params)),
            None => format!("N {}", sig3(m.params)),
        },
        100.0 * m.share,
        100.0 * m.row_share,
        m.mean_residual,
        m.exclude_filter()
    )
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
    out += &recommendations(&file.fits);
    out
}

/// The recommendation of every task group ([`crate::recommend`]), one paragraph each.
pub fn recommendations(fits: &[FormFit]) -> String {
    let mut tasks: Vec<Option<&str>> = Vec::new();
    for f in fits {
        if !tasks.contains(&f.task.as_deref()) {
            tasks.push(f.task.as_deref());
        }
    }
    let mut out = String::new();
    for task in tasks {
        if let Some(text) = crate::recommend::recommendation(fits, task) {
            let _ = writeln!(
                out,
                "
{}{text}",
                task.map_or(String::new(), |t| format!("task {t}: "))
            );
        }
    }
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
