//! Carried columns t2 reads as numbers: `pretrain_loss` (the chained form's input) and `unique_tokens` (the
//! unique tokens of a sweep that repeated data). Every cell is checked; an error names the file row behind the
//! first bad one.

use t2_core::table::{PRETRAIN_LOSS, UNIQUE_TOKENS};

use crate::error::IngestError;
use crate::report::Ingested;

/// Checks the carried numeric columns the sweep has: every `pretrain_loss` cell a positive finite number, every
/// `unique_tokens` cell a finite number ≥ 1.
pub fn validate(ingested: &Ingested) -> Result<(), IngestError> {
    check(
        ingested,
        PRETRAIN_LOSS,
        "the pretraining loss must be a positive number",
        |v| v > 0.0,
    )?;
    check(
        ingested,
        UNIQUE_TOKENS,
        "the unique tokens must be a number ≥ 1",
        |v| v >= 1.0,
    )
}

fn check(ingested: &Ingested, name: &str, rule: &str, ok: impl Fn(f64) -> bool) -> Result<(), IngestError> {
    let Some(column) = ingested.table.extra.iter().find(|c| c.name == name) else {
        return Ok(());
    };
    for (i, cell) in column.values.iter().enumerate() {
        if !cell.trim().parse::<f64>().is_ok_and(|v| v.is_finite() && ok(v)) {
            let row = ingested.source_rows[i].first().unwrap_or(0);
            return Err(IngestError::cell(
                &ingested.report.path,
                row,
                name,
                format!("{rule}, got '{}'", cell.escape_debug()),
            ));
        }
    }
    Ok(())
}
