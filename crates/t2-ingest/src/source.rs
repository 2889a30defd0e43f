//! An input read in batches of rows, so that per-problem logs of any length aggregate in memory that grows with
//! their checkpoints, not their rows: a Parquet file is decoded [`BATCH_ROWS`] rows at a time (polars reads only
//! the row groups a batch needs); a CSV file's rows are parsed [`BATCH_ROWS`] at a time from the file; a frame
//! already in memory (an in-memory table) is one batch.
//!
//! A batch is first a [`Piece`]: which rows, not yet read. A Parquet file's pieces and a plain CSV file's can be
//! read by any thread, in any order; a compressed CSV file is read in order, so its pieces come already read.

use std::path::Path;

use polars::prelude::*;

use crate::error::IngestError;
use crate::parquet_rows::{parquet_rows, Footer};
use crate::text_columns::TextTable;

/// Rows read at a time from a file: small enough that a 5M-row log makes 77 pieces to share among threads,
/// large enough that reading one costs far more than starting it.
pub const BATCH_ROWS: usize = 1 << 16;

/// Where the rows come from.
pub enum Source<'a> {
    /// All rows, in memory.
    Frame(&'a DataFrame),
    /// A checked CSV file, parsed `batch` rows at a time.
    Csv {
        /// The file.
        text: &'a crate::csv_file::CsvText,
        /// Rows parsed at a time.
        batch: usize,
    },
    /// A checked text file that can only be read in order (JSON Lines), `batch` rows at a time.
    Text {
        /// The file.
        text: &'a dyn TextTable,
        /// Rows read at a time.
        batch: usize,
    },
    /// A Parquet file (already checked by [`crate::parquet_check`]) of `rows` rows, read `batch` rows at a time.
    Parquet {
        /// The file.
        path: &'a Path,
        /// Its footer.
        footer: &'a Footer,
        /// Its data rows.
        rows: usize,
        /// Rows decoded at a time.
        batch: usize,
    },
}

/// A batch: the file's 0-based index of its first row, and its rows.
pub struct Batch {
    /// The file's 0-based index of the batch's first row.
    pub first_index: usize,
    /// The batch's rows.
    pub frame: DataFrame,
}

/// A batch of rows, not yet read (or read already, where the input can only be read in order).
pub enum Piece<'a> {
    /// Rows already read.
    Read(Batch),
    /// Rows `first_index..first_index + rows` of a CSV file that is not compressed.
    Csv {
        /// The file.
        text: &'a crate::csv_file::CsvText,
        /// The 0-based index of the first row.
        first_index: usize,
        /// How many rows.
        rows: usize,
    },
    /// Rows `first_index..first_index + rows` of a Parquet file.
    Parquet {
        /// The file.
        path: &'a Path,
        /// Its footer.
        footer: &'a Footer,
        /// The 0-based index of the first row.
        first_index: usize,
        /// How many rows.
        rows: usize,
    },
}

impl Piece<'_> {
    /// The piece's rows.
    pub fn read(self) -> Result<Batch, IngestError> {
        match self {
            Piece::Read(batch) => Ok(batch),
            Piece::Csv {
                text,
                first_index,
                rows,
            } => {
                let frame = text
                    .rows_at(first_index, rows)
                    .expect("Csv pieces are made only of seekable files")?;
                Ok(Batch { first_index, frame })
            }
            Piece::Parquet {
                path,
                footer,
                first_index,
                rows,
            } => Ok(Batch {
                first_index,
                frame: parquet_rows(path, footer, first_index, rows)?,
            }),
        }
    }
}

impl Source<'_> {
    /// Data rows in the input.
    pub fn rows(&self) -> usize {
        match self {
            Source::Frame(frame) => frame.height(),
            Source::Csv { text, .. } => text.rows(),
            Source::Text { text, .. } => text.rows(),
            Source::Parquet { rows, .. } => *rows,
        }
    }

    /// The batches in file order, read; can be called again for a second pass.
    pub fn batches(&self) -> impl Iterator<Item = Result<Batch, IngestError>> + '_ {
        self.pieces().map(|piece| piece.and_then(Piece::read))
    }

    /// The batches in file order, as pieces to read (on any thread); can be called again.
    pub fn pieces(&self) -> Box<dyn Iterator<Item = Result<Piece<'_>, IngestError>> + '_> {
        match self {
            Source::Frame(frame) => Box::new(std::iter::once(Ok(Piece::Read(Batch {
                first_index: 0,
                frame: (*frame).clone(),
            })))),
            Source::Csv { text, batch } if text.seekable() => {
                let (total, batch) = (text.rows(), (*batch).max(1));
                Box::new((0..total).step_by(batch).map(move |first_index| {
                    Ok(Piece::Csv {
                        text,
                        first_index,
                        rows: batch.min(total - first_index),
                    })
                }))
            }
            Source::Csv { text, batch } => in_order(*text, *batch),
            Source::Text { text, batch } => in_order(*text, *batch),
            Source::Parquet {
                path,
                footer,
                rows,
                batch,
            } => {
                let (total, batch) = (*rows, (*batch).max(1));
                Box::new((0..total).step_by(batch).map(move |first_index| {
                    Ok(Piece::Parquet {
                        path,
                        footer,
                        first_index,
                        rows: batch.min(total - first_index),
                    })
                }))
            }
        }
    }
}

/// The batches of `text`, read in order (each piece read as it is made).
fn in_order(
    text: &dyn TextTable,
    batch: usize,
) -> Box<dyn Iterator<Item = Result<Piece<'_>, IngestError>> + '_> {
    Box::new(
        text.batches(batch)
            .map(|b| b.map(|(first_index, frame)| Piece::Read(Batch { first_index, frame }))),
    )
}
