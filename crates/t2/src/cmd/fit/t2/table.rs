//! The human-readable summary of `t2 fit t2`: a block per fitted form with its estimates (SE and intervals when
//! bootstrapped), R², the held-out error and how the search and the bootstrap ended.

use t2_fit::FormFit;

use crate::estimates_table::{number, render};

/// The lines of the summary.
pub fn summary(fits: &[FormFit]) -> String {
    let mut out = String::new();
    for fit in fits {
        let task = fit.task.as_deref().unwrap_or("-");
        out += &format!("\n{} [task {task}, target {}]\n", fit.form.name(), fit.target);
        for line in render(fit).lines() {
            out += &format!("  {line}\n");
        }
        out += &format!(
            "  R² {:.4} on {} rows; {} = {}\n",
            fit.objective.r_squared,
            fit.objective.rows_used,
            fit.objective.name,
            number(fit.objective.value)
        );
        if let Some(err) = fit.heldout_relative_error {
            let n = fit.predictions.iter().filter(|p| p.heldout).count();
            out += &format!("  held-out mean relative error {:.2}% on {n} rows\n", 100.0 * err);
        }
        let d = &fit.diagnostics;
        out += &format!(
            "  search: {} starts, {} at the best, {}converged ({})\n",
            d.starts,
            d.starts_at_best,
            if d.converged { "" } else { "NOT " },
            d.termination
        );
        if !d.at_bound.is_empty() {
            out += &format!("  on a bound: {}\n", d.at_bound.join(", "));
        }
        if let Some(b) = &fit.bootstrap {
            out += &format!(
                "  bootstrap: {} resamples by {}, {} failed, {:.0}% intervals\n",
                b.resamples,
                b.unit,
                b.failed,
                100.0 * b.level
            );
        }
    }
    out
}
