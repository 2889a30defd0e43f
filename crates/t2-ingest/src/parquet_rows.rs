//! Reading rows of a Parquet file with polars, behind the panic boundary ([`crate::panics`]), every failure an
//! error naming the file. The footer is read once ([`crate::parquet_check`]) and given to every read; a read
//! decodes on the calling thread only (the caller's pool shares the batches among threads), with polars' query
//! engine as the fallback for the column types its single-threaded reader lacks.

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;
use polars_parquet::parquet::metadata::FileMetadata;

use crate::error::IngestError;
use crate::panics::quietly;

/// A Parquet file's footer, checked.
pub type Footer = Arc<FileMetadata>;

/// Rows `offset..offset + count` of the Parquet file with footer `footer` (polars behind a panic boundary).
pub fn parquet_rows(
    path: &Path,
    footer: &Footer,
    offset: usize,
    count: usize,
) -> Result<DataFrame, IngestError> {
    let fail = |message: String| parquet_error(path, message);
    let file = std::fs::File::open(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let (groups, skip) = row_groups_holding(footer, offset, count);
    let eager = || -> PolarsResult<DataFrame> {
        let mut reader = ParquetReader::new(file)
            .with_slice(Some((skip, count)))
            .read_parallel(ParallelStrategy::None);
        reader.set_metadata(groups);
        reader.finish()
    };
    if let Ok(Ok(frame)) = quietly(eager) {
        return Ok(frame);
    }
    // The eager reader knows fewer column types (float16 is unreachable code to it): the query engine's reader
    // is the one whose verdict counts.
    let lazy = || -> PolarsResult<DataFrame> {
        let source = PlRefPath::try_from_path(path)?;
        LazyFrame::scan_parquet(source, ScanArgsParquet::default())?
            .slice(offset as i64, count as IdxSize)
            .collect()
    };
    quietly(lazy)
        .map_err(|panic| fail(format!("the file is malformed ({panic})")))?
        .map_err(|e| fail(e.to_string()))
}

/// The footer of the row groups that hold rows `offset..offset + count`, and the first row's index in them: the
/// single-threaded reader decodes every row group before the slice, so it is shown only these.
fn row_groups_holding(footer: &FileMetadata, offset: usize, count: usize) -> (Footer, usize) {
    let (mut start, mut first_start) = (0, None);
    let mut row_groups = Vec::new();
    for group in &footer.row_groups {
        let end = start + group.num_rows();
        if end > offset && start < offset + count {
            first_start.get_or_insert(start);
            row_groups.push(group.clone());
        }
        start = end;
    }
    let held = FileMetadata {
        num_rows: row_groups.iter().map(|g| g.num_rows()).sum(),
        row_groups,
        version: footer.version,
        max_row_group_height: footer.max_row_group_height,
        created_by: footer.created_by.clone(),
        key_value_metadata: footer.key_value_metadata.clone(),
        schema_descr: footer.schema_descr.clone(),
        column_orders: footer.column_orders.clone(),
        footer_buf: footer.footer_buf.clone(),
    };
    (Arc::new(held), offset - first_start.unwrap_or(offset))
}

/// "cannot read as Parquet: …".
pub fn parquet_error(path: &Path, message: String) -> IngestError {
    IngestError::file(path, format!("cannot read as Parquet: {message}"))
}
