//! Parameters of several fits side by side: for each (form, task), its verdict in every fit, then one row per
//! parameter, one column per fit, each cell "value [lo, hi]", and a flag where two fits' intervals do not
//! overlap.

use std::fmt::Write as _;

use t2_fit::{Estimate, FormFit, Verdict};

use super::{markdown_cell, number, spreadsheet_safe};

/// One parameter across the fits (None where a fit lacks it).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// "approach1" or "approach1 (task gsm8k)".
    pub fit: String,
    /// The parameter.
    pub name: String,
    /// Its estimate in each fit.
    pub cells: Vec<Option<Estimate>>,
}

impl Row {
    /// True when some pair of fits has intervals that do not overlap.
    pub fn disjoint(&self) -> bool {
        let intervals: Vec<(f64, f64)> = self
            .cells
            .iter()
            .flatten()
            .filter_map(|e| Some((e.lo?, e.hi?)))
            .collect();
        intervals
            .iter()
            .enumerate()
            .any(|(i, a)| intervals[i + 1..].iter().any(|b| a.1 < b.0 || b.1 < a.0))
    }
}

/// The verdicts of one (form, task) across the fits.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictRow {
    /// "approach1 (task qa)".
    pub fit: String,
    /// Its verdict in each fit.
    pub cells: Vec<Option<Verdict>>,
}

fn key(fit: &FormFit) -> String {
    fit.form.scope(fit.task.as_deref())
}

/// The comparison of `files` (each a list of fits): verdicts per (form, task) and rows for every estimate, in
/// first-seen order.
pub fn rows(files: &[Vec<FormFit>]) -> (Vec<VerdictRow>, Vec<Row>) {
    let mut verdicts: Vec<VerdictRow> = Vec::new();
    let mut out: Vec<Row> = Vec::new();
    for (j, fits) in files.iter().enumerate() {
        for fit in fits {
            let k = key(fit);
            let v = match verdicts.iter().position(|r| r.fit == k) {
                Some(i) => i,
                None => {
                    verdicts.push(VerdictRow {
                        fit: k.clone(),
                        cells: vec![None; files.len()],
                    });
                    verdicts.len() - 1
                }
            };
            verdicts[v].cells[j] = Some(fit.trust.verdict);
            for e in &fit.estimates {
                let index = match out.iter().position(|r| r.fit == k && r.name == e.name) {
                    Some(i) => i,
                    None => {
                        out.push(Row {
                            fit: k.clone(),
                            name: e.name.clone(),
                            cells: vec![None; files.len()],
                        });
                        out.len() - 1
                    }
                };
                out[index].cells[j] = Some(e.clone());
            }
        }
    }
    (verdicts, out)
}

fn cell(e: &Option<Estimate>) -> String {
    match e {
        None => "-".into(),
        Some(e) => match (e.lo, e.hi) {
            (Some(lo), Some(hi)) => format!("{} [{}, {}]", number(e.value), number(lo), number(hi)),
            _ => number(e.value),
        },
    }
}

fn verdict_cell(v: &Option<Verdict>) -> String {
    v.map_or("-".to_string(), |v| v.to_string())
}

/// Which table syntax to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns.
    Text,
    /// Comma-separated values.
    Csv,
    /// A Markdown table.
    Markdown,
}

impl std::str::FromStr for Format {
    type Err = String;
    /// "text", "csv" or "markdown".
    fn from_str(text: &str) -> Result<Format, String> {
        match text.trim() {
            "text" => Ok(Format::Text),
            "csv" => Ok(Format::Csv),
            "markdown" => Ok(Format::Markdown),
            other => Err(format!(
                "unknown table format '{other}' (expected text, csv or markdown)"
            )),
        }
    }
}

/// The table in the chosen syntax; `names` label the fit columns.
pub fn render(verdicts: &[VerdictRow], rows: &[Row], names: &[String], format: Format) -> String {
    let verdict_of = |fit: &str| verdicts.iter().find(|v| v.fit == fit);
    let mut out = String::new();
    let mut shown_verdict: Vec<&str> = Vec::new();
    match format {
        Format::Text => {
            let _ = write!(out, "{:<26} {:<16}", "form", "parameter");
            names.iter().for_each(|n| {
                let _ = write!(out, " {n:>36}");
            });
            out.push_str("  intervals\n");
            for r in rows {
                if !shown_verdict.contains(&r.fit.as_str()) {
                    shown_verdict.push(&r.fit);
                    if let Some(v) = verdict_of(&r.fit) {
                        let _ = write!(out, "{:<26} {:<16}", r.fit, "verdict");
                        v.cells.iter().for_each(|c| {
                            let _ = write!(out, " {:>36}", verdict_cell(c));
                        });
                        out.push('\n');
                    }
                }
                let _ = write!(out, "{:<26} {:<16}", r.fit, r.name);
                r.cells.iter().for_each(|c| {
                    let _ = write!(out, " {:>36}", cell(c));
                });
                out.push_str(if r.disjoint() { "  DO NOT OVERLAP\n" } else { "\n" });
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut header = vec!["form".to_string(), "parameter".to_string()];
            for n in names {
                header.extend(["value", "lo", "hi", "verdict"].map(|c| format!("{n} {c}")));
            }
            header.push("intervals_disjoint".into());
            let safe = |cells: Vec<String>| -> Vec<String> {
                cells.iter().map(|c| spreadsheet_safe(c).into_owned()).collect()
            };
            let _ = w.write_record(safe(header));
            for r in rows {
                let mut record = vec![r.fit.clone(), r.name.clone()];
                let verdict = verdict_of(&r.fit);
                for (j, c) in r.cells.iter().enumerate() {
                    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:e}"));
                    let v = verdict
                        .and_then(|v| v.cells[j])
                        .map_or(String::new(), |v| v.to_string());
                    match c {
                        Some(e) => record.extend([num(Some(e.value)), num(e.lo), num(e.hi), v]),
                        None => record.extend([String::new(), String::new(), String::new(), v]),
                    }
                }
                record.push(r.disjoint().to_string());
                // Numbers ("-1.5e0") are left as they are: only the text cells can be formulas.
                let record: Vec<String> = record
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if i < 2 {
                            spreadsheet_safe(&c).into_owned()
                        } else {
                            c
                        }
                    })
                    .collect();
                let _ = w.write_record(record);
            }
            out.push_str(&String::from_utf8_lossy(&w.into_inner().unwrap_or_default()));
        }
        Format::Markdown => {
            let names: Vec<String> = names.iter().map(|n| markdown_cell(n)).collect();
            let _ = writeln!(out, "| form | parameter | {} | intervals |", names.join(" | "));
            let _ = writeln!(out, "|---|---|{}---|", "---|".repeat(names.len()));
            for r in rows {
                if !shown_verdict.contains(&r.fit.as_str()) {
                    shown_verdict.push(&r.fit);
                    if let Some(v) = verdict_of(&r.fit) {
                        let cells: Vec<String> = v
                            .cells
                            .iter()
                            .map(|c| format!("**{}**", verdict_cell(c)))
                            .collect();
                        let _ = writeln!(
                            out,
                            "| {} | verdict | {} | |",
                            markdown_cell(&r.fit),
                            cells.join(" | ")
                        );
                    }
                }
                let cells: Vec<String> = r.cells.iter().map(cell).collect();
                let flag = if r.disjoint() {
                    "**do not overlap**"
                } else {
                    "overlap"
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {flag} |",
                    markdown_cell(&r.fit),
                    markdown_cell(&r.name),
                    cells.join(" | ")
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_fit::Kind;

    fn estimate(value: f64, lo: f64, hi: f64) -> Option<Estimate> {
        Some(Estimate {
            name: "alpha".into(),
            kind: Kind::Exponent,
            value,
            se: None,
            factor: None,
            lo: Some(lo),
            hi: Some(hi),
            draws: 100,
        })
    }

    #[test]
    fn flags_only_disjoint_intervals() {
        let row = |cells| Row {
            fit: "approach1".into(),
            name: "alpha".into(),
            cells,
        };
        assert!(!row(vec![estimate(0.3, 0.2, 0.4), estimate(0.35, 0.3, 0.5)]).disjoint());
        assert!(row(vec![
            estimate(0.3, 0.2, 0.4),
            estimate(0.35, 0.3, 0.5),
            estimate(0.6, 0.45, 0.7)
        ])
        .disjoint());
        assert!(!row(vec![estimate(0.3, 0.2, 0.4), None]).disjoint());
    }
}
