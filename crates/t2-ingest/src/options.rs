//! How to read an input file: format, column mapping, kind of table, k grid.

use std::path::Path;

use crate::error::IngestError;

/// File format, chosen from the extension unless given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated text (optionally gzip or zstd compressed).
    Csv,
    /// Apache Parquet.
    Parquet,
    /// JSON Lines: one JSON object per line (optionally gzip or zstd compressed), as evaluation harnesses log.
    JsonLines,
}

impl Format {
    /// The format named by `path`'s extension: `.csv`, `.jsonl` or `.ndjson`, each optionally `.gz` or `.zst`
    /// (decompressed by their first bytes in any case), or `.parquet` / `.pq` (case-insensitive).
    pub fn from_extension(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name
            .strip_suffix(".gz")
            .or_else(|| name.strip_suffix(".zst"))
            .unwrap_or(&name);
        match name.rsplit_once('.')?.1 {
            "csv" => Some(Format::Csv),
            "parquet" | "pq" => Some(Format::Parquet),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }

    /// `given` when set, else the format of the extension; an error when neither says.
    pub fn resolve(given: Option<Format>, path: &Path) -> Result<Format, IngestError> {
        given.or_else(|| Format::from_extension(path)).ok_or_else(|| {
            IngestError::file(
                path,
                "cannot tell the format from the file extension (expected .csv, .parquet or .jsonl, the text \
                 ones optionally .gz or .zst); give it explicitly (--input-format csv|parquet|jsonl)",
            )
        })
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "parquet" | "pq" => Ok(Format::Parquet),
            "jsonl" | "ndjson" | "json-lines" => Ok(Format::JsonLines),
            other => Err(format!(
                "unknown format '{other}' (expected csv, parquet or jsonl)"
            )),
        }
    }
}

/// What one row of the input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A run table: one row per (checkpoint, task, k) with loss and/or pass@k.
    Run,
    /// Per-problem sampled generations: `problem`, `samples` (n), `correct` (c).
    Sampled,
    /// Per-problem answer likelihoods: `problem`, `nll`.
    Likelihood,
    /// Raw evaluation logs: one row per generation, `problem` and `correct` (0/1 or true/false).
    Generations,
}

impl InputKind {
    /// "run", "sampled", "likelihood" or "generations".
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Run => "run",
            InputKind::Sampled => "sampled",
            InputKind::Likelihood => "likelihood",
            InputKind::Generations => "generations",
        }
    }
}

impl std::str::FromStr for InputKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "run" => Ok(InputKind::Run),
            "sampled" => Ok(InputKind::Sampled),
            "likelihood" => Ok(InputKind::Likelihood),
            "generations" => Ok(InputKind::Generations),
            other => Err(format!(
                "unknown kind '{other}' (expected run, sampled, likelihood or generations)"
            )),
        }
    }
}

/// The evaluation harnesses whose logs t2 reads directly (`--from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Harness {
    /// lm-evaluation-harness, `--log_samples`.
    LmEval,
}

impl std::str::FromStr for Harness {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "lm-eval" | "lm_eval" | "lm-evaluation-harness" => Ok(Harness::LmEval),
            other => Err(format!("unknown harness '{other}' (expected lm-eval)")),
        }
    }
}

/// How to read lm-evaluation-harness logs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LmEval {
    /// The metric whose value is a generation's verdict; None = the one the logs name in `metrics`.
    pub metric: Option<String>,
    /// The filter whose lines are read, for logs with several; None = the logs' only filter.
    pub filter: Option<String>,
}

/// Options of [`crate::read_runs`]. `IngestOptions::default()` reads a file by its extension, with canonical
/// column names, detecting the kind from the columns present.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestOptions {
    /// File format; `None` = from the extension.
    pub format: Option<Format>,
    /// Column mapping: (canonical name, name in the file), e.g. ("params", "Model Size").
    pub columns: Vec<(String, String)>,
    /// Kind of table; `None` = detect: `samples` + `correct` → sampled, `problem` + `correct` → generations,
    /// `nll` → likelihood, else run.
    pub kind: Option<InputKind>,
    /// k grid for per-problem inputs; `None` = powers of two (see the crate docs).
    pub k_grid: Option<Vec<f64>>,
    /// Sampled inputs: drop the problems with fewer samples than k (for that k only, counted and reported)
    /// instead of failing.
    pub drop_unestimable: bool,
    /// A table of each checkpoint's pretraining loss (`params`, `tokens`, `loss`, and optionally columns the
    /// sweep shares, e.g. `model`), joined to the sweep as its `pretrain_loss` column ([`crate::pretrain`]).
    pub pretrain_loss: Option<std::path::PathBuf>,
    /// Raw evaluation logs: which generations are correct, as a filter on the log's own columns (e.g.
    /// `score >= 1`), instead of a `correct` column. Implies [`InputKind::Generations`].
    pub correct_if: Option<t2_core::filter::Filter>,
    /// The input is an index of lm-evaluation-harness per-sample logs ([`crate::lm_eval`]), read as a raw log.
    pub lm_eval: Option<LmEval>,
    /// Per-problem Parquet input: rows decoded at a time; `None` = [`crate::source::BATCH_ROWS`]. Memory for the
    /// batch grows with it; the result does not depend on it.
    pub batch_rows: Option<usize>,
}
