//! The fit file's sidecars: the bootstrap draws and the per-row predictions, most of a fit's bytes, live in two
//! Parquet files beside the JSON (`<stem>.draws.parquet`, `<stem>.predictions.parquet`), so the JSON stays small
//! enough to read and to commit. The JSON names them with a hash of their bytes; [`restore`] reads them back
//! into the fits, and a missing, damaged or mismatched sidecar is an error naming it.
//!
//! - draws: `fit` (index into the file's fits), `draw`, `parameter` ([`ModelParams::names`]), `value`;
//! - predictions: `fit`, `params`, `tokens`, `k`, `observed`, `predicted`, `heldout`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use t2_core::columns::{Column, ColumnTable};
use t2_core::ModelParams;
use t2_fit::{FormFit, Prediction};
use t2_ingest::files::fingerprint;
use t2_ingest::table_parquet::{read_table, write_table};

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

/// The sidecar paths of the fit file `path`: `<stem>.draws.parquet` and `<stem>.predictions.parquet`.
pub fn paths(path: &Path) -> (PathBuf, PathBuf) {
    let stem = path
        .file_stem()
        .map_or("fit".into(), |s| s.to_string_lossy().into_owned());
    let dir = path.parent().unwrap_or(Path::new(""));
    (
        dir.join(format!("{stem}.draws.parquet")),
        dir.join(format!("{stem}.predictions.parquet")),
    )
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

/// Writes the draws and predictions of `fits` beside the fit file `path`, and takes them out of `fits`.
pub fn split(fits: &mut [FormFit], path: &Path) -> Result<Sidecars, Error> {
    let (draws, predictions) = paths(path);
    write_table(&draws_table(fits), &draws)?;
    write_table(&predictions_table(fits), &predictions)?;
    for fit in fits.iter_mut() {
        fit.predictions.clear();
        if let Some(b) = fit.bootstrap.as_mut() {
            b.draws.clear();
        }
    }
    let name = |p: &Path| {
        p.file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned())
    };
    Ok(Sidecars {
        draws: name(&draws),
        draws_hash: hash(&draws)?,
        predictions: name(&predictions),
        predictions_hash: hash(&predictions)?,
    })
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

/// Reads the sidecar `name` of the fit file `path`, checking its hash.
fn read(path: &Path, name: &str, expected_hash: &str) -> Result<(PathBuf, ColumnTable), Error> {
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
    let (draws_path, draws) = read(path, &sidecars.draws, &sidecars.draws_hash)?;
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
    let (predictions_path, predictions) = read(path, &sidecars.predictions, &sidecars.predictions_hash)?;
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
