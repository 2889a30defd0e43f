//! The fit file's sidecars: the bootstrap draws and the per-row predictions, most of a fit's bytes, live in two
//! Parquet files beside the JSON, so the JSON stays small enough to read and to commit. Their names carry the
//! hash of their bytes (`<stem>.draws.<hash>.parquet`, `<stem>.predictions.<hash>.parquet`): a write puts the
//! new sidecars beside the old ones without touching them, renames the JSON over the old one last, and only then
//! removes the sidecars no longer named ([`crate::fitfile::FitFile::write`], under a lock), so a kill or a full
//! disk at any point leaves a fit that reads: the old one or the new one, never a mix. [`restore`] reads them
//! back into the fits; a missing, damaged or mismatched sidecar is an error naming it, and a sidecar name that
//! is not a plain file name of the fit's own (an absolute path, `..`) is refused before anything is opened.
//!
//! - draws: `fit` (index into the file's fits), `draw`, `parameter` ([`ModelParams::names`]), `value`;
//! - predictions: `fit`, `params`, `tokens`, `k`, `observed`, `predicted`, `heldout`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use t2_core::columns::{Column, ColumnTable};
use t2_core::ModelParams;
use t2_fit::{FormFit, Prediction};
use t2_ingest::files::{fingerprint, fingerprint_bytes};
use t2_ingest::table_parquet::{read_table, table_bytes};

use crate::error::Error;

/// Where a fit file's draws and predictions are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidecars {
    /// The draws' file name, beside the fit file.
    pub draws: String,
    /// FNV-1a hash of its bytes.
    pub draws_hash: String,
    /// The predictions' file name, beside the fit file.
    pub predictions: String,
    /// FNV-1a hash of its bytes.
    pub predictions_hash: String,
}

/// The stem of the fit file `path` ("fit" for a path without one), which its sidecars' names start with.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or("fit".into(), |s| s.to_string_lossy().into_owned())
}

/// The sidecar `kind` ("draws" or "predictions") of the fit file `path`, with bytes hashing to `hash`.
fn sidecar_path(path: &Path, kind: &str, hash: &str) -> PathBuf {
    path.parent()
        .unwrap_or(Path::new(""))
        .join(format!("{}.{kind}.{hash}.parquet", stem(path)))
}

/// Whether `name`, a file in the fit file `path`'s folder, is a sidecar of it: `<stem>.draws….parquet` or
/// `<stem>.predictions….parquet` (the names of this and of earlier versions).
pub fn is_sidecar_of(path: &Path, name: &str) -> bool {
    let stem = stem(path);
    ["draws", "predictions"].iter().any(|kind| {
        name.strip_prefix(&format!("{stem}.{kind}."))
            .is_some_and(|rest| rest == "parquet" || rest.ends_with(".parquet") && !rest.contains('/'))
    })
}

fn draws_table(fits: &[FormFit]) -> ColumnTable {
    let mut rows: Vec<(usize, usize, &str, f64)> = Vec::new();
    for (i, fit) in fits.iter().enumerate() {
        for (j, draw) in fit.bootstrap.iter().flat_map(|b| b.draws.iter()).enumerate() {
            let names = ModelParams::names(draw.form());
            rows.extend(names.iter().zip(draw.values()).map(|(name, v)| (i, j, *name, v)));
        }
    }
    let mut t = ColumnTable::default();
    t.count("fit", &rows, |r| Some(r.0 as u64));
    t.count("draw", &rows, |r| Some(r.1 as u64));
    t.text("parameter", &rows, |r| Some(r.2.to_string()));
    t.number("value", &rows, |r| Some(r.3));
    t
}

fn predictions_table(fits: &[FormFit]) -> ColumnTable {
    let rows: Vec<(usize, &Prediction)> = fits
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.predictions.iter().map(move |p| (i, p)))
        .collect();
    let mut t = ColumnTable::default();
    t.count("fit", &rows, |r| Some(r.0 as u64));
    t.number("params", &rows, |r| Some(r.1.params));
    t.number("tokens", &rows, |r| Some(r.1.tokens));
    t.number("k", &rows, |r| Some(r.1.k));
    t.number("observed", &rows, |r| Some(r.1.observed));
    t.number("predicted", &rows, |r| Some(r.1.predicted));
    t.flag("heldout", &rows, |r| r.1.heldout);
    t
}

fn hash(path: &Path) -> Result<String, Error> {
    fingerprint(path).map_err(|e| Error::io(path, format!("cannot read: {e}")))
}

/// Writes the draws and predictions of `fits` beside the fit file `path` under names that carry their hash,
/// and takes them out of `fits`.
pub fn split(fits: &mut [FormFit], path: &Path) -> Result<Sidecars, Error> {
    let write = |kind: &str, table: &ColumnTable| -> Result<(String, String), Error> {
        let bytes = table_bytes(table, path)?;
        let hash = fingerprint_bytes(&bytes);
        let sidecar = sidecar_path(path, kind, &hash);
        // The name is the content: a sidecar already there with the same bytes is left as it is.
        if fingerprint(&sidecar).ok().as_deref() != Some(hash.as_str()) {
            t2_ingest::files::write_bytes(&sidecar, &bytes).map_err(|e| Error::write(&sidecar, e))?;
        }
        let name = sidecar
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        Ok((name, hash))
    };
    let (draws, draws_hash) = write("draws", &draws_table(fits))?;
    let (predictions, predictions_hash) = write("predictions", &predictions_table(fits))?;
    for fit in fits.iter_mut() {
        fit.predictions.clear();
        if let Some(b) = fit.bootstrap.as_mut() {
            b.draws.clear();
        }
    }
    Ok(Sidecars {
        draws,
        draws_hash,
        predictions,
        predictions_hash,
    })
}

/// Removes the sidecars of the fit file `path` other than `keep`'s (earlier writes', and those a killed writer
/// left before its JSON was renamed). Failures are ignored: a stale sidecar wastes space but breaks nothing.
pub fn remove_stale(path: &Path, keep: &Sidecars) {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_sidecar_of(path, &name) && name != keep.draws && name != keep.predictions {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn numbers<'t>(table: &'t ColumnTable, name: &str, path: &Path) -> Result<&'t [Option<f64>], Error> {
    match table.column(name) {
        Some(Column::Number(v)) => Ok(v),
        _ => Err(damaged(path, format!("no number column '{name}'"))),
    }
}

fn counts<'t>(table: &'t ColumnTable, name: &str, path: &Path) -> Result<&'t [Option<u64>], Error> {
    match table.column(name) {
        Some(Column::Count(v)) => Ok(v),
        _ => Err(damaged(path, format!("no count column '{name}'"))),
    }
}

fn damaged(path: &Path, why: String) -> Error {
    Error::FitFile {
        path: path.to_path_buf(),
        message: format!("is a damaged fit-file sidecar: {why}"),
    }
}

/// Reads the sidecar `name` (the fit file's field `field`) of the fit file `path`, checking that it is a plain
/// name of the fit's own and its hash.
fn read(path: &Path, field: &str, name: &str, expected_hash: &str) -> Result<(PathBuf, ColumnTable), Error> {
    let plain = Path::new(name).file_name().is_some_and(|n| n == name) && !name.contains(['/', '\\']);
    if !plain || !is_sidecar_of(path, name) {
        return Err(Error::FitFile {
            path: path.to_path_buf(),
            message: format!(
                "its field sidecars.{field} is {:?}: a sidecar is a plain file name beside the fit file, starting \
                 with '{}.'; the file is damaged or was not written by t2",
                name.escape_debug().to_string(),
                stem(path)
            ),
        });
    }
    let sidecar = path.parent().unwrap_or(Path::new("")).join(name);
    if !sidecar.is_file() {
        return Err(Error::FitFile {
            path: path.to_path_buf(),
            message: format!(
                "its sidecar {} is missing: keep a fit file's .parquet files beside it",
                sidecar.display()
            ),
        });
    }
    if hash(&sidecar)? != expected_hash {
        return Err(Error::FitFile {
            path: path.to_path_buf(),
            message: format!(
                "its sidecar {} is not the one written with it (the hash differs): refit, or restore the pair",
                sidecar.display()
            ),
        });
    }
    Ok((sidecar.clone(), read_table(&sidecar)?))
}

/// Reads the sidecars of the fit file `path` back into `fits`.
pub fn restore(fits: &mut [FormFit], sidecars: &Sidecars, path: &Path) -> Result<(), Error> {
    let (draws_path, draws) = read(path, "draws", &sidecars.draws, &sidecars.draws_hash)?;
    let (fit, draw) = (
        counts(&draws, "fit", &draws_path)?,
        counts(&draws, "draw", &draws_path)?,
    );
    let value = numbers(&draws, "value", &draws_path)?;
    let mut start = 0;
    while start < value.len() {
        let (i, j) = (fit[start].unwrap_or(u64::MAX) as usize, draw[start]);
        let mut end = start;
        while end < value.len() && fit[end] == fit[start] && draw[end] == j {
            end += 1;
        }
        let form_fit = fits.get_mut(i).ok_or_else(|| {
            damaged(
                &draws_path,
                format!("a draw of fit {i}, which the file does not have"),
            )
        })?;
        let values: Vec<f64> = value[start..end].iter().map(|v| v.unwrap_or(f64::NAN)).collect();
        // A draw is a refit that succeeded: every value finite.
        if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
            return Err(damaged(
                &draws_path,
                format!(
                    "draw {} of fit {i} has the value {bad} in column 'value'",
                    j.unwrap_or(0)
                ),
            ));
        }
        let params = ModelParams::from_values(form_fit.form, &values).ok_or_else(|| {
            damaged(
                &draws_path,
                format!("draw {j:?} of fit {i} has {} values", values.len()),
            )
        })?;
        form_fit
            .bootstrap
            .as_mut()
            .ok_or_else(|| damaged(&draws_path, format!("draws of fit {i}, which has no bootstrap")))?
            .draws
            .push(params);
        start = end;
    }
    let (predictions_path, predictions) = read(
        path,
        "predictions",
        &sidecars.predictions,
        &sidecars.predictions_hash,
    )?;
    let p = &predictions_path;
    let fit = counts(&predictions, "fit", p)?;
    let [params, tokens, k, observed, predicted] =
        ["params", "tokens", "k", "observed", "predicted"].map(|name| numbers(&predictions, name, p));
    let (params, tokens, k, observed, predicted) = (params?, tokens?, k?, observed?, predicted?);
    let heldout = match predictions.column("heldout") {
        Some(Column::Flag(v)) => v,
        _ => return Err(damaged(p, "no flag column 'heldout'".into())),
    };
    let number = |v: Option<f64>| v.unwrap_or(f64::NAN);
    for r in 0..fit.len() {
        let i = fit[r].unwrap_or(u64::MAX) as usize;
        // N, D and k place a row: positive and finite. Observed and predicted values may be infinite (a loss
        // where no sample was correct).
        for (name, column) in [("params", params), ("tokens", tokens), ("k", k)] {
            let v = number(column[r]);
            if !(v.is_finite() && v > 0.0) {
                return Err(damaged(p, format!("row {} has {name} = {v}", r + 1)));
            }
        }
        fits.get_mut(i)
            .ok_or_else(|| {
                damaged(
                    p,
                    format!("a prediction of fit {i}, which the file does not have"),
                )
            })?
            .predictions
            .push(Prediction {
                params: number(params[r]),
                tokens: number(tokens[r]),
                k: number(k[r]),
                observed: number(observed[r]),
                predicted: number(predicted[r]),
                heldout: heldout[r],
            });
    }
    Ok(())
}
