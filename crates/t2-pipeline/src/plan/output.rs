//! The plan for people (a compact table per form at whole decades of C_train, three significant figures, with
//! bands and verdicts; or the full table) and for machines (CSV with one row per form and budget, or JSON).

use std::fmt::Write as _;
use std::path::Path;

use t2_core::plan::{Location, PlanPoint};
use t2_fit::trust::Verdict;

use super::{Bands, FormPlan, Interval, PlanRow};
use crate::error::Error;
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
fn with_band(value: f64, band: Option<Interval>) -> String {
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

/// Whether C is a whole power of ten (the compact table's rows).
fn is_decade(c: f64) -> bool {
    let e = c.log10();
    (e - e.round()).abs() < 1e-9
}

/// The rows the compact table shows: whole decades of C_train, or every row when there are none or few.
fn shown_rows(plan: &FormPlan, full: bool) -> Vec<&PlanRow> {
    let decades: Vec<&PlanRow> = plan
        .rows
        .iter()
        .filter(|r| is_decade(r.plan.optimum.train_flops))
        .collect();
    if full || decades.len() < 2 {
        plan.rows.iter().collect()
    } else {
        decades
    }
}

/// The plan for people: the header of fits not `ok`, then one block per form. Compact by default (C_train,
/// N*, D*/N*, k*, the metric, each with its band, the verdict and notes, at whole decades); `full` adds D* and
/// the Chinchilla and 20:1 reference points at every budget.
pub fn table(plans: &[FormPlan], inference_flops: f64, full: bool) -> String {
    let mut out = not_ok_header(plans);
    for plan in plans {
        let level = plan.rows.iter().find_map(|r| r.bands.as_ref().map(|b| b.level));
        let bands_note = match level {
            Some(l) => format!("{:.0}% bootstrap bands", 100.0 * l),
            None => "no bootstrap draws: no bands".to_string(),
        };
        let _ = writeln!(
            out,
            "{}: {} · C_inf = {} FLOPs · {bands_note} · fit {}",
            plan.label(),
            plan.metric.name(),
            sig3(inference_flops),
            plan.fit_verdict
        );
        let mut header = vec!["C_train", "N*", "D*/N*", "k*", plan.metric.name()];
        if full {
            header.extend(["D*", "Chinchilla N*", "Chinchilla value", "20:1 N", "20:1 value"]);
        }
        header.extend(["verdict", "notes"]);
        let mut lines: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
        for row in shown_rows(plan, full) {
            let (o, b) = (&row.plan.optimum, row.bands.as_ref());
            let band = |f: fn(&Bands) -> Interval| b.map(f);
            let mut cells = vec![
                sig3(o.train_flops),
                with_band(o.params, band(|b| b.params)),
                with_band(o.tokens_per_param, band(|b| b.tokens_per_param)),
                with_band(o.samples_affordable, band(|b| b.samples)),
                with_band(o.metric, band(|b| b.metric)),
            ];
            if full {
                let (c, t) = (&row.plan.chinchilla, &row.plan.twenty_to_one);
                cells.extend([
                    with_band(o.tokens, band(|b| b.tokens)),
                    sig3(c.params),
                    sig3(c.metric),
                    sig3(t.params),
                    sig3(t.metric),
                ]);
            }
            let own: Vec<&str> = row
                .trust
                .reasons
                .iter()
                .filter(|r| r.check.is_plan_check())
                .map(|r| r.message.as_str())
                .collect();
            let mut notes = vec![flags(o)];
            notes.extend(own.iter().map(|s| s.to_string()));
            notes.retain(|n| !n.is_empty());
            cells.extend([row.trust.verdict.to_string(), notes.join("; ")]);
            lines.push(cells);
        }
        out += &aligned(&lines);
        out.push('\n');
    }
    out
}

/// Rows of cells as left-aligned columns two spaces apart, trailing spaces trimmed.
fn aligned(lines: &[Vec<String>]) -> String {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            lines
                .iter()
                .filter_map(|l| l.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in lines {
        let mut text = String::new();
        for (c, cell) in line.iter().enumerate() {
            let _ = write!(text, "{cell:<w$}  ", w = widths[c]);
        }
        out += text.trim_end();
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
    t2_ingest::files::refuse_overwriting_inputs(path, inputs).map_err(Error::Request)?;
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
