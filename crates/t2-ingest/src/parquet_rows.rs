//! Reading rows of a Parquet file with polars, behind the panic boundary ([`crate::panics`]), every failure an
//! error naming the file.

use std::path::Path;

use polars::prelude::*;

use crate::error::IngestError;
use crate::panics::quietly;

/// Rows `offset..offset + count` of a Parquet file (polars behind a panic boundary).
pub fn parquet_rows(path: &Path, offset: usize, count: usize) -> Result<DataFrame, IngestError> {
    let fail = |message: String| parquet_error(path, message);
    let read = || -> PolarsResult<DataFrame> {
        let source = PlRefPath::try_from_path(path)?;
        LazyFrame::scan_parquet(source, ScanArgsParquet::default())?
            .slice(offset as i64, count as IdxSize)
            .collect()
    };
    quietly(read)
        .map_err(|panic| fail(format!("the file is malformed ({panic})")))?
        .map_err(|e| fail(e.to_string()))
}

/// "cannot read as Parquet: …".
pub fn parquet_error(path: &Path, message: String) -> IngestError {
    IngestError::file(path, format!("cannot read as Parquet: {message}"))
}
