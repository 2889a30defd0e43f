//! The checking pass over a CSV file's rows (their layout, cell counts and UTF-8), run on a thread of its own
//! while the rows it has passed are already read and aggregated on the pool: [`Check`] tells how far the pass
//! has got, where every [`SEEK_STRIDE`]-th row starts in the file, and how the pass ended. A fault it finds is
//! still the error reported, whatever the aggregation met meanwhile ([`Check::settle`]).

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::csv_layout::Watched;
use crate::error::IngestError;

/// Data rows between two recorded seek points (8 bytes per 1,024 rows); the pass reports its progress as often.
pub const SEEK_STRIDE: usize = 1 << 10;

/// The CSV reader the pass reads with: the file's text, watched for layout faults.
pub type CheckedReader = csv::Reader<Watched<Box<dyn Read + Send>>>;

/// The progress of one file's checking pass, shared by the thread that runs it and the readers that wait on it.
pub struct Check {
    progress: Mutex<Progress>,
    advanced: Condvar,
    /// Set when no one needs the pass any more (the file's reader was dropped): the pass stops.
    stop: AtomicBool,
}

#[derive(Default)]
struct Progress {
    /// Data rows passed so far (all of them once the pass has ended well).
    rows: usize,
    /// For a file that is not compressed, the file's byte offset of data rows 0, SEEK_STRIDE, 2·SEEK_STRIDE, …
    /// as far as the pass has got.
    seek_points: Vec<u64>,
    /// How the pass ended, once it has.
    end: Option<Result<(), IngestError>>,
}

/// What the pass had done when asked: rows passed, and how it ended if it has.
pub struct Passed {
    /// Data rows passed.
    pub rows: usize,
    /// How the pass ended, if it has.
    pub end: Option<Result<(), IngestError>>,
}

impl Check {
    /// Starts the pass over the rows `reader` has left (its header read), on a thread of its own. `names` are
    /// the header's names (for messages); `file_offset` is where the text starts in the file, for a file that
    /// is not compressed (seek points are recorded only then).
    pub fn start(
        path: &Path,
        reader: CheckedReader,
        names: Vec<String>,
        file_offset: Option<u64>,
    ) -> Arc<Check> {
        let check = Arc::new(Check {
            progress: Mutex::new(Progress::default()),
            advanced: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let shared = Arc::clone(&check);
        let path = path.to_path_buf();
        std::thread::spawn(move || shared.run(&path, reader, &names, file_offset));
        check
    }

    /// Blocks until the pass has passed `rows` data rows or ended.
    pub fn wait_for(&self, rows: usize) -> Passed {
        let mut progress = self.lock();
        while progress.rows < rows && progress.end.is_none() {
            progress = self.advanced.wait(progress).unwrap_or_else(|e| e.into_inner());
        }
        Passed {
            rows: progress.rows,
            end: progress.end.clone(),
        }
    }

    /// Blocks until the pass has ended: the file's data rows, or the fault it found.
    pub fn finished(&self) -> Result<usize, IngestError> {
        let passed = self.wait_for(usize::MAX);
        passed
            .end
            .expect("the wait returns only at the end")
            .map(|()| passed.rows)
    }

    /// The error to report for a read of this file that failed with `error`: the pass's fault when it finds one
    /// (a layout or shape fault explains whatever was read of the rows), else `error`. Waits for the pass.
    pub fn settle(&self, error: IngestError) -> IngestError {
        self.finished().err().unwrap_or(error)
    }

    /// The recorded byte offset of data row `point · SEEK_STRIDE`, once the pass has got that far.
    pub fn seek_point(&self, point: usize) -> Option<u64> {
        self.lock().seek_points.get(point).copied()
    }

    /// Tells the pass that no one needs it any more.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    fn lock(&self) -> MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The pass, from the first data row to the end, its outcome published for the waiting readers (who must
    /// not wait for ever, even on a bug: a panic is reported as it happens and ends the pass with an error).
    fn run(&self, path: &Path, mut reader: CheckedReader, names: &[String], file_offset: Option<u64>) {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            self.pass(path, &mut reader, names, file_offset)
        }))
        .unwrap_or_else(|_| {
            Err(IngestError::file(
                path,
                "the check of the file failed (a bug in t2)",
            ))
        });
        let mut progress = self.lock();
        match outcome {
            Ok(rows) => {
                progress.rows = rows;
                progress.end = Some(Ok(()));
            }
            Err(error) => progress.end = Some(Err(error)),
        }
        self.advanced.notify_all();
    }

    fn pass(
        &self,
        path: &Path,
        reader: &mut CheckedReader,
        names: &[String],
        file_offset: Option<u64>,
    ) -> Result<usize, IngestError> {
        let mut record = csv::ByteRecord::new();
        let mut rows = 0;
        loop {
            let row = crate::error::sheet_row(rows);
            let error = match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => not_utf8(&record).map(|j| {
                    IngestError::cell(
                        path,
                        row,
                        &names[j],
                        "the cell is not UTF-8 text (save the file as UTF-8)",
                    )
                }),
                Err(e) => Some(read_error(path, Some(row), &e, names.len())),
            };
            if let Some(error) = error {
                return Err(explained(path, reader, error));
            }
            if let Some(fault) = reader.get_ref().layout.fault() {
                return Err(IngestError::file(path, fault));
            }
            if rows % SEEK_STRIDE == 0 {
                if self.stop.load(Ordering::Relaxed) {
                    return Err(IngestError::file(path, "the check was stopped"));
                }
                let mut progress = self.lock();
                progress.rows = rows;
                if let Some(start) = file_offset {
                    progress
                        .seek_points
                        .push(start + record.position().map_or(0, |p| p.byte()));
                }
                self.advanced.notify_all();
            }
            rows += 1;
        }
        reader
            .get_ref()
            .layout
            .finish()
            .map_err(|fault| IngestError::file(path, fault))?;
        Ok(rows)
    }
}

/// The error to report for `error`, met by `reader` of `path`: a layout fault further on (a quote never closed,
/// a blank line) explains whatever the CSV reader made of the text, so it is reported instead.
pub fn explained<R: Read>(
    path: &Path,
    reader: &mut csv::Reader<Watched<R>>,
    error: IngestError,
) -> IngestError {
    let watched = reader.get_mut();
    if let Err(e) = std::io::copy(watched, &mut std::io::sink()) {
        return IngestError::file(path, e.to_string());
    }
    match watched.layout.finish() {
        Err(fault) => IngestError::file(path, fault),
        Ok(()) => error,
    }
}

/// The first cell of `record` that is not UTF-8 text. The row is checked whole (one call, not one per cell),
/// then cell by cell only when it fails or a cell boundary splits a character.
fn not_utf8(record: &csv::ByteRecord) -> Option<usize> {
    if let Ok(text) = std::str::from_utf8(record.as_slice()) {
        let ends = (0..record.len()).filter_map(|j| record.range(j)).map(|r| r.end);
        if ends.into_iter().all(|end| text.is_char_boundary(end)) {
            return None;
        }
    }
    record.iter().position(|cell| std::str::from_utf8(cell).is_err())
}

/// The CSV reader's error at `row`: a row with the wrong number of cells, a failed read (its message whole:
/// the decompression cap explains itself), or another fault.
pub fn read_error(path: &Path, row: Option<usize>, error: &csv::Error, header_cells: usize) -> IngestError {
    match error.kind() {
        csv::ErrorKind::Io(e) => IngestError::file(path, e.to_string()),
        csv::ErrorKind::UnequalLengths { len, .. } => IngestError {
            row,
            ..IngestError::file(
                path,
                format!(
                    "{len} cell{} in this row but {header_cells} columns in the header{}",
                    if *len == 1 { "" } else { "s" },
                    if (*len as usize) < header_cells {
                        ": a cell is missing (an empty cell still needs its comma)"
                    } else {
                        ""
                    }
                ),
            )
        },
        _ => IngestError {
            row,
            ..IngestError::file(path, format!("cannot read as CSV: {error}"))
        },
    }
}
