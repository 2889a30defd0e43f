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
        .map_err(|e| read_error(path, format, e))?;
    check_unique_header(path, &df)?;
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
        Format::Parquet => {
            check_parquet_layout(path)?;
            LazyFrame::scan_parquet(source, ScanArgsParquet::default())?.collect()
        }
    }
}

/// Checks that every row group and column chunk the footer lists lies inside the file. polars' streaming reader
/// slices the file by these ranges without checks (a debug build aborts, a release build reads out of bounds), so
/// a truncated or corrupt file must be refused before it gets there.
fn check_parquet_layout(path: &Path) -> PolarsResult<()> {
    let file = std::fs::File::open(path)?;
    let length = file.metadata()?.len();
    let metadata = ParquetReader::new(file).get_metadata()?.clone();
    for (index, row_group) in metadata.row_groups.iter().enumerate() {
        let mut ranges = row_group.byte_ranges_iter().chain([row_group.full_byte_range()]);
        if ranges.any(|r| r.start > r.end || r.end > length) {
            polars_bail!(ComputeError:
                "row group {index} reaches past the end of the file ({length} bytes): truncated or corrupt");
        }
    }
    Ok(())
}

/// The polars error as an [`IngestError`]; for a CSV row with more cells than the header, names that row.
fn read_error(path: &Path, format: Format, error: PolarsError) -> IngestError {
    let ragged = match format {
        Format::Csv => std::fs::read(path)
            .ok()
            .and_then(|bytes| first_overlong_row(&bytes)),
        Format::Parquet => None,
    };
    match ragged {
        Some((row, cells, header_cells)) => IngestError {
            row: Some(row),
            ..IngestError::file(
                path,
                format!("{cells} cells in a row but {header_cells} columns in the header"),
            )
        },
        None => IngestError::file(path, format!("cannot read as {}: {error}", name(format))),
    }
}

/// The first record (1-based row, header = row 1) with more comma-separated cells than the header, with its cell
/// count and the header's. Quotes ("…", with "" inside) may hold commas and newlines.
fn first_overlong_row(bytes: &[u8]) -> Option<(usize, usize, usize)> {
    let mut in_quotes = false;
    let (mut row, mut cells, mut header_cells) = (1, 1, None);
    for &byte in bytes {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => cells += 1,
            b'\n' if !in_quotes => {
                match header_cells {
                    None => header_cells = Some(cells),
                    Some(header) if cells > header => return Some((row, cells, header)),
                    Some(_) => {}
                }
                row += 1;
                cells = 1;
            }
            _ => {}
        }
    }
    header_cells
        .filter(|&header| cells > header)
        .map(|header| (row, cells, header))
}

/// polars renames a repeated header name `x` to `x_duplicated_0`, …: report it instead of guessing.
fn check_unique_header(path: &Path, df: &DataFrame) -> Result<(), IngestError> {
    let names = df.get_column_names();
    for name in &names {
        if let Some((base, number)) = name.rsplit_once("_duplicated_") {
            if number.parse::<usize>().is_ok() && names.iter().any(|n| n.as_str() == base) {
                return Err(IngestError::column(
                    path,
                    base,
                    "the header names this column more than once",
                ));
            }
        }
    }
    Ok(())
}

fn name(format: Format) -> &'static str {
    match format {
        Format::Csv => "CSV",
        Format::Parquet => "Parquet",
    }
}

#[cfg(test)]
mod tests {
    use super::first_overlong_row;

    #[test]
    fn finds_the_first_row_with_too_many_cells() {
        assert_eq!(first_overlong_row(b"a,b\n1,2\n1,2,3\n"), Some((3, 3, 2)));
        assert_eq!(first_overlong_row(b"a,b\n\"1,5\",2\n1,2,3"), Some((3, 3, 2)));
        assert_eq!(first_overlong_row(b"a,b\n\"x\ny\",2\n"), None);
    }
}
