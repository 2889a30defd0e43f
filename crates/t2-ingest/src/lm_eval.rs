//! The per-sample logs of lm-evaluation-harness (`lm_eval --log_samples`, files `samples_<task>_<time>.jsonl`),
//! read directly: one JSON object per document (and filter), with `doc_id`, the filter's name (`filter`), the
//! task's metric names (`metrics`) and each metric's value for that document (e.g. `"exact_match": 1.0`); the
//! prompt, responses and hashes are not read.
//!
//! A log holds one checkpoint's evaluation and no N or D, so t2 reads an index: a CSV file with one row per log,
//! `file` (the log's path, relative to the index's folder), `params`, `tokens` (or `train_flops`) and an
//! optional `task`. Each line of each log is one generation of its document (`problem` = `doc_id`): logs of the
//! same checkpoint and task from runs with different seeds are its repeated samples. The metric's value is the
//! verdict: 0 or 1 (or false/true). The generations are then aggregated as a raw log
//! ([`crate::per_problem::generations`]).
//!
//! Which metric: `LmEval::metric`, else the one name in the first line's `metrics`. Which filter: a log that
//! holds several (one line per document and filter) needs `LmEval::filter`; the other filters' lines are counted
//! and reported, not read. Errors name the index's row or the log's line and field. Rows of the aggregated
//! table's sources count the generations in index order (the first generation of the first log is row 2).

use std::path::{Component, Path, PathBuf};

use polars::prelude::{Column, DataFrame};
use serde_json::Value;
use t2_core::words::counted;

use crate::columns::Columns;
use crate::error::IngestError;
use crate::json_lines::{kind_of, Object, Objects};
use crate::options::{Format, IngestOptions, InputKind};
pub use crate::options::{Harness, LmEval};
use crate::report::Ingested;
use crate::text_columns::TextTable;

/// One log of the index.
struct Log {
    path: PathBuf,
    params: f64,
    tokens: f64,
    task: Option<String>,
}

/// Where a generation came from: the log (its index row) and its line.
struct Origin {
    log: usize,
    line: usize,
}

/// The generations of the logs listed in `index`, aggregated as a raw log.
pub fn read(index: &Path, opts: &IngestOptions, lm_eval: &LmEval) -> Result<Ingested, IngestError> {
    let logs = read_index(index, opts)?;
    let mut metric = lm_eval.metric.clone();
    let mut read = Generations::default();
    let mut warnings = Vec::new();
    let mut fingerprints = crate::files::fingerprint(index)
        .map_err(|e| IngestError::file(index, format!("cannot read: {e}")))?;
    for (l, log) in logs.iter().enumerate() {
        crate::frame::check_path(&log.path)?;
        fingerprints += &crate::files::fingerprint(&log.path)
            .map_err(|e| IngestError::file(&log.path, format!("cannot read: {e}")))?;
        let filters = read_log(l, log, lm_eval.filter.as_deref(), &mut metric, &mut read)?;
        warnings.extend(filter_warnings(log, lm_eval.filter.as_deref(), &filters)?);
    }
    if read.problems.is_empty() {
        return Err(IngestError::file(index, "the logs hold no generations"));
    }
    let (frame, origins) = read.into_frame(index, logs.iter().any(|log| log.task.is_some()))?;
    let generations = IngestOptions {
        kind: Some(InputKind::Generations),
        columns: Vec::new(),
        correct_if: None,
        lm_eval: None,
        ..opts.clone()
    };
    let hash = crate::files::fingerprint_bytes(fingerprints.as_bytes());
    let mut ingested = crate::ingest(
        index,
        &crate::frame::Loaded::Frame(frame),
        || Ok(hash),
        &generations,
    )
    .map_err(|e| located(e, index, &logs, &origins))?;
    ingested.report.warnings.extend(warnings);
    Ok(ingested)
}

/// The generations read so far, one entry per generation, with where each came from.
#[derive(Default)]
struct Generations {
    params: Vec<f64>,
    tokens: Vec<f64>,
    tasks: Vec<String>,
    problems: Vec<String>,
    verdicts: Vec<bool>,
    origins: Vec<Origin>,
}

impl Generations {
    /// The generations as a raw log's frame (`task` when some log has one), and where each row came from.
    fn into_frame(self, index: &Path, with_task: bool) -> Result<(DataFrame, Vec<Origin>), IngestError> {
        let height = self.problems.len();
        let mut columns = vec![
            Column::new("params".into(), self.params),
            Column::new("tokens".into(), self.tokens),
            Column::new("problem".into(), self.problems),
            Column::new("correct".into(), self.verdicts),
        ];
        if with_task {
            columns.push(Column::new("task".into(), self.tasks));
        }
        let frame = DataFrame::new(height, columns)
            .map_err(|e| IngestError::file(index, format!("cannot build the table: {e}")))?;
        Ok((frame, self.origins))
    }
}

/// Reads the lines of log `l` (of `chosen` filter, when one is chosen) into `into`, learning the `metric` from
/// the first line when it is not given; returns the filters the log holds, each with its lines.
fn read_log(
    l: usize,
    log: &Log,
    chosen: Option<&str>,
    metric: &mut Option<String>,
    into: &mut Generations,
) -> Result<Vec<(String, usize)>, IngestError> {
    let mut filters: Vec<(String, usize)> = Vec::new();
    let mut objects = Objects::open(&log.path)?;
    while let Some(next) = objects.next_object() {
        let (line, object) = next?;
        let at =
            |field: &str, message: String| IngestError::cell(&log.path, line + 1, field, message).in_lines();
        let metric = match metric {
            Some(metric) => metric.clone(),
            None => metric
                .insert(metric_named(&object).map_err(|m| at("metrics", m))?)
                .clone(),
        };
        let filter = match object.get("filter") {
            None => None,
            Some(Value::String(f)) => Some(f.as_str()),
            Some(other) => {
                return Err(at(
                    "filter",
                    format!("holds {}, not a filter's name", kind_of(other)),
                ))
            }
        };
        if let Some(f) = filter {
            match filters.iter_mut().find(|(name, _)| name == f) {
                Some((_, lines)) => *lines += 1,
                None => filters.push((f.to_string(), 1)),
            }
        }
        if chosen.is_some() && filter != chosen {
            continue;
        }
        into.problems.push(doc_id(&object).map_err(|m| at("doc_id", m))?);
        into.verdicts
            .push(verdict(&object, &metric).map_err(|m| at(&metric, m))?);
        into.params.push(log.params);
        into.tokens.push(log.tokens);
        into.tasks.push(log.task.clone().unwrap_or_default());
        into.origins.push(Origin { log: l, line });
    }
    Ok(filters)
}

/// The warnings about a log's lines of filters other than the `chosen` one; an error when the log holds several
/// filters and none is chosen, or none of its lines has the chosen one.
fn filter_warnings(
    log: &Log,
    chosen: Option<&str>,
    filters: &[(String, usize)],
) -> Result<Vec<String>, IngestError> {
    match chosen {
        None if filters.len() > 1 => {
            let names: Vec<String> = filters.iter().map(|(f, _)| format!("'{f}'")).collect();
            Err(IngestError::file(
                &log.path,
                format!(
                    "the log holds {} filters ({}), one line per document and filter: choose one with \
                     --lm-eval-filter NAME",
                    filters.len(),
                    names.join(", ")
                ),
            ))
        }
        None => Ok(Vec::new()),
        Some(chosen) if !filters.iter().any(|(f, _)| f == chosen) => Err(IngestError::file(
            &log.path,
            format!("no line of the log has filter '{chosen}' (--lm-eval-filter)"),
        )),
        Some(chosen) => Ok(filters
            .iter()
            .filter(|(f, _)| f != chosen)
            .map(|(f, lines)| {
                format!(
                    "{}: {} of filter '{f}' not read (--lm-eval-filter {chosen})",
                    log.path.display(),
                    counted(*lines, "line")
                )
            })
            .collect()),
    }
}

/// The logs the index lists, each path checked to lie below the index's folder.
fn read_index(index: &Path, opts: &IngestOptions) -> Result<Vec<Log>, IngestError> {
    crate::frame::check_path(index)?;
    let loaded = crate::frame::load(index, Format::resolve(opts.format, index)?)?;
    let whole;
    let frame =
        match &loaded {
            crate::frame::Loaded::Csv { text, .. } => {
                whole = text.all()?;
                &whole
            }
            _ => return Err(IngestError::file(
                index,
                "an lm-eval index is a CSV file: file, params, tokens (or train_flops) and optionally task",
            )),
        };
    let cols = Columns::new(index, frame, &opts.columns)?;
    let checkpoints = crate::checkpoint::read_checkpoints(&cols)?;
    let files = cols
        .extras()?
        .into_iter()
        .find(|c| c.name == "file")
        .ok_or_else(|| {
            cols.missing(
                "file",
                "the path of each lm-eval samples log, relative to the index",
            )
        })?;
    let folder = index.parent().unwrap_or(Path::new(""));
    (0..cols.height())
        .map(|i| {
            let relative = Path::new(files.values[i].trim());
            let below = relative
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
            if relative.as_os_str().is_empty() || !below {
                return Err(IngestError::cell(
                    index,
                    cols.sheet_row(i),
                    "file",
                    format!(
                        "'{}': give the log's path relative to the index's folder, without '..'",
                        files.values[i].escape_debug()
                    ),
                ));
            }
            Ok(Log {
                path: folder.join(relative),
                params: checkpoints.params[i],
                tokens: checkpoints.tokens[i],
                task: checkpoints.task.as_ref().map(|t| t[i].clone()),
            })
        })
        .collect()
}

/// The one metric the line's `metrics` names.
fn metric_named(object: &Object) -> Result<String, String> {
    let named: Vec<&str> = match object.get("metrics") {
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    match named[..] {
        [one] => Ok(one.to_string()),
        [] => Err("the log names no metric (no 'metrics' list): name it with --lm-eval-metric NAME".into()),
        _ => Err(format!(
            "the log names {} metrics ({}): choose one with --lm-eval-metric NAME",
            named.len(),
            named.join(", ")
        )),
    }
}

/// The document's id, as text.
fn doc_id(object: &Object) -> Result<String, String> {
    match object.get("doc_id") {
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(other) => Err(format!("holds {}, not a document id", kind_of(other))),
        None => Err("the line has no doc_id: is this an lm-eval samples log?".into()),
    }
}

/// The metric's value as a verdict: 0/1 or false/true.
fn verdict(object: &Object, metric: &str) -> Result<bool, String> {
    match object.get(metric) {
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) if n.as_f64() == Some(1.0) => Ok(true),
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Ok(false),
        Some(Value::Number(n)) => Err(format!(
            "{metric} = {n}: a generation's verdict is 0 or 1 (a graded metric cannot say which samples passed)"
        )),
        Some(other) => Err(format!("holds {}, not 0 or 1", kind_of(other))),
        None => Err(format!("the line has no '{metric}' value")),
    }
}

/// An error about the generations' table, named by the log and line its row came from.
fn located(error: IngestError, index: &Path, logs: &[Log], origins: &[Origin]) -> IngestError {
    match error.row {
        Some(row) if error.path == index && row >= 2 && row - 2 < origins.len() => {
            let origin = &origins[row - 2];
            IngestError {
                path: logs[origin.log].path.clone(),
                row: Some(origin.line + 1),
                column: None,
                ..error
            }
            .in_lines()
        }
        _ => error,
    }
}
