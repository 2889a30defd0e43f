//! The advice for people (a table per fit) and machines (JSON), and the candidate runs a team can train, read
//! from a CSV file.

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Advice;
use crate::error::Error;
use crate::tables::sig3;
use t2_ingest::IngestError;

/// Every fit's advice, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advised {
    /// The form advised on.
    pub form: t2_core::Form,
    /// Its task.
    pub task: Option<String>,
    /// The advice.
    pub advice: Option<Advice>,
    /// Why the fit has none.
    pub refused: Option<String>,
}

impl Advised {
    /// "approach1 (task qa)".
    pub fn label(&self) -> String {
        self.form.scope(self.task.as_deref())
    }
}

/// A quantity's band of ±`sd` as people read it: "×/÷ 1.53" on a log scale, "± 0.012" on a linear one.
pub(crate) fn spread(sd: f64, log: bool) -> String {
    if log {
        format!("×/÷ {}", sig3(sd.exp()))
    } else {
        format!("± {}", sig3(sd))
    }
}

/// The advice as text: per fit, the quantity's spread now and after, the bands' agreement, and the picks.
pub fn table(advised: &[Advised]) -> String {
    let mut out = String::new();
    for a in advised {
        let Some(advice) = &a.advice else {
            let _ = writeln!(
                out,
                "{}: no advice: {}\n",
                a.label(),
                a.refused.as_deref().unwrap_or("")
            );
            continue;
        };
        let log = advice.quantity.is_log();
        let value = if log { advice.value.exp() } else { advice.value };
        let _ = writeln!(
            out,
            "{}: {} = {} at {} · 1 sd {} now, {} after {} ({} FLOPs)",
            a.label(),
            advice.quantity.name(),
            sig3(value),
            advice.target,
            spread(advice.sd_now, log),
            spread(advice.sd_after, log),
            crate::tables::counted(advice.picks.len(), "run"),
            sig3(advice.spent)
        );
        if let Some(r) = advice.band_ratio {
            let _ = writeln!(out, "  delta-method band / bootstrap band: {}", sig3(r));
        }
        if let Some(w) = &advice.warning {
            let _ = writeln!(out, "  warning: {w}");
        }
        let mut lines = vec![[
            "N",
            "D",
            "D/N",
            "6ND",
            "predicted (k=1)",
            "sd before → after",
            "budget",
            "why",
        ]
        .map(String::from)
        .to_vec()];
        for p in &advice.picks {
            lines.push(vec![
                sig3(p.params),
                sig3(p.tokens),
                sig3(p.tokens_per_param),
                sig3(p.train_flops),
                sig3(p.predicted),
                format!("{} → {}", sig3(p.sd_before), sig3(p.sd_after)),
                format!("{:.0}%", 100.0 * p.budget_share),
                p.reason.clone(),
            ]);
        }
        out += &crate::tables::aligned(&lines);
        out.push('\n');
    }
    out
}

/// Candidate runs from a CSV file with `params` and `tokens` columns (the sizes a team can train).
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read; [`Error::Ingest`] naming the file, and the row and column of a
/// cell that is not a number ≥ 1, or a missing column, or no rows.
pub fn read_candidates(path: &Path) -> Result<Vec<(f64, f64)>, Error> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| Error::io(path, e))?;
    let headers = reader.headers().map_err(|e| Error::io(path, e))?.clone();
    let column = |name: &str| {
        headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            Error::Ingest(IngestError::file(
                path,
                format!("no {name} column (candidates need params and tokens)"),
            ))
        })
    };
    let (n, d) = (column("params")?, column("tokens")?);
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::io(path, e))?;
        let cell = |j: usize, name: &str| {
            let text = record.get(j).unwrap_or("");
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 1.0)
                .ok_or_else(|| {
                    let value = t2_core::words::printable(text);
                    Error::Ingest(IngestError::cell(
                        path,
                        i + 2,
                        name,
                        format!("{value:?} is not a number ≥ 1"),
                    ))
                })
        };
        out.push((cell(n, "params")?, cell(d, "tokens")?));
    }
    if out.is_empty() {
        return Err(Error::Ingest(IngestError::file(path, "no candidate runs")));
    }
    Ok(out)
}
