//! Helpers shared by the ingest integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use t2_ingest::{IngestError, IngestOptions, Ingested};

/// Path of a fixture file in tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Reads a fixture with `opts`.
pub fn read(name: &str, opts: &IngestOptions) -> Result<Ingested, IngestError> {
    t2_ingest::read_runs(&fixture(name), opts)
}

/// Reads a fixture that must fail, and checks the error's row, column and message, and that its text names the
/// file, the row and the column.
pub fn expect_error(
    name: &str,
    opts: &IngestOptions,
    row: Option<usize>,
    column: Option<&str>,
    fragment: &str,
) {
    let err = match read(name, opts) {
        Ok(ingested) => panic!(
            "{name}: expected an error, got a table of {} rows",
            ingested.table.len()
        ),
        Err(err) => err,
    };
    let text = err.to_string();
    assert_eq!(err.row, row, "{name}: {text}");
    assert_eq!(err.column.as_deref(), column, "{name}: {text}");
    assert!(text.contains(fragment), "{name}: '{fragment}' not in: {text}");
    assert!(text.contains(name), "{name}: the file is not named in: {text}");
    if let Some(row) = row {
        assert!(text.contains(&format!("row {row}")), "{name}: {text}");
    }
    if let Some(column) = column {
        assert!(text.contains(&format!("column '{column}'")), "{name}: {text}");
    }
}

pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// A table's rows as bits (params, tokens, task, k, pass@k, loss), sorted: two tables with the same rows in
/// another order (checkpoints come out in order of first appearance) compare equal, to the last bit.
pub fn sorted_rows(t: &t2_core::RunTable) -> Vec<(u64, u64, String, u64, u64, u64)> {
    let mut rows: Vec<_> = (0..t.len())
        .map(|i| {
            (
                t.params[i].to_bits(),
                t.tokens[i].to_bits(),
                t.task.as_ref().unwrap()[i].clone(),
                t.k[i].to_bits(),
                t.pass_at_k.as_ref().unwrap()[i].to_bits(),
                t.loss.as_ref().unwrap()[i].to_bits(),
            )
        })
        .collect();
    rows.sort();
    rows
}
