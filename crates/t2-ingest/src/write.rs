//! Writing a run table as CSV or Parquet (the normalised form `t2 ingest` produces and every reader accepts).

use std::path::Path;

use polars::prelude::*;
use t2_core::RunTable;

use crate::error::IngestError;
use crate::files::write_atomically;
use crate::options::Format;

/// Writes `table` to `path` (atomically: see [`crate::files`]) with canonical column names (params, tokens, k, then loss, pass_at_k, task, weight
/// when present, then the extra columns as text). Format from `format` or the extension.
pub fn write_runs(table: &RunTable, path: &Path, format: Option<Format>) -> Result<(), IngestError> {
    let format = Format::resolve(format, path)?;
    let mut frame =
        table_frame(table).map_err(|e| IngestError::file(path, format!("cannot build the table: {e}")))?;
    write_atomically(path, |out| {
        let written = match format {
            Format::Csv => CsvWriter::new(out).include_header(true).finish(&mut frame),
            Format::Parquet => ParquetWriter::new(out).finish(&mut frame).map(|_| ()),
        };
        written.map_err(std::io::Error::other)
    })
    .map_err(|e| IngestError::file(path, format!("cannot write: {e}")))
}

/// The table as a polars frame with canonical column names.
pub(crate) fn table_frame(table: &RunTable) -> PolarsResult<DataFrame> {
    let mut columns = vec![
        Column::new("params".into(), &table.params),
        Column::new("tokens".into(), &table.tokens),
        Column::new("k".into(), &table.k),
    ];
    let optional_numbers = [
        ("loss", &table.loss),
        ("pass_at_k", &table.pass_at_k),
        ("weight", &table.weight),
    ];
    for (name, values) in optional_numbers {
        if let Some(values) = values {
            columns.push(Column::new(name.into(), values));
        }
    }
    if let Some(task) = &table.task {
        columns.push(Column::new("task".into(), task));
    }
    for extra in &table.extra {
        columns.push(Column::new(extra.name.as_str().into(), &extra.values));
    }
    DataFrame::new(table.len(), columns)
}
