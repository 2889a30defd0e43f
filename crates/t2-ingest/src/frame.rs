//! Reading a CSV or Parquet file into a polars `DataFrame`, with every failure turned into an [`IngestError`].
//!
//! CSV cells are read as text (no type inference) so that a bad cell is reported with its row and column by
//! [`crate::columns`] instead of polars silently turning a whole column into strings or nulls.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use polars::prelude::*;

use crate::error::IngestError;
use crate::options::Format;

/// The file's data (all columns, header names as in the file). Errors: unreadable, empty, truncated or
/// corrupt files, and files with a header but no data rows.
pub fn read_frame(path: &Path, format: Format) -> Result<DataFrame, IngestError> {
    let meta = std::fs::metadata(path).map_err(|e| IngestError::file(path, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(IngestError::file(path, "not a file"));
    }
    if meta.len() == 0 {
        return Err(IngestError::file(path, "the file is empty (no header, no rows)"));
    }
    // polars can panic on some malformed input; the panic is caught here, at the boundary, and reported.
    let df = catch_unwind(AssertUnwindSafe(|| read_with_polars(path, format)))
        .map_err(|_| {
            IngestError::file(
                path,
                format!("polars failed on this {} file (malformed?)", name(format)),
            )
        })?
        .map_err(|e| IngestError::file(path, format!("cannot read as {}: {e}", name(format))))?;
    if df.width() == 0 {
        return Err(IngestError::file(path, "the file has no columns"));
    }
    if df.height() == 0 {
        return Err(IngestError::file(path, "the file has a header but no data rows"));
    }
    Ok(df)
}

fn read_with_polars(path: &Path, format: Format) -> PolarsResult<DataFrame> {
    let source = PlRefPath::try_from_path(path)?;
    match format {
        Format::Csv => LazyCsvReader::new(source)
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .with_raise_if_empty(true)
            .finish()?
            .collect(),
        Format::Parquet => LazyFrame::scan_parquet(source, ScanArgsParquet::default())?.collect(),
    }
}

fn name(format: Format) -> &'static str {
    match format {
        Format::Csv => "CSV",
        Format::Parquet => "Parquet",
    }
}
