//! The fit file: what `t2 fit` and `t2 run` write and `t2 plan`, `t2 plot`, `t2 compare` and `t2 report` read.
//! Versioned ([`FORMAT`], [`VERSION`]); its JSON Schema is `data/fit-file.schema.json`. Files are written
//! atomically, and non-finite numbers are spelled out, so every file t2 writes reads back.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use t2_core::rowset::RowSet;
use t2_core::{Form, ModelParams};
use t2_fit::trust::{Check, Reason, Trust, Verdict};
use t2_fit::FormFit;
use t2_ingest::Ingested;

use crate::error::Error;
use crate::floor::CheckpointFloor;
use crate::request::FitRequest;
use crate::sidecar::{self, Sidecars};

/// The `format` of every fit file.
pub const FORMAT: &str = "t2-fit";
/// The version this t2 writes. 1: the files of t2 0.1 (no `format` field); 2: typed request, verdicts, floors,
/// per-form left-out rows; 3: the bootstrap draws and per-row predictions in Parquet sidecars
/// ([`crate::sidecar`]). Versions 2 and 3 are read.
pub const VERSION: u32 = 3;
/// The oldest version this t2 reads (its draws and predictions inline).
pub const OLDEST_READ: u32 = 2;

/// Rows left out of the fits for one reason, counted and listed so nothing is lost silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedRows {
    /// Why, e.g. "5 highest-loss rows" or "not usable by this form: k ≠ 1".
    pub reason: String,
    /// The fit it applies to ("approach1 (task qa)"), None when it applies to all.
    pub scope: Option<String>,
    /// 1-based rows of the input file, as a spreadsheet shows them (header is row 1, so data start at 2): a
    /// list of rows and "first-last" runs.
    pub rows: RowSet,
}

/// A form the request did not name and the data could not support, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedForm {
    /// The form not fitted.
    pub form: Form,
    /// Its task.
    pub task: Option<String>,
    /// "approach1 (task qa)".
    pub scope: String,
    /// Why it was not fitted.
    pub reason: String,
}

/// Where the data came from, so a fit can be reproduced and checked against its input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    /// The input file as given.
    pub path: String,
    /// FNV-1a 64-bit hash of the input file's bytes, hex.
    pub hash: String,
    /// "run", "sampled" or "likelihood".
    pub kind: String,
    /// Data rows of the file.
    pub file_rows: usize,
    /// Rows of the run table ingest made of them.
    pub rows: usize,
    /// Table rows fitted (not filtered out, not held out).
    pub rows_used: usize,
    /// Tasks of the table, sorted.
    pub tasks: Vec<String>,
    /// Distinct k values, ascending.
    pub k_grid: Vec<f64>,
    /// Ingest's warnings and the design warnings of `t2 inspect` (a single isoFLOP level, k = 1 only, few
    /// checkpoints, …).
    pub warnings: Vec<String>,
    /// Every row left out: by ingest (reason prefixed "ingest: "), by a filter, or by a form that cannot use it.
    pub excluded: Vec<ExcludedRows>,
    /// Rows predicted but not fitted (the extrapolation check).
    pub heldout: Option<ExcludedRows>,
}

/// A fit file: one or more fitted forms plus everything needed to reproduce them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version ([`VERSION`]).
    pub version: u32,
    /// The t2 that wrote the file.
    pub t2_version: String,
    /// The command line that produced the file, the program named `t2`.
    pub command: Vec<String>,
    /// Where the data came from and what was left out.
    pub input: InputInfo,
    /// The bootstrap seed (also the Approach 1 start design's).
    pub seed: u64,
    /// What was asked for, in full.
    pub request: FitRequest,
    /// Forms not fitted for lack of data, with the reason.
    pub skipped: Vec<SkippedForm>,
    /// Things about the rows fitted a reader should know (e.g. one law fitted to several tasks).
    pub notes: Vec<String>,
    /// The fitted forms, per task and macro average.
    pub fits: Vec<FormFit>,
    /// Per-checkpoint Beta-binomial floors (sampled per-problem input only).
    pub floors: Vec<CheckpointFloor>,
    /// For a sweep that repeated data (a `unique_tokens` column): the laws were fitted on D′, at this R*_D.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repetition: Option<crate::repetition::RepetitionFit>,
    /// Where the draws and predictions are, in a file [`FitFile::write`] wrote (None in memory: they are in
    /// the fits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecars: Option<Sidecars>,
}

impl FitFile {
    /// The fit file of `fits`, made from `ingested` with `rows_used` table rows fitted: every row left out, those
    /// ingest dropped (reason prefixed "ingest: ") before those the fit `excluded`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ingested: &Ingested,
        command: Vec<String>,
        rows_used: usize,
        excluded: Vec<ExcludedRows>,
        heldout: Option<ExcludedRows>,
        request: FitRequest,
        skipped: Vec<SkippedForm>,
        fits: Vec<FormFit>,
        floors: Vec<CheckpointFloor>,
    ) -> FitFile {
        let report = &ingested.report;
        let table = &ingested.table;
        let mut all_excluded: Vec<ExcludedRows> = report
            .dropped
            .iter()
            .map(|d| ExcludedRows {
                reason: format!("ingest: {}", d.reason),
                scope: None,
                rows: d.rows.clone(),
            })
            .collect();
        all_excluded.extend(excluded);
        let mut tasks: Vec<String> = table.task.clone().unwrap_or_default();
        tasks.sort();
        tasks.dedup();
        let mut k_grid = table.k.clone();
        k_grid.sort_by(f64::total_cmp);
        k_grid.dedup();
        FitFile {
            format: FORMAT.to_string(),
            version: VERSION,
            t2_version: env!("CARGO_PKG_VERSION").to_string(),
            command: program_named_t2(command),
            input: InputInfo {
                path: report.path.display().to_string(),
                hash: report.hash.clone(),
                kind: report.kind.name().to_string(),
                file_rows: report.rows_read,
                rows: table.len(),
                rows_used,
                tasks,
                k_grid,
                warnings: report
                    .warnings
                    .iter()
                    .cloned()
                    .chain(t2_ingest::summarize(&ingested.table).warnings)
                    .collect(),
                excluded: all_excluded,
                heldout,
            },
            seed: request.seed(),
            request,
            skipped,
            notes: Vec::new(),
            fits,
            floors,
            repetition: None,
            sidecars: None,
        }
    }

    /// The file with these notes.
    pub fn with_notes(mut self, notes: Vec<String>) -> FitFile {
        self.notes = notes;
        self
    }

    /// The file with what was done about repeated data, and a note saying it.
    pub fn with_repetition(mut self, repetition: crate::repetition::RepetitionFit) -> FitFile {
        self.notes.push(format!(
            "{} rows trained past their unique tokens (up to {:.3} epochs): every law was fitted on the \
             data-constrained D′ (Muennighoff et al. 2023) with R*_D = {:.4} ({}); the fits' tokens are D′",
            repetition.rows_repeated,
            repetition.max_epochs,
            repetition.horizon,
            if repetition.fitted { "fitted" } else { "fixed" }
        ));
        self.repetition = Some(repetition);
        self
    }

    /// The file as pretty JSON, draws and predictions inline.
    pub fn to_json(&self) -> String {
        // Serialising these types cannot fail: every map key is a string and every number is finite or spelled.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Writes the file with its draws and predictions in the Parquet sidecars beside it ([`crate::sidecar`]),
    /// as one set: under an exclusive lock on the folder, the new sidecars (named by their hash) first, the
    /// JSON renamed over the old one last, then the sidecars no longer named removed. A kill or a full disk at
    /// any point leaves the old fit or the new one, whole; two writers of one fit take turns, and the last wins
    /// whole. Refuses to overwrite one of `inputs`.
    pub fn write(&self, path: &Path, inputs: &[&Path]) -> Result<(), Error> {
        Error::refuse_overwriting_inputs(path, inputs)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            t2_ingest::files::create_folder(dir).map_err(|e| Error::write(dir, e))?;
        }
        let _lock = FolderLock::exclusive(path);
        let mut light = self.clone();
        let sidecars = sidecar::split(&mut light.fits, path)?;
        light.sidecars = Some(sidecars.clone());
        t2_ingest::files::write_bytes(path, light.to_json().as_bytes()).map_err(|e| Error::write(path, e))?;
        sidecar::remove_stale(path, &sidecars);
        Ok(())
    }

    /// Reads a fit file, with a clear error for a file that is not one (a plan, another JSON) or is of another
    /// version.
    pub fn read(path: &Path) -> Result<FitFile, Error> {
        let bad = |message: String| Error::FitFile {
            path: path.to_path_buf(),
            message,
        };
        if path.is_dir() {
            return Err(bad(
                "is a directory; give a fit file written by `t2 fit` or `t2 run`".into(),
            ));
        }
        let _lock = FolderLock::shared(path);
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, format!("cannot read: {e}")))?;
        t2_ingest::files::note_read(path);
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| bad(format!("is not JSON ({e}); give a fit file")))?;
        if value.is_array() && value.get(0).and_then(|p| p.get("rows")).is_some() {
            return Err(bad(
                "is a plan file (written by `t2 plan --out`); give the fit file the plan was made from"
                    .into(),
            ));
        }
        match (
            value.get("format").and_then(|f| f.as_str()),
            value.get("version").and_then(|v| v.as_u64()),
        ) {
            (Some(FORMAT), Some(v)) if (OLDEST_READ as u64..=VERSION as u64).contains(&v) => {}
            (Some(FORMAT), Some(v)) => {
                return Err(bad(format!(
                    "is a t2 fit file of format version {v}; this t2 ({}) reads versions {OLDEST_READ} to \
                     {VERSION}: refit it",
                    env!("CARGO_PKG_VERSION")
                )))
            }
            _ if value.get("fits").is_some() && value.get("t2_version").is_some() => {
                return Err(bad(format!(
                    "is a t2 fit file of format version 1 (t2 0.1); this t2 reads versions {OLDEST_READ} to \
                     {VERSION}: refit it"
                )))
            }
            _ => return Err(bad("is not a t2 fit file (no \"format\": \"t2-fit\")".into())),
        }
        let mut file: FitFile =
            serde_json::from_value(value).map_err(|e| bad(format!("is a damaged fit file: {e}")))?;
        if let Some(sidecars) = file.sidecars.take() {
            sidecar::restore(&mut file.fits, &sidecars, path)?;
        }
        if file.fits.is_empty() {
            return Err(bad("holds no fits".into()));
        }
        for fit in &mut file.fits {
            distrust_non_finite(fit);
        }
        Ok(file)
    }

    /// The file with only the fits of `forms` (all when None) and `task` (all when None; "macro" for the macro
    /// average); an error naming the file when none is left.
    pub fn only(&self, forms: Option<&[Form]>, task: Option<&str>, path: &Path) -> Result<FitFile, Error> {
        let mut file = self.clone();
        file.fits.retain(|f| {
            forms.is_none_or(|forms| forms.contains(&f.form))
                && task.is_none_or(|t| f.task.as_deref() == Some(t))
        });
        if file.fits.is_empty() {
            return Err(Error::option(
                crate::setting::Setting::FitsChosen,
                format!(
                    "no fit of {} matches (it holds {})",
                    path.display(),
                    self.fits.iter().map(|f| f.label()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        Ok(file)
    }

    /// The input file's name, for titles.
    pub fn data_name(&self) -> String {
        let path = PathBuf::from(&self.input.path);
        path.file_name()
            .map_or(self.input.path.clone(), |n| n.to_string_lossy().into_owned())
    }
}

/// A fit with a parameter that is not a finite number is unreliable, whatever verdict it carries: applied to
/// every fit read back (a file edited by hand, or damaged, must not plan rows labelled "ok"); a fit t2 made
/// already says so, and is left as it is.
pub fn distrust_non_finite(fit: &mut FormFit) {
    let bad: Vec<&str> = ModelParams::names(fit.form)
        .iter()
        .zip(fit.params.values())
        .filter(|(_, v)| !v.is_finite())
        .map(|(name, _)| *name)
        .collect();
    if !bad.is_empty() && !fit.trust.reasons.iter().any(|r| r.check == Check::Finite) {
        let reason = Reason::new(
            Check::Finite,
            Verdict::Unreliable,
            format!("not finite: {}", bad.join(", ")),
            None,
            None,
        );
        fit.trust = fit.trust.clone().and(&Trust::from_reasons(vec![reason]));
    }
}

/// An advisory lock on the folder of a fit file, held while its set (JSON and sidecars) is written (exclusive)
/// or read (shared); released when dropped. Where the folder cannot be opened or locked, nothing is held.
struct FolderLock(Option<std::fs::File>);

impl FolderLock {
    fn open(path: &Path) -> Option<std::fs::File> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::File::open(dir).ok()
    }

    fn exclusive(path: &Path) -> FolderLock {
        FolderLock(FolderLock::open(path).filter(|f| f.lock().is_ok()))
    }

    fn shared(path: &Path) -> FolderLock {
        FolderLock(FolderLock::open(path).filter(|f| f.lock_shared().is_ok()))
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if let Some(file) = &self.0 {
            let _ = file.unlock();
        }
    }
}

/// The command line with the program named `t2` (not the binary's path on the machine that ran it).
fn program_named_t2(mut command: Vec<String>) -> Vec<String> {
    if let Some(first) = command.first_mut() {
        *first = "t2".to_string();
    }
    command
}
