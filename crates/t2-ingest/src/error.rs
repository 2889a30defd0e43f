//! The error of every ingest step: names the file, the row (1-based as a spreadsheet shows it, header = row 1)
//! and the column, so a user can find the bad cell.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with an input file (or the options used to read it).
#[derive(Debug, Clone, PartialEq)]
pub struct IngestError {
    /// The file being read or written.
    pub path: PathBuf,
    /// 1-based spreadsheet row (the header is row 1, the first data row is row 2), when one row is at fault.
    pub row: Option<usize>,
    /// The column at fault, as named in the file, when one column is at fault.
    pub column: Option<String>,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
    /// The file is JSON Lines: `row` is shown as the line it stands for (row − 1; there is no header line).
    pub lines: bool,
}

impl IngestError {
    /// An error about the whole file.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        IngestError {
            path: path.to_path_buf(),
            row: None,
            column: None,
            message: message.into(),
            lines: false,
        }
    }

    /// An error about one column.
    pub fn column(path: &Path, column: &str, message: impl Into<String>) -> Self {
        IngestError {
            column: Some(column.to_string()),
            ..Self::file(path, message)
        }
    }

    /// An error about one cell: `row` is the 1-based spreadsheet row.
    pub fn cell(path: &Path, row: usize, column: &str, message: impl Into<String>) -> Self {
        IngestError {
            row: Some(row),
            ..Self::column(path, column, message)
        }
    }
}

impl IngestError {
    /// This error, its row shown as a line of a JSON Lines file.
    pub fn in_lines(self) -> Self {
        IngestError { lines: true, ..self }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        match self.row {
            Some(row) if self.lines => write!(f, ", line {}", row.saturating_sub(1))?,
            Some(row) => write!(f, ", row {row}")?,
            None => {}
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for IngestError {}

/// Spreadsheet row of the 0-based data row `index`: the header is row 1, so data start at row 2.
pub fn sheet_row(index: usize) -> usize {
    index + 2
}
