//! Reading a CSV or Parquet file into a polars `DataFrame`, with every failure turned into an [`IngestError`]
//! naming the file: CSV through [`crate::csv_file`] (cells as text, so a bad cell is reported with its row and
//! column by [`crate::columns`]); Parquet checked against its own declarations first ([`crate::parquet_check`]),
//! then read by polars behind a boundary that turns a panic into an error ([`crate::panics`]).

use std::path::Path;

use polars::prelude::*;

use crate::error::IngestError;
use crate::options::Format;
use crate::panics::quietly;

/// Errors when `path` is missing, a directory, not a regular file, or empty.
pub fn check_path(path: &Path) -> Result<(), IngestError> {
    let meta = std::fs::metadata(path).map_err(|e| IngestError::file(path, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(IngestError::file(
            path,
            "is a directory; give the sweep's file (CSV or Parquet)",
        ));
    }
    if !meta.is_file() {
        return Err(IngestError::file(path, "is not a regular file"));
    }
    if meta.len() == 0 {
        return Err(IngestError::file(path, "the file is empty (no header, no rows)"));
    }
    Ok(())
}

/// The file's data (all columns, header names as in the file). Errors: missing, a directory, empty,
/// truncated or corrupt files, and files with a header but no data rows.
pub fn read_frame(path: &Path, format: Format) -> Result<DataFrame, IngestError> {
    check_path(path)?;
    let df = match format {
        Format::Csv => crate::csv_file::read_csv(path)?,
        Format::Parquet => read_parquet(path)?,
    };
    if df.width() == 0 {
        return Err(IngestError::file(path, "the file has no columns"));
    }
    if df.height() == 0 {
        return Err(IngestError::file(path, "the file has a header but no data rows"));
    }
    Ok(df)
}

/// A Parquet file, after [`crate::parquet_check::check`], read by polars (a panic inside it is an error).
fn read_parquet(path: &Path) -> Result<DataFrame, IngestError> {
    let fail = |message: String| IngestError::file(path, format!("cannot read as Parquet: {message}"));
    quietly(|| crate::parquet_check::check(path))
        .map_err(|panic| fail(format!("the file is malformed ({panic})")))?
        .map_err(fail)?;
    let read = || -> PolarsResult<DataFrame> {
        let source = PlRefPath::try_from_path(path)?;
        LazyFrame::scan_parquet(source, ScanArgsParquet::default())?.collect()
    };
    quietly(read)
        .map_err(|panic| fail(format!("the file is malformed ({panic})")))?
        .map_err(|e| fail(e.to_string()))
}
