//! Reading a CSV or Parquet file into a polars `DataFrame`, with every failure turned into an [`IngestError`]
//! naming the file: CSV through [`crate::csv_file`] (cells as text, so a bad cell is reported with its row and
//! column by [`crate::columns`]); Parquet checked against its own declarations first ([`crate::parquet_check`]),
//! then read by polars behind a boundary that turns a panic into an error ([`crate::panics`]).

use std::path::Path;

use polars::prelude::*;

use crate::error::IngestError;
use crate::options::Format;
use crate::panics::quietly;
use crate::parquet_rows::{parquet_error, parquet_rows};
use crate::text_columns::TextTable;

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

/// A file's data: a frame in memory (an Arrow stream); a CSV file checked and held as bytes, with its first
/// row parsed (to see its columns); a Parquet file checked ([`crate::parquet_check`]), with its first row in
/// memory. The rows of the last two are read when needed, whole or in batches ([`crate::source`]).
pub enum Loaded {
    Frame(DataFrame),
    Csv {
        text: crate::csv_file::CsvText,
        head: DataFrame,
    },
    JsonLines {
        text: crate::json_lines::JsonText,
        head: DataFrame,
    },
    Parquet {
        path: std::path::PathBuf,
        head: DataFrame,
        /// The file's footer, checked (it counts the rows).
        footer: crate::parquet_rows::Footer,
    },
}

impl Loaded {
    /// The text file behind a CSV or JSON Lines input.
    pub fn text(&self) -> Option<&dyn TextTable> {
        match self {
            Loaded::Csv { text, .. } => Some(text),
            Loaded::JsonLines { text, .. } => Some(text),
            Loaded::Frame(_) | Loaded::Parquet { .. } => None,
        }
    }

    /// The error to report for a read of this input that failed with `error`: a CSV file's own fault, when its
    /// checking pass finds one (it explains whatever the rows were found to hold), else `error`.
    pub fn settle(&self, error: IngestError) -> IngestError {
        match self {
            Loaded::Csv { text, .. } => text.settle(error),
            Loaded::Frame(_) | Loaded::JsonLines { .. } | Loaded::Parquet { .. } => error,
        }
    }

    /// The frame to find the columns in (the whole frame, the first row of a CSV or Parquet file).
    pub fn head(&self) -> &DataFrame {
        match self {
            Loaded::Frame(frame) => frame,
            Loaded::Csv { head, .. } | Loaded::JsonLines { head, .. } | Loaded::Parquet { head, .. } => head,
        }
    }
}

/// Opens `path` (which [`check_path`] has passed). Errors: truncated or corrupt files, files with no columns or
/// a header but no data rows.
pub fn load(path: &Path, format: Format) -> Result<Loaded, IngestError> {
    let loaded = match format {
        Format::Csv => {
            let text = crate::csv_file::CsvText::load(path)?;
            Loaded::Csv {
                head: text.head()?,
                text,
            }
        }
        Format::JsonLines => {
            let text = crate::json_lines::JsonText::load(path)?;
            Loaded::JsonLines {
                head: text.head()?,
                text,
            }
        }
        Format::Parquet => {
            let footer = quietly(|| crate::parquet_check::check(path))
                .map_err(|panic| parquet_error(path, format!("the file is malformed ({panic})")))?
                .map_err(|e| parquet_error(path, e))?;
            let head = parquet_rows(path, &footer, 0, 1)?;
            Loaded::Parquet {
                path: path.to_path_buf(),
                head,
                footer,
            }
        }
    };
    checked_shape(path, loaded)
}

/// An Arrow IPC stream in memory (a pandas or polars data frame handed over by the Python package), read as a
/// frame; `path` names it in errors. Errors: a stream that is not Arrow IPC, no columns, no rows.
pub fn load_arrow_stream(path: &Path, bytes: &[u8]) -> Result<Loaded, IngestError> {
    let frame = quietly(|| IpcStreamReader::new(std::io::Cursor::new(bytes)).finish())
        .map_err(|panic| IngestError::file(path, format!("cannot read the Arrow data ({panic})")))?
        .map_err(|e| IngestError::file(path, format!("cannot read the Arrow data: {e}")))?;
    checked_shape(path, Loaded::Frame(frame))
}

/// `loaded`, or an error when it has no columns or no data rows.
fn checked_shape(path: &Path, loaded: Loaded) -> Result<Loaded, IngestError> {
    let (width, rows) = match &loaded {
        Loaded::Frame(frame) => (frame.width(), frame.height()),
        // The checking pass goes on: one row passed is enough to know the file has one.
        Loaded::Csv { text, head } => (head.width(), usize::from(text.has_rows()?)),
        Loaded::JsonLines { text, head } => (head.width(), text.rows()),
        Loaded::Parquet { head, footer, .. } => (head.width(), footer.num_rows),
    };
    if width == 0 {
        return Err(IngestError::file(path, "the file has no columns"));
    }
    if rows == 0 {
        return Err(IngestError::file(path, "the file has a header but no data rows"));
    }
    Ok(loaded)
}
