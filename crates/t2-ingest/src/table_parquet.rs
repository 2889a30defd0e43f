//! Column tables ([`t2_core::columns::ColumnTable`]) as Parquet files: the fit file's sidecars (bootstrap draws,
//! per-row predictions) are written and read back here, so only this crate knows polars.

use std::fs::File;
use std::path::Path;

use polars::prelude::*;
use t2_core::columns::{Column as Values, ColumnTable};

use crate::error::IngestError;
use crate::panics::quietly;

/// Writes `table` to `path` as Parquet, atomically (a reader never sees half a file).
pub fn write_table(table: &ColumnTable, path: &Path) -> Result<(), IngestError> {
    let bytes = table_bytes(table, path)?;
    crate::files::write_bytes(path, &bytes).map_err(|e| IngestError::file(path, format!("cannot write: {e}")))
}

/// `table` as the bytes of a Parquet file (`path` names it in errors).
pub fn table_bytes(table: &ColumnTable, path: &Path) -> Result<Vec<u8>, IngestError> {
    let columns: Vec<Column> = table
        .columns
        .iter()
        .map(|(name, values)| {
            let name = name.as_str().into();
            match values {
                Values::Number(v) => Column::new(name, v),
                Values::Count(v) => Column::new(name, v),
                Values::Text(v) => Column::new(name, v),
                Values::Flag(v) => Column::new(name, v),
            }
        })
        .collect();
    let mut frame = DataFrame::new(table.height(), columns)
        .map_err(|e| IngestError::file(path, format!("cannot build the table: {e}")))?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .finish(&mut frame)
        .map_err(|e| IngestError::file(path, format!("cannot write: {e}")))?;
    Ok(bytes)
}

/// Reads a Parquet file [`write_table`] wrote. Errors name the file: missing, not Parquet, or a column of a
/// type a column table does not hold.
pub fn read_table(path: &Path) -> Result<ColumnTable, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::file(path, format!("cannot read: {e}")))?;
    crate::files::note_read(path);
    let frame = quietly(|| ParquetReader::new(file).finish())
        .map_err(|panic| {
            crate::parquet_rows::parquet_error(path, format!("the file is malformed ({panic})"))
        })?
        .map_err(|e| crate::parquet_rows::parquet_error(path, e.to_string()))?;
    let mut table = ColumnTable::default();
    for column in frame.columns() {
        let bad = |e: PolarsError| IngestError::column(path, column.name(), e.to_string());
        let values = match column.dtype() {
            DataType::Float64 => Values::Number(column.f64().map_err(bad)?.iter().collect()),
            DataType::UInt64 => Values::Count(column.u64().map_err(bad)?.iter().collect()),
            DataType::String => Values::Text(
                column
                    .str()
                    .map_err(bad)?
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect(),
            ),
            DataType::Boolean => Values::Flag(
                column
                    .bool()
                    .map_err(bad)?
                    .iter()
                    .map(|v| v.unwrap_or(false))
                    .collect(),
            ),
            other => {
                return Err(IngestError::column(
                    path,
                    column.name(),
                    format!("has type {other}; expected f64, u64, text or boolean"),
                ))
            }
        };
        table.push(column.name(), values);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_as_written() {
        let rows = [0usize, 1, 2];
        let mut table = ColumnTable::default();
        table.number("value", &rows, |&i| [Some(1.5e21), None, Some(f64::INFINITY)][i]);
        table.count("draw", &rows, |&i| Some(i as u64));
        table.text("name", &rows, |&i| (i != 1).then(|| format!("p{i}")));
        table.flag("heldout", &rows, |&i| i == 2);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write_table(&table, &path).unwrap();
        assert_eq!(read_table(&path).unwrap(), table);
        std::fs::write(&path, b"not parquet").unwrap();
        assert!(read_table(&path).unwrap_err().to_string().contains("t.parquet"));
    }
}
