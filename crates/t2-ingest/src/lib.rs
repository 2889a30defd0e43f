//! t2-ingest: reads run tables and per-problem results (CSV or Parquet) into validated [`t2_core::RunTable`]s.
//! The only crate that uses polars.
//!
//! Three kinds of input (see `data/schema.md` for the full description):
//! - run tables: one row per (checkpoint, task, k): `params`, `tokens` (or `train_flops`, D = C/(6N)), `k`
//!   (default 1), `loss` and/or `pass_at_k`; optional `task`, `dataset`, `weight`; other columns carried as text;
//! - sampled per-problem results: `problem`, `samples` (n), `correct` (c), aggregated with the unbiased pass@k
//!   estimator ([`per_problem::sampled`]);
//! - per-problem answer likelihoods: `problem`, `nll`, aggregated for real k ([`per_problem::likelihood`]).
//!
//! Per-problem files are aggregated as they are read, in batches on every thread of the pool ([`source`]):
//! memory grows with the checkpoints, not the rows (in a file sorted by checkpoint; where checkpoints are
//! interleaved, 8 bytes a row remain until the end, for the duplicate-problem check). A CSV file's checking
//! pass runs on a thread of its own meanwhile, a batch aggregated as soon as the pass has passed its rows; the
//! file's fingerprint is computed on another.
//!
//! Every error names the file, the row (1-based, header = row 1) and the column ([`IngestError`]); every dropped
//! row is recorded in the [`IngestReport`].

#![warn(missing_docs)]

mod carried;
mod checkpoint;
mod columns;
mod csv_check;
mod csv_file;
mod csv_layout;
mod csv_stream;
pub mod error;
pub mod files;
mod frame;
pub mod json_lines;
pub mod kgrid;
pub mod lm_eval;
pub mod options;
mod panics;
mod parquet_check;
mod parquet_rows;
pub mod per_problem;
pub mod pretrain;
pub mod report;
mod run_table;
pub mod source;
mod suggest;
pub mod summary;
pub mod table_parquet;
mod text_columns;
mod write;

use std::path::Path;

use t2_core::RunTable;

pub use columns::CANONICAL;
pub use error::IngestError;
pub use options::{Format, IngestOptions, InputKind};
pub use report::{DroppedRows, IngestReport, Ingested};
pub use summary::{summarize, Summary};
pub use write::{write_runs, WriteError};

use columns::Columns;
use frame::Loaded;
use per_problem::generations::Generations;
use per_problem::likelihood::Likelihood;
use per_problem::sampled::Sampled;
use report::TableRead;
use source::Source;
use t2_core::words::counted;

/// Reads `path` (CSV or Parquet) as a validated run table, aggregating per-problem inputs on a k grid.
///
/// # Errors
///
/// [`IngestError`] naming the file, and its row and column where one is at fault: a missing or unreadable
/// file, a column t2 needs and cannot find, a cell that is not a valid value, a problem listed twice.
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use t2_ingest::{options::IngestOptions, read_runs};
///
/// let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/example_sweep.csv"));
/// let sweep = read_runs(path, &IngestOptions::default()).unwrap();
/// assert_eq!(sweep.table.len(), 3498); // every row of the file
/// assert!(sweep.report.dropped.is_empty());
/// ```
pub fn read_runs(path: &Path, opts: &IngestOptions) -> Result<Ingested, IngestError> {
    if let Some(lm_eval) = &opts.lm_eval {
        return lm_eval::read(path, opts, lm_eval);
    }
    frame::check_path(path)?;
    let format = Format::resolve(opts.format, path)?;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let read = std::thread::scope(|scope| {
        // The fingerprint is a second read of the file, on a thread of its own while the file is read.
        let fingerprint = scope.spawn(|| files::fingerprint_unless_stopped(path, &stop));
        let hash = move || match fingerprint.join() {
            Ok(Ok(Some(hash))) => Ok(hash),
            Ok(Err(e)) => Err(IngestError::file(path, format!("cannot read: {e}"))),
            Ok(Ok(None)) | Err(_) => Err(IngestError::file(path, "cannot fingerprint the file")),
        };
        let loaded = frame::load(path, format);
        let read = loaded.and_then(|loaded| ingest(path, &loaded, hash, opts).map_err(|e| loaded.settle(e)));
        // A failed read need not wait for the whole file to be hashed.
        stop.store(read.is_err(), std::sync::atomic::Ordering::Relaxed);
        read
    });
    read.map_err(|e| match format {
        // A JSON Lines file has no header line: its rows are shown as the lines they are.
        Format::JsonLines if e.path == path => e.in_lines(),
        _ => e,
    })
}

/// An Arrow IPC stream in memory (a data frame handed over by the Python package: any of the three kinds of
/// input), validated and aggregated exactly as a file's data would be; `name` stands for the file in errors,
/// and rows are numbered as in that file written with a header (the frame's first row is row 2).
pub fn read_arrow_stream(bytes: &[u8], name: &str, opts: &IngestOptions) -> Result<Ingested, IngestError> {
    let path = Path::new(name);
    let loaded = frame::load_arrow_stream(path, bytes)?;
    ingest(path, &loaded, || Ok(files::fingerprint_bytes(bytes)), opts)
}

/// A run table built in memory, validated exactly as a file's would be; `name` stands for the file in errors
/// (rows are numbered as in a file with a header: the first row is row 2).
pub fn ingest_table(table: &RunTable, name: &str) -> Result<Ingested, IngestError> {
    let path = Path::new(name);
    let frame = write::table_frame(table)
        .map_err(|e| IngestError::file(path, format!("cannot build the table: {e}")))?;
    ingest(
        path,
        &Loaded::Frame(frame),
        || Ok("in-memory".into()),
        &IngestOptions::default(),
    )
}

/// Validates and aggregates the data of `path`; `hash` gives its fingerprint, asked for once the data are read
/// (a file's is computed meanwhile on another thread).
fn ingest(
    path: &Path,
    loaded: &Loaded,
    hash: impl FnOnce() -> Result<String, IngestError>,
    opts: &IngestOptions,
) -> Result<Ingested, IngestError> {
    let head = Columns::new(path, loaded.head(), &opts.columns)?;
    let kind = match opts.kind {
        Some(kind) => kind,
        None if opts.correct_if.is_some() => InputKind::Generations,
        None => detect_kind(&head)?,
    };
    let mut warnings: Vec<String> = head
        .superseded()
        .iter()
        .map(|name| format!("column '{name}' is ignored: --col {name}=… names another column for it"))
        .collect();
    if !matches!(kind, InputKind::Sampled | InputKind::Generations) && opts.drop_unestimable {
        warnings.push("--drop-unestimable only applies to sampled per-problem input; ignored".to_string());
    }
    if kind == InputKind::Run && opts.k_grid.is_some() {
        return Err(IngestError::file(
            path,
            "--k sets the k grid of per-problem input; a run table takes k from its own k column",
        ));
    }
    let whole;
    let batch = opts.batch_rows.unwrap_or(source::BATCH_ROWS);
    let source = match (loaded, loaded.text()) {
        (Loaded::Frame(frame), _) => Source::Frame(frame),
        // A run table is small: read whole.
        (Loaded::Parquet { footer, .. }, _) if kind == InputKind::Run => {
            whole = parquet_rows::parquet_rows(path, footer, 0, footer.num_rows)?;
            Source::Frame(&whole)
        }
        (_, Some(text)) if kind == InputKind::Run => {
            whole = text.all()?;
            Source::Frame(&whole)
        }
        (Loaded::Csv { text, .. }, _) => Source::Csv { text, batch },
        (Loaded::JsonLines { text, .. }, _) => Source::Text { text, batch },
        (Loaded::Parquet { path, footer, .. }, _) => Source::Parquet { path, footer, batch },
    };
    let read: TableRead = match kind {
        InputKind::Run => match source {
            Source::Frame(frame) => run_table::read_run_table(&Columns::new(path, frame, &opts.columns)?)?,
            Source::Csv { .. } | Source::Text { .. } | Source::Parquet { .. } => {
                unreachable!("a run table is read whole above")
            }
        },
        InputKind::Sampled => per_problem::read_per_problem(&source, path, opts, Sampled::default)?,
        InputKind::Generations => per_problem::read_per_problem(&source, path, opts, Generations::default)?,
        InputKind::Likelihood => {
            let grid = Likelihood::grid(path, opts)?;
            per_problem::read_per_problem(&source, path, opts, || Likelihood::new(grid.clone()))?
        }
    };
    warnings.extend(read.warnings);
    if read.table.is_empty() {
        let reasons: Vec<String> = read
            .dropped
            .iter()
            .map(|d| format!("{}: {}", counted(d.count, "row"), d.reason))
            .collect();
        return Err(IngestError::file(
            path,
            format!("no usable rows remain; dropped {}", reasons.join("; ")),
        ));
    }
    let mut ingested = Ingested {
        table: read.table,
        problem_counts: read.problem_counts,
        source_rows: read.source_rows,
        report: IngestReport {
            path: path.to_path_buf(),
            hash: hash()?,
            kind,
            rows_read: source.rows(),
            dropped: read.dropped,
            warnings,
        },
    };
    if let Some(losses) = &opts.pretrain_loss {
        pretrain::join(&mut ingested, losses)?;
    }
    carried::validate(&ingested)?;
    Ok(ingested)
}

/// The kind named by the columns: `samples` and `correct` → sampled, `problem` and `correct` → generations (one
/// row per generation), `nll` → likelihood, otherwise a run table. A `problem` column without either is an
/// error (per-problem data that cannot be aggregated).
fn detect_kind(cols: &Columns) -> Result<InputKind, IngestError> {
    if cols.has("samples") && cols.has("correct") {
        return Ok(InputKind::Sampled);
    }
    if cols.has("problem") && cols.has("correct") {
        return Ok(InputKind::Generations);
    }
    if cols.has("nll") {
        return Ok(InputKind::Likelihood);
    }
    if cols.has("problem") || cols.has("samples") || cols.has("correct") {
        let missing = ["samples", "correct"]
            .into_iter()
            .find(|c| !cols.has(c))
            .unwrap_or("nll");
        return Err(cols.missing(
            missing,
            "per-problem input needs samples and correct (sampled) or nll (likelihoods); or give --kind",
        ));
    }
    Ok(InputKind::Run)
}
