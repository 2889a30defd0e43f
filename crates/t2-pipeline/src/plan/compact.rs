//! The plan that fits a screen (`t2 plan` without `--full`, along budgets): one table per task with every form
//! at the headline budgets (or at every budget when there are few), and the plan's own notes as numbered
//! footnotes, one per kind of note, instead of a sentence repeated on every row.

use std::fmt::Write as _;

use super::cells::{flags, not_ok_header, with_band};
use super::{FormPlan, PlanRow, Scenario};
use crate::tables::headline::headline_rows;
use crate::tables::{aligned, sig3};

/// The footnotes met so far: the kind of note, its number, and the first message of that kind.
#[derive(Default)]
struct Footnotes {
    kinds: Vec<(String, String)>,
}

impl Footnotes {
    /// The footnote numbers of a row's notes ("1, 3").
    fn mark(&mut self, row: &PlanRow) -> String {
        let mut notes: Vec<(String, String)> = row
            .trust
            .reasons
            .iter()
            .filter(|r| r.check.is_plan_check())
            .map(|r| (r.check.name().to_string(), r.message.clone()))
            .collect();
        let flagged = flags(&row.plan.optimum);
        if !flagged.is_empty() {
            notes.push((flagged.clone(), flagged));
        }
        let numbers: Vec<String> = notes
            .into_iter()
            .map(|(kind, message)| {
                let at = match self.kinds.iter().position(|(k, _)| *k == kind) {
                    Some(i) => i,
                    None => {
                        self.kinds.push((kind, message));
                        self.kinds.len() - 1
                    }
                };
                (at + 1).to_string()
            })
            .collect();
        numbers.join(", ")
    }
}

/// Budgets a form may have and all be shown; more (a range) show the headline budgets.
const FEW_BUDGETS: usize = 5;

/// Width a footnote is wrapped at.
const WIDTH: usize = 118;

/// `text` wrapped at [`WIDTH`] on spaces, the first line after `first`, the others after `rest`.
fn wrapped(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    for word in text.split(' ') {
        if line.chars().count() + 1 + word.chars().count() > WIDTH && !line.trim().is_empty() {
            out += line.trim_end();
            out.push('\n');
            line = rest.to_string();
        }
        if !line.trim().is_empty() {
            line.push(' ');
        }
        line += word;
    }
    out += line.trim_end();
    out.push('\n');
    out
}

/// The compact plan (see the module).
pub fn table(plans: &[FormPlan], scenario: &Scenario) -> String {
    let mut out = not_ok_header(plans);
    let mut notes = Footnotes::default();
    let mut tasks: Vec<Option<String>> = Vec::new();
    for p in plans {
        if !tasks.contains(&p.task) {
            tasks.push(p.task.clone());
        }
    }
    let level = plans.iter().find_map(|p| p.level);
    let _ = writeln!(
        out,
        "{} · {} · notes below",
        scenario.describe(),
        level.map_or("no bootstrap draws: no bands".to_string(), |l| format!(
            "{:.0}% bootstrap bands",
            100.0 * l
        ))
    );
    for task in tasks {
        let header = [
            "form",
            scenario.scale_symbol(),
            "N*",
            "D*",
            "D*/N*",
            "k*",
            "metric",
            "verdict",
            "notes",
        ];
        let mut lines = vec![header.map(String::from).to_vec()];
        for plan in plans.iter().filter(|p| p.task == task) {
            let rows: Vec<&PlanRow> = if plan.rows.len() <= FEW_BUDGETS {
                plan.rows.iter().collect()
            } else {
                headline_rows(plan)
            };
            for row in rows {
                let (o, b) = (&row.plan.optimum, row.bands.as_ref());
                lines.push(vec![
                    format!("{} ({})", plan.form.label(), plan.metric.name()),
                    sig3(row.budget.scale()),
                    with_band(o.params, b.map(|b| b.params)),
                    sig3(o.tokens),
                    sig3(o.tokens_per_param),
                    with_band(o.samples_affordable, b.map(|b| b.samples)),
                    with_band(o.metric, b.map(|b| b.metric)),
                    row.trust.verdict.to_string(),
                    notes.mark(row),
                ]);
            }
        }
        let _ = writeln!(
            out,
            "\n{}",
            task.as_deref()
                .map_or("all rows".to_string(), |t| format!("task {t}"))
        );
        out += &aligned(&lines);
    }
    if !notes.kinds.is_empty() {
        out.push_str("\nnotes (the first of each kind; --full gives every row's):\n");
        for (i, (kind, message)) in notes.kinds.iter().enumerate() {
            let text = if kind == message {
                kind.clone()
            } else {
                format!("{kind}: {message}")
            };
            out += &wrapped(&format!("{}. {text}", i + 1), "  ", "     ");
        }
    }
    out.push_str("--full: every budget, D* bands and the Chinchilla and 20:1 reference rules\n");
    out
}
