//! Columns of text cells, as a CSV or JSON Lines file holds them, made into a polars frame of string columns
//! ([`crate::columns`] parses them, so a bad cell is reported where it is), and the shape both files share
//! ([`TextTable`]).

use std::path::Path;

use polars::prelude::{Column, DataFrame, IntoColumn, NewChunkedArray, StringChunked};

use crate::error::IngestError;

/// A column's cells in one buffer (a string per cell for a batch of 262,144 rows fragmented the heap: a 510 MB
/// file took 700 MB).
#[derive(Clone, Default)]
pub struct Cells {
    bytes: Vec<u8>,
    /// Where each cell ends in `bytes`.
    ends: Vec<usize>,
}

impl Cells {
    /// Adds a cell (UTF-8 text, checked by the reader).
    pub fn push(&mut self, cell: &[u8]) {
        self.bytes.extend_from_slice(cell);
        self.ends.push(self.bytes.len());
    }

    /// The cells as text.
    fn texts(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| String::from_utf8_lossy(&self.bytes[start..end]))
    }
}

/// A frame of `columns` (text cells) named `names`, for file `path` (named in errors).
pub fn text_frame(path: &Path, names: &[String], columns: Vec<Cells>) -> Result<DataFrame, IngestError> {
    let height = columns.first().map_or(0, |cells| cells.ends.len());
    let columns: Vec<Column> = names
        .iter()
        .zip(&columns)
        .map(|(name, cells)| {
            StringChunked::from_iter_values(name.as_str().into(), cells.texts()).into_column()
        })
        .collect();
    DataFrame::new(height, columns)
        .map_err(|e| IngestError::file(path, format!("cannot build the table: {e}")))
}

/// A text file checked whole and read again as frames of text columns, a batch of rows at a time, in order (a
/// CSV file's check may still be running when it is handed out: its `rows` and `batches` wait for the check).
pub trait TextTable: Sync {
    /// Data rows in the file.
    fn rows(&self) -> usize;

    /// The rows `batch` at a time, each with the file's 0-based index of its first row, read again from the file
    /// (which must not change between passes).
    fn batches(&self, batch: usize)
        -> Box<dyn Iterator<Item = Result<(usize, DataFrame), IngestError>> + '_>;

    /// A frame with the file's columns and no rows.
    fn empty(&self) -> Result<DataFrame, IngestError>;

    /// Every row as one frame.
    fn all(&self) -> Result<DataFrame, IngestError> {
        match self.batches(usize::MAX).next() {
            Some(whole) => whole.map(|(_, frame)| frame),
            None => self.empty(),
        }
    }

    /// The first row as a frame (to see the columns).
    fn head(&self) -> Result<DataFrame, IngestError> {
        match self.batches(1).next() {
            Some(first) => first.map(|(_, frame)| frame),
            None => self.empty(),
        }
    }
}
