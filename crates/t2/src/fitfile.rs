//! The fit JSON written by `t2 fit` and read by `t2 plan`, `t2 plot` and `t2 compare`.

use std::path::Path;

use serde::{Deserialize, Serialize};
use t2_fit::FormFit;
use t2_ingest::Ingested;

/// Rows a filter or option excluded from a fit, counted and listed so nothing is lost silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedRows {
    /// Why, e.g. "5 highest-loss rows" or "holdout: tokens > 7e10".
    pub reason: String,
    /// 1-based data rows of the input file, as a spreadsheet shows them (header is row 1, so data start at 2).
    pub rows: Vec<usize>,
}

/// Where the data came from, so a fit can be reproduced and checked against its input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    pub path: String,
    /// FNV-1a 64-bit hash of the input file's bytes, hex.
    pub hash: String,
    pub rows: usize,
    pub rows_used: usize,
    pub excluded: Vec<ExcludedRows>,
}

/// A fit file: one or more fitted forms plus everything needed to reproduce them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitFile {
    pub t2_version: String,
    /// The command line that produced the file.
    pub command: Vec<String>,
    pub input: InputInfo,
    pub seed: u64,
    /// The options of the fit, as given (form-specific).
    pub options: serde_json::Value,
    pub fits: Vec<FormFit>,
}

impl FitFile {
    /// The fit file of `fits`, made from `ingested` (read from `path`) with `rows_used` table rows: the command
    /// line, the input's hash, and every row left out, those ingest dropped (reason prefixed "ingest: ") before
    /// those the fit `excluded`.
    pub fn new(
        path: &Path,
        ingested: &Ingested,
        rows_used: usize,
        excluded: Vec<ExcludedRows>,
        seed: u64,
        options: serde_json::Value,
        fits: Vec<FormFit>,
    ) -> Result<FitFile, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut all_excluded: Vec<ExcludedRows> = ingested
            .report
            .dropped
            .iter()
            .map(|d| ExcludedRows {
                reason: format!("ingest: {}", d.reason),
                rows: d.rows.clone(),
            })
            .collect();
        all_excluded.extend(excluded);
        Ok(FitFile {
            t2_version: env!("CARGO_PKG_VERSION").to_string(),
            command: std::env::args().collect(),
            input: InputInfo {
                path: path.display().to_string(),
                hash: fnv1a64_hex(&bytes),
                rows: ingested.table.len(),
                rows_used,
                excluded: all_excluded,
            },
            seed,
            options,
            fits,
        })
    }

    /// Writes the file as pretty JSON, creating its folder.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        }
        let json = serde_json::to_string_pretty(self).map_err(|e| fail(&e))?;
        std::fs::write(path, json).map_err(|e| fail(&e))
    }
}

/// FNV-1a 64-bit hash of `bytes`, as 16 hex digits (a content fingerprint, not a security hash).
fn fnv1a64_hex(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv1a64_known_vectors() {
        assert_eq!(super::fnv1a64_hex(b""), "cbf29ce484222325");
        assert_eq!(super::fnv1a64_hex(b"a"), "af63dc4c8601ec8c");
    }
}
