//! An input read in batches of rows, so that per-problem logs of any length aggregate in memory that grows with
//! their checkpoints, not their rows: a Parquet file is decoded [`BATCH_ROWS`] rows at a time (polars reads only
//! the row groups a batch needs); a CSV file's rows are parsed [`BATCH_ROWS`] at a time from its bytes (held
//! once); a frame already in memory (an in-memory table) is one batch.

use std::path::Path;

use polars::prelude::*;

use crate::error::IngestError;
use crate::parquet_rows::parquet_rows;

/// Rows decoded at a time from a Parquet file.
pub const BATCH_ROWS: usize = 1 << 18;

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
    /// A Parquet file (already checked by [`crate::parquet_check`]) of `rows` rows, read `batch` rows at a time.
    Parquet {
        /// The file.
        path: &'a Path,
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

impl Source<'_> {
    /// Data rows in the input.
    pub fn rows(&self) -> usize {
        match self {
            Source::Frame(frame) => frame.height(),
            Source::Csv { text, .. } => text.rows(),
            Source::Parquet { rows, .. } => *rows,
        }
    }

    /// The batches in file order; can be called again for a second pass.
    pub fn batches(&self) -> Box<dyn Iterator<Item = Result<Batch, IngestError>> + '_> {
        match self {
            Source::Frame(frame) => Box::new(std::iter::once(Ok(Batch {
                first_index: 0,
                frame: (*frame).clone(),
            }))),
            Source::Csv { text, batch } => Box::new(
                text.batches(*batch)
                    .map(|b| b.map(|(first_index, frame)| Batch { first_index, frame })),
            ),
            Source::Parquet { path, rows, batch } => {
                Box::new((0..*rows).step_by((*batch).max(1)).map(move |first_index| {
                    let frame = parquet_rows(path, first_index, (*batch).max(1))?;
                    Ok(Batch { first_index, frame })
                }))
            }
        }
    }
}
