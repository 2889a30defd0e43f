//! The plan for people (a compact table per form at whole decades of the budgets, three significant figures,
//! with bands and verdicts; or the full table) and for machines (CSV with one row per form and budget or target,
//! or JSON).

use std::fmt::Write as _;
use std::path::Path;

use t2_core::plan::PlanPoint;

use super::cells::{flags, not_ok_header, with_band};
use super::{Bands, FormPlan, Interval, PlanRow, Scenario};
use crate::error::Error;
use crate::tables::{aligned, sig3};

/// Whether C is a whole power of ten (the compact table's rows).
fn is_decade(c: f64) -> bool {
    let e = c.log10();
    (e - e.round()).abs() < 1e-9
}

/// The rows the compact table shows: whole decades of the budgets, or every row when there are none or few, or
/// when the rows are targets or a trained model's samples.
fn shown_rows(plan: &FormPlan, full: bool, along_budgets: bool) -> Vec<&PlanRow> {
    let decades: Vec<&PlanRow> = plan.rows.iter().filter(|r| is_decade(r.budget.scale())).collect();
    if full || !along_budgets || decades.len() < 2 {
        plan.rows.iter().collect()
    } else {
        decades
    }
}

/// The columns of a plan's table for a scenario: what was asked, the allocation, the metric, the verdict.
struct Layout {
    targets: bool,
    lifetime: bool,
    /// N is given (a model that exists).
    sized: bool,
    /// N and D are given (a trained model).
    trained: bool,
    limited: bool,
    full: bool,
}

impl Layout {
    fn header(&self, metric: &str) -> Vec<String> {
        let mut h: Vec<&str> = Vec::new();
        if self.targets {
            h.push("target");
        }
        h.push(match (self.lifetime, self.trained) {
            (true, _) => "C_total",
            (false, true) => "C_inf",
            (false, false) => "C_train",
        });
        if self.lifetime || self.targets && !self.trained {
            h.push(if self.lifetime { "C_train" } else { "C_inf" });
        }
        h.extend(["N*", "D*", "D*/N*"]);
        if self.limited {
            h.push("epochs");
        }
        h.extend(["k*", metric]);
        if self.full {
            h.extend(if self.targets {
                ["Chinchilla N*", "Chinchilla cost", "20:1 N", "20:1 cost"]
            } else {
                ["Chinchilla N*", "Chinchilla value", "20:1 N", "20:1 value"]
            });
        }
        h.extend(["verdict", "notes"]);
        h.iter().map(|s| s.to_string()).collect()
    }

    fn cells(&self, row: &PlanRow) -> Vec<String> {
        let (o, b) = (&row.plan.optimum, row.bands.as_ref());
        // A quantity the scenario fixes has no band to show.
        let value =
            |v: f64, f: fn(&Bands) -> Interval, fixed: bool| with_band(v, b.filter(|_| !fixed).map(f));
        let reached = row.plan.target.is_none_or(|t| t.reachable);
        let shown = |text: String| if reached { text } else { "—".to_string() };
        let mut cells = Vec::new();
        if let Some(t) = row.plan.target {
            cells.push(sig3(t.target.value));
        }
        let total = || {
            let band = b.and_then(|b| b.total_flops).filter(|_| self.targets);
            with_band(o.total_flops.unwrap_or(f64::NAN), band)
        };
        let train = |fixed: bool| value(o.train_flops, |b| b.train_flops, fixed);
        cells.push(shown(match (self.lifetime, self.trained) {
            (true, _) => total(),
            (false, true) => sig3(o.inference_flops),
            (false, false) => train(!self.targets),
        }));
        if self.lifetime || self.targets && !self.trained {
            cells.push(shown(if self.lifetime {
                train(false)
            } else {
                sig3(o.inference_flops)
            }));
        }
        let per_query_model = self.trained && !self.targets && !self.lifetime;
        cells.extend([
            shown(value(o.params, |b| b.params, self.sized)),
            shown(value(o.tokens, |b| b.tokens, self.trained)),
            shown(value(o.tokens_per_param, |b| b.tokens_per_param, self.trained)),
        ]);
        if self.limited {
            cells.push(shown(o.epochs.map_or(String::new(), sig3)));
        }
        cells.extend([
            shown(value(o.samples_affordable, |b| b.samples, per_query_model)),
            if reached {
                with_band(o.metric, b.map(|b| b.metric))
            } else {
                "not reachable".to_string()
            },
        ]);
        if self.full {
            let value =
                |p: Option<PlanPoint>, f: fn(&PlanPoint) -> f64| p.map_or("—".to_string(), |p| sig3(f(&p)));
            let (c, t) = (row.plan.chinchilla, row.plan.twenty_to_one);
            // For a target, what the rule pays to reach it (its value is the target); else what it reaches.
            let second: fn(&PlanPoint) -> f64 = match (self.targets, self.lifetime) {
                (true, true) => |p| p.total_flops.unwrap_or(f64::NAN),
                (true, false) => |p| p.train_flops,
                (false, _) => |p| p.metric,
            };
            cells.extend([
                value(c, |p| p.params),
                value(c, second),
                value(t, |p| p.params),
                value(t, second),
            ]);
        }
        let mut notes = vec![if reached { flags(o) } else { String::new() }];
        notes.extend(
            row.trust
                .reasons
                .iter()
                .filter(|r| r.check.is_plan_check())
                .map(|r| r.message.clone()),
        );
        notes.retain(|n| !n.is_empty());
        cells.extend([row.trust.verdict.to_string(), notes.join("; ")]);
        cells
    }
}

/// The plan for people: the header of fits not `ok`, then one block per form: what was asked (the budget, or
/// the target and the cheapest budget that reaches it), N*, D*, D*/N*, (epochs), k*, the metric, each with its
/// band, the verdict and notes. The paper's budgets without `full` are the screen-sized [`super::compact`]
/// table; `full` shows every budget and the Chinchilla and 20:1 reference rules.
pub fn table(plans: &[FormPlan], scenario: &Scenario, full: bool) -> String {
    let layout = Layout {
        targets: !scenario.target_loss.is_empty() || !scenario.target_pass_at_k.is_empty(),
        lifetime: scenario.is_lifetime(),
        sized: scenario.params.is_some(),
        trained: scenario.params.is_some() && scenario.tokens.is_some(),
        limited: scenario.unique_tokens.is_some(),
        full,
    };
    let along_budgets = !layout.targets && !layout.trained;
    if along_budgets && !full && !layout.lifetime && !layout.limited {
        return super::compact::table(plans, scenario);
    }
    let mut out = not_ok_header(plans);
    for plan in plans {
        let bands_note = match plan.level {
            Some(l) => format!("{:.0}% bootstrap bands", 100.0 * l),
            None => "no bootstrap draws: no bands".to_string(),
        };
        let _ = writeln!(
            out,
            "{}: {} · {} · {bands_note} · fit {}",
            plan.label(),
            plan.metric.name(),
            scenario.describe(),
            plan.fit_verdict
        );
        if let Some(note) = &plan.note {
            let _ = writeln!(out, "  {note}\n");
            continue;
        }
        let mut lines = vec![layout.header(plan.metric.name())];
        lines.extend(
            shown_rows(plan, full, along_budgets)
                .into_iter()
                .map(|r| layout.cells(r)),
        );
        out += &aligned(&lines);
        out.push('\n');
    }
    out
}

/// The plans as CSV text.
pub fn csv(plans: &[FormPlan]) -> Result<Vec<u8>, csv::Error> {
    crate::frames::csv(&crate::frames::plans(plans))
}

/// Writes the plans (atomically) as CSV (by the .csv extension) or JSON (.json); refuses to overwrite `inputs`.
pub fn write(plans: &[FormPlan], path: &Path, inputs: &[&Path]) -> Result<(), Error> {
    Error::refuse_overwriting_inputs(path, inputs)?;
    let bytes = match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => csv(plans).map_err(|e| Error::io(path, e))?,
        Some("json") => (serde_json::to_string_pretty(plans).unwrap_or_default() + "\n").into_bytes(),
        _ => {
            return Err(Error::option(
                crate::setting::Setting::Out,
                format!("use a .csv or .json file name, not {}", path.display()),
            ))
        }
    };
    t2_ingest::files::write_bytes(path, &bytes).map_err(|e| Error::write(path, e))
}
