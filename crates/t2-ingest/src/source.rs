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
    /// A Parquet file (already checked by [`crate::parquet_check`]), read `batch` rows at a time.
    Parquet {
        /// The file.
        path: &'a Path,
        /// Its footer (which counts its rows).
        footer: &'a Footer,
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

/// A batch of rows, not yet read (or read already, where the input can only be read in order). A plain CSV
/// file's pieces come as its checking pass passes their rows (`csv_check`).
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
            Source::Parquet { footer, .. } => footer.num_rows,
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
                // Each piece as soon as the checking pass has passed its rows.
                let batch = (*batch).max(1);
                let (mut first_index, mut done) = (0, false);
                Box::new(std::iter::from_fn(move || {
                    if done {
                        return None;
                    }
                    let rows = match text.passed(first_index + batch) {
                        Ok(passed) => passed.saturating_sub(first_index).min(batch),
                        Err(fault) => {
                            done = true;
                            return Some(Err(fault));
                        }
                    };
                    if rows == 0 {
                        return None;
                    }
                    let piece = Piece::Csv {
                        text,
                        first_index,
                        rows,
                    };
                    first_index += rows;
                    Some(Ok(piece))
                }))
            }
            Source::Csv { text, batch } => in_order(*text, *batch),
            Source::Text { text, batch } => in_order(*text, *batch),
            Source::Parquet {
                path, footer, batch, ..
            } => Box::new(
                row_group_pieces(footer, *batch)
                    .into_iter()
                    .map(move |(first_index, rows)| {
                        Ok(Piece::Parquet {
                            path,
                            footer,
                            first_index,
                            rows,
                        })
                    }),
            ),
        }
    }
}

/// A row group is read whole when it holds at most this many batches' rows: decoding part of one costs about as
/// much as decoding it whole (rows of 100,000-row groups in 65,536-row pieces took 47 s for 50M rows, 1.3× the
/// CSV's time).
const WHOLE_GROUP_BATCHES: usize = 4;

/// The (first row, rows) of a Parquet file's pieces: its row groups, consecutive groups joined while they hold at
/// most `batch` rows together, a group of more than [`WHOLE_GROUP_BATCHES`] batches split in equal parts of at
/// most `batch` rows. They depend on the file's layout only, never on the threads.
fn row_group_pieces(footer: &Footer, batch: usize) -> Vec<(usize, usize)> {
    let batch = batch.max(1);
    let mut pieces = Vec::new();
    let mut joined: Option<(usize, usize)> = None;
    let mut start = 0;
    for group in &footer.row_groups {
        let rows = group.num_rows();
        match joined.as_mut() {
            Some((_, held)) if *held + rows <= batch => *held += rows,
            _ => {
                pieces.extend(joined.take());
                if rows > WHOLE_GROUP_BATCHES.saturating_mul(batch) {
                    let parts = rows.div_ceil(batch);
                    let bound = |i: usize| start + rows * i / parts;
                    pieces.extend((0..parts).map(|i| (bound(i), bound(i + 1) - bound(i))));
                } else {
                    joined = Some((start, rows));
                }
            }
        }
        start += rows;
    }
    pieces.extend(joined);
    pieces.retain(|&(_, rows)| rows > 0);
    pieces
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
