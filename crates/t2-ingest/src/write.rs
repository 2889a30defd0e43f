//! Writing a run table as CSV or Parquet (the normalised form `t2 ingest` produces and every reader accepts).

use std::path::Path;

use polars::prelude::*;
use t2_core::RunTable;

use crate::error::IngestError;
use crate::files::write_atomically;
use crate::options::Format;

/// Why a run table was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The request: no format from the extension, or a table that cannot be built.
    Request(IngestError),
    /// The write itself: its path refused ([`std::io::ErrorKind::InvalidInput`]: an input, a special file), or
    /// the file system failed (a full disk, no permission).
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What failed.
        error: std::io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Request(e) => write!(f, "{e}"),
            WriteError::Io { path, error } => write!(f, "{}: cannot write: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `table` to `path` (atomically: see [`crate::files`]) with canonical column names (params, tokens, k,
/// then loss, pass_at_k, task, weight when present, then the extra columns as text). Format from `format` or the
/// extension.
pub fn write_runs(table: &RunTable, path: &Path, format: Option<Format>) -> Result<(), WriteError> {
    let format = Format::resolve(format, path).map_err(WriteError::Request)?;
    let written = match format {
        Format::Csv => write_atomically(path, |out| write_csv(table, out)),
        Format::Parquet => {
            let frame = table_frame(table).map_err(|e| {
                WriteError::Request(IngestError::file(path, format!("cannot build the table: {e}")))
            })?;
            write_parquet(frame, path)
        }
        Format::JsonLines => {
            return Err(WriteError::Request(IngestError::file(
                path,
                "run tables are written as CSV or Parquet (.csv or .parquet), not JSON Lines",
            )))
        }
    };
    written.map_err(|error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    })
}

/// Writes `frame` to `path` as Parquet, atomically (a reader never sees half a file).
pub(crate) fn write_parquet(mut frame: DataFrame, path: &Path) -> std::io::Result<()> {
    write_atomically(path, |out| {
        ParquetWriter::new(out)
            .finish(&mut frame)
            .map(|_| ())
            .map_err(std::io::Error::other)
    })
}

/// A number as written to CSV: the shortest text that reads back to the same f64, in plain notation between
/// 1e-5 and 1e16 and in exponent notation outside; "inf" for +∞ (a loss where no sample was correct).
pub fn number_text(v: f64) -> String {
    let magnitude = v.abs();
    if v == 0.0 || (1e-5..1e16).contains(&magnitude) || !v.is_finite() {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The table as CSV, columns as [`table_frame`] orders them.
fn write_csv(table: &RunTable, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = vec!["params", "tokens", "k"];
    let numbers: Vec<(&str, &Vec<f64>)> = [
        ("loss", &table.loss),
        ("pass_at_k", &table.pass_at_k),
        ("weight", &table.weight),
    ]
    .into_iter()
    .filter_map(|(name, v)| v.as_ref().map(|v| (name, v)))
    .collect();
    header.extend(numbers.iter().map(|(name, _)| *name));
    if table.task.is_some() {
        header.push("task");
    }
    header.extend(table.extra.iter().map(|c| c.name.as_str()));
    writer.write_record(&header)?;
    for i in 0..table.len() {
        let mut record = vec![
            number_text(table.params[i]),
            number_text(table.tokens[i]),
            number_text(table.k[i]),
        ];
        record.extend(numbers.iter().map(|(_, v)| number_text(v[i])));
        if let Some(task) = &table.task {
            record.push(task[i].clone());
        }
        record.extend(table.extra.iter().map(|c| c.values[i].clone()));
        writer.write_record(&record)?;
    }
    writer.flush()
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
