//! The headline of a run, on one screen: at a few training budgets, each form's compute-optimal N*, D* (in
//! tokens, to set beside the data there are), D*/N* and k* with their bands and verdicts; and the extrapolation
//! check's held-out errors.

use std::fmt::Write as _;

use super::sig3;
use crate::figures::task_groups;
use crate::fitfile::FitFile;
use crate::plan::{FormPlan, Interval, PlanRow, Scenario};

/// Budgets the headline shows when the plan has them.
pub const HEADLINE_BUDGETS: [f64; 3] = [1e21, 1e23, 1e25];

/// "3.21e8 [2.95e8, 3.50e8]".
pub fn banded(value: f64, band: Option<Interval>) -> String {
    match band {
        Some(b) => format!("{} [{}, {}]", sig3(value), sig3(b.lo), sig3(b.hi)),
        None => sig3(value),
    }
}

/// The rows of a plan at the headline budgets (up to three of its own budgets, spread, when it has none of
/// them).
pub fn headline_rows(plan: &FormPlan) -> Vec<&PlanRow> {
    let at = |c: f64| {
        plan.rows
            .iter()
            .find(|r| (r.budget.scale() / c - 1.0).abs() < 1e-9)
    };
    let chosen: Vec<&PlanRow> = HEADLINE_BUDGETS.iter().filter_map(|&c| at(c)).collect();
    if !chosen.is_empty() {
        return chosen;
    }
    let n = plan.rows.len();
    let mut picks: Vec<usize> = [0, n / 2, n.saturating_sub(1)]
        .into_iter()
        .filter(|&i| i < n)
        .collect();
    picks.dedup();
    picks.into_iter().map(|i| &plan.rows[i]).collect()
}

/// The headline of `plans` (their primary task group: the macro average, or the only task).
pub fn headline(plans: &[FormPlan], scenario: &Scenario) -> String {
    let primary = plans.first().map(|p| p.task.clone());
    let primary = plans
        .iter()
        .find(|p| p.task.as_deref() == Some("macro"))
        .map(|p| p.task.clone())
        .or(primary)
        .flatten();
    let shown: Vec<&FormPlan> = plans.iter().filter(|p| p.task == primary).collect();
    let mut out = format!(
        "\nheadline: compute-optimal allocation ({}){}\n",
        scenario.describe(),
        primary
            .as_deref()
            .map_or(String::new(), |t| format!(" (task {t})"))
    );
    let mut lines: Vec<Vec<String>> = vec![[
        "form",
        scenario.scale_symbol(),
        "N*",
        "D* (tokens)",
        "D*/N*",
        "k*",
        "verdict",
    ]
    .map(String::from)
    .to_vec()];
    for plan in shown {
        for row in headline_rows(plan) {
            let (o, b) = (&row.plan.optimum, row.bands.as_ref());
            lines.push(vec![
                plan.form.label().to_string(),
                sig3(row.budget.scale()),
                banded(o.params, b.map(|b| b.params)),
                banded(o.tokens, b.map(|b| b.tokens)),
                banded(o.tokens_per_param, b.map(|b| b.tokens_per_param)),
                banded(o.samples_affordable, b.map(|b| b.samples)),
                row.trust.verdict.to_string(),
            ]);
        }
    }
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0))
        .collect();
    for line in &lines {
        let mut text = String::from("  ");
        for (c, cell) in line.iter().enumerate() {
            let _ = write!(text, "{cell:<w$}  ", w = widths[c]);
        }
        out += text.trim_end();
        out.push('\n');
    }
    out
}

/// The extrapolation check in a few lines: what was held out and each fit's held-out error, primary group.
pub fn extrapolation(file: &FitFile) -> String {
    let Some(heldout) = &file.input.heldout else {
        return String::new();
    };
    let mut out = format!(
        "\nextrapolation check ({}; {} file rows):\n",
        heldout.reason,
        heldout.rows.len()
    );
    let primary = task_groups(&file.fits).into_iter().next();
    for fit in primary.map(|g| g.1).unwrap_or_default() {
        let _ = writeln!(
            out,
            "  {}: held-out mean relative error {} ({})",
            fit.label(),
            fit.heldout_relative_error
                .map_or("-".to_string(), |e| format!("{:.2}%", 100.0 * e)),
            fit.trust.verdict
        );
    }
    out
}
