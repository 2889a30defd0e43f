//! `Fit`: a fit file in memory, made by [`fit_sweep`] or [`fit_chinchilla`] or read from disk; its tables, plans,
//! figures and report. And [`compare`], several fits side by side.

use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::PyList;
use std::sync::atomic::{AtomicBool, Ordering};
use t2_core::filter::{Filter, RowSelection};
use t2_core::vocabulary::Vocabulary;
use t2_core::Form;
use t2_pipeline::advisor::{advise_file, DesignChoices, Quantity};
use t2_pipeline::choices::{ChinchillaChoices, ParamConstraint, SweepChoices};
use t2_pipeline::figures::{render_all, FigureKind, FigureOptions};
use t2_pipeline::plan::plan_fit_file;
use t2_pipeline::repetition::Repetition;
use t2_pipeline::report::{self, ReportOptions};
use t2_pipeline::request::{Cluster, FitRequest};
use t2_pipeline::sweep::Progress;
use t2_pipeline::tables::summary::summary;
use t2_pipeline::{frames, FitFile};

use crate::columns;
use crate::errors::{bad, to_py};
use crate::plan::{Plan, Scenario};
use crate::sweep::Sweep;
use t2_core::words::counted;

/// A fitted sweep: every form fitted, with estimates, intervals, verdicts and predictions.
#[pyclass(module = "t2._t2", frozen)]
pub struct Fit {
    pub file: FitFile,
}

fn filter(text: Option<&str>, option: &str) -> PyResult<Option<Filter>> {
    text.map(|t| Filter::parse(t).map_err(|e| bad(format!("{option}: {e}"))))
        .transpose()
}

/// `text` parsed as the value of the Python argument `argument`; an error names the argument.
fn parsed<T>(text: &str, argument: &str) -> PyResult<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse::<T>().map_err(|e| bad(format!("{argument}: {e}")))
}

/// The values of a vocabulary `names` name (None: None); an unknown one is an error naming the argument.
fn named<T: Vocabulary>(argument: &str, names: Option<Vec<String>>) -> PyResult<Option<Vec<T>>> {
    names
        .map(|names| {
            names
                .iter()
                .map(|n| T::parse_name(n).map_err(|e| bad(format!("{argument}: {e}"))))
                .collect()
        })
        .transpose()
}

fn selection(
    keep_where: Option<&str>,
    exclude_where: Option<&str>,
    drop_highest_loss: usize,
) -> PyResult<RowSelection> {
    Ok(RowSelection {
        keep_where: filter(keep_where, "where")?,
        exclude_where: filter(exclude_where, "exclude_where")?,
        drop_highest_loss,
    })
}

/// Fits `request` to `sweep` with the GIL released.
fn run_fit(
    py: Python<'_>,
    sweep: &Sweep,
    request: &FitRequest,
    command: Vec<String>,
    threads: Option<usize>,
) -> PyResult<Fit> {
    let stop = Interruptible::default();
    let file = py.detach(|| {
        std::thread::scope(|scope| {
            let fit = scope.spawn(|| {
                t2_pipeline::threads::install(threads, || {
                    t2_pipeline::sweep::fit_sweep(&sweep.ingested, request, command, &stop)
                })
                .and_then(|r| r)
            });
            // Python runs signal handlers only in its main thread, with the GIL: this thread waits for the fit,
            // and every tenth of a second takes the GIL to let Ctrl-C through.
            let mut interrupted = None;
            while !fit.is_finished() {
                std::thread::sleep(SIGNAL_CHECK);
                if interrupted.is_none() {
                    if let Err(e) = Python::attach(|py| py.check_signals()) {
                        stop.flag.store(true, Ordering::Relaxed);
                        interrupted = Some(e);
                    }
                }
            }
            // A panic in the fit is a bug, not a cancellation: it goes on to PyO3, which raises it as such.
            let result = fit
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            match interrupted {
                Some(e) => Err(e),
                None => result.map_err(to_py),
            }
        })
    })?;
    Ok(Fit { file })
}

/// `job` with the GIL released, on `threads` threads (None: one per core).
fn detached<T: Send>(
    py: Python<'_>,
    threads: Option<usize>,
    job: impl FnOnce() -> Result<T, t2_pipeline::Error> + Send,
) -> PyResult<T> {
    py.detach(|| t2_pipeline::threads::install(threads, job).and_then(|r| r))
        .map_err(to_py)
}

/// How often a waiting fit lets Python's signal handlers run (Ctrl-C stops a fit within about this, plus one
/// bootstrap refit per thread).
const SIGNAL_CHECK: std::time::Duration = std::time::Duration::from_millis(100);

/// A fit's progress as Python sees it: nothing shown, and a flag Ctrl-C sets.
#[derive(Default)]
struct Interruptible {
    flag: AtomicBool,
}

impl Progress for Interruptible {
    fn cancel(&self) -> Option<&AtomicBool> {
        Some(&self.flag)
    }
}

/// Every T² form (or `forms`) per task and macro average, as `t2 fit t2` fits them. Every keyword is given by
/// the Python layer, whose defaults are the library's ([`t2_pipeline::defaults`]).
#[pyfunction]
#[pyo3(signature = (sweep, *, command, forms, task, keep_where, exclude_where, drop_highest_loss, train_where,
    holdout_where, holdout_share, cluster, bootstrap, seed, level, starts, approach1_objective, huber_delta,
    fit_repetition, repetition_horizon, threads = None))]
#[allow(clippy::too_many_arguments)]
pub fn fit_sweep(
    py: Python<'_>,
    sweep: &Sweep,
    command: Vec<String>,
    forms: Option<Vec<String>>,
    task: Option<String>,
    keep_where: Option<&str>,
    exclude_where: Option<&str>,
    drop_highest_loss: usize,
    train_where: Option<&str>,
    holdout_where: Option<&str>,
    holdout_share: Option<f64>,
    cluster: &str,
    bootstrap: usize,
    seed: u64,
    level: f64,
    starts: &str,
    approach1_objective: &str,
    huber_delta: f64,
    fit_repetition: bool,
    repetition_horizon: Option<f64>,
    threads: Option<usize>,
) -> PyResult<Fit> {
    let request = SweepChoices {
        forms: named::<Form>("forms", forms)?,
        task,
        selection: selection(keep_where, exclude_where, drop_highest_loss)?,
        train_where: filter(train_where, "train_where")?,
        holdout_where: filter(holdout_where, "holdout_where")?,
        holdout_share,
        cluster: parsed::<Cluster>(cluster, "cluster")?,
        resamples: bootstrap,
        seed,
        level,
        approach1_starts: parsed(starts, "starts")?,
        approach1_objective: parsed(approach1_objective, "approach1_objective")?,
        huber_delta,
        repetition: Repetition::chosen(fit_repetition, repetition_horizon).map_err(to_py)?,
    }
    .request()
    .map_err(to_py)?;
    run_fit(py, sweep, &request, command, threads)
}

/// The Chinchilla law alone on all selected rows, as `t2 fit chinchilla` fits it. Every keyword is given by the
/// Python layer, whose defaults are the library's ([`t2_pipeline::defaults`]).
#[pyfunction]
#[pyo3(signature = (sweep, *, command, keep_where, exclude_where, drop_highest_loss, loss, delta, pins, bounds,
    starts, bootstrap, seed, level, cluster, budgets, keep_draws, threads = None))]
#[allow(clippy::too_many_arguments)]
pub fn fit_chinchilla(
    py: Python<'_>,
    sweep: &Sweep,
    command: Vec<String>,
    keep_where: Option<&str>,
    exclude_where: Option<&str>,
    drop_highest_loss: usize,
    loss: &str,
    delta: f64,
    pins: Vec<(String, f64)>,
    bounds: Vec<(String, Option<f64>, Option<f64>)>,
    starts: &str,
    bootstrap: usize,
    seed: u64,
    level: f64,
    cluster: &str,
    budgets: Vec<f64>,
    keep_draws: bool,
    threads: Option<usize>,
) -> PyResult<Fit> {
    let pins = pins
        .iter()
        .map(|(name, value)| ParamConstraint::pin(name, *value).map_err(|e| bad(format!("pin: {e}"))))
        .collect::<PyResult<Vec<_>>>()?;
    let bounds = bounds
        .iter()
        .map(|(name, lo, hi)| ParamConstraint::bound(name, *lo, *hi).map_err(|e| bad(format!("bound: {e}"))))
        .collect::<PyResult<Vec<_>>>()?;
    let chinchilla = ChinchillaChoices {
        loss: parsed(loss, "loss")?,
        delta,
        starts: parsed(starts, "starts")?,
        pins,
        bounds,
        seed,
        ..Default::default()
    }
    .options()
    .map_err(to_py)?;
    let request = FitRequest {
        selection: selection(keep_where, exclude_where, drop_highest_loss)?,
        bootstrap: t2_pipeline::choices::bootstrap(bootstrap, seed, level).map_err(to_py)?,
        cluster: parsed::<Cluster>(cluster, "cluster")?,
        chinchilla,
        chinchilla_budgets: budgets,
        keep_draws,
        ..FitRequest::chinchilla()
    };
    run_fit(py, sweep, &request, command, threads)
}

/// The figures' scenario and choices from the Python keywords.
fn figure_options(scenario: &Scenario, only: Option<Vec<String>>) -> PyResult<FigureOptions> {
    let only = named::<FigureKind>("only", only)?.unwrap_or_else(|| FigureKind::all().to_vec());
    Ok(FigureOptions {
        scenario: scenario.scenario.clone(),
        only,
        ..FigureOptions::default()
    })
}

impl Fit {
    /// The fit file with only `forms` and `task` (all when None).
    fn chosen(&self, forms: Option<Vec<String>>, task: Option<String>) -> PyResult<FitFile> {
        let forms = named::<Form>("forms", forms)?;
        self.file
            .only(
                forms.as_deref(),
                task.as_deref(),
                Path::new(&self.file.input.path),
            )
            .map_err(to_py)
    }
}

#[pymethods]
impl Fit {
    /// Reads a fit file written by `t2 fit`, `t2 run` or `Fit.write`.
    #[staticmethod]
    fn read(path: PathBuf) -> PyResult<Fit> {
        Ok(Fit {
            file: FitFile::read(&path).map_err(to_py)?,
        })
    }

    /// The fit file as JSON text (what `write` writes).
    fn to_json(&self) -> String {
        self.file.to_json()
    }

    /// Writes the fit file, atomically; never over the sweep it was fitted to.
    fn write(&self, path: PathBuf) -> PyResult<()> {
        let input = PathBuf::from(&self.file.input.path);
        self.file.write(&path, &[&input]).map_err(to_py)
    }

    /// The summary `t2 fit` prints.
    fn summary(&self) -> String {
        summary(&self.file)
    }

    /// Every estimate of every fit, as columns.
    fn estimates<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        columns::to_python(py, &frames::estimates(&self.file.fits))
    }

    /// One row per fit (verdict, reasons, objective, R², held-out error), as columns.
    fn fits<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        columns::to_python(py, &frames::fits(&self.file.fits))
    }

    /// Observed against predicted for every row of every fit, as columns.
    fn predictions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        columns::to_python(py, &frames::predictions(&self.file.fits))
    }

    /// The compute-optimal plan in `scenario`, for `forms` and `task` (all when None).
    #[pyo3(signature = (scenario, forms = None, task = None, threads = None))]
    fn plan(
        &self,
        py: Python<'_>,
        scenario: &Scenario,
        forms: Option<Vec<String>>,
        task: Option<String>,
        threads: Option<usize>,
    ) -> PyResult<Plan> {
        let file = self.chosen(forms, task)?;
        let spec = scenario.scenario.check().map_err(to_py)?;
        let plans = detached(py, threads, || plan_fit_file(&file, &spec))?;
        Ok(Plan {
            plans,
            scenario: scenario.scenario.clone(),
        })
    }

    /// What to train next (`t2 design`), as columns: one row per advised run of every fit.
    #[pyo3(signature = (budget, *, target_train_flops, inference_flops, quantity, max_runs, max_run_flops = None,
                        candidates = None, forms = None, task = None, threads = None))]
    #[allow(clippy::too_many_arguments)]
    fn design<'py>(
        &self,
        py: Python<'py>,
        budget: f64,
        target_train_flops: f64,
        inference_flops: f64,
        quantity: &str,
        max_runs: usize,
        max_run_flops: Option<f64>,
        candidates: Option<PathBuf>,
        forms: Option<Vec<String>>,
        task: Option<String>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let file = self.chosen(forms, task)?;
        let request = DesignChoices {
            budget,
            max_runs,
            max_run_flops,
            target_train_flops,
            inference_flops,
            quantity: parsed::<Quantity>(quantity, "quantity")?,
            candidates,
        }
        .request()
        .map_err(to_py)?;
        let advised = detached(py, threads, || Ok(advise_file(&file, &request)))?;
        columns::to_python(py, &frames::design(&advised))
    }

    /// Draws the figures (`only` some of them) into `out_dir` as PNG and SVG; returns the paths written.
    #[pyo3(signature = (out_dir, scenario, only = None, threads = None))]
    fn plot(
        &self,
        py: Python<'_>,
        out_dir: PathBuf,
        scenario: &Scenario,
        only: Option<Vec<String>>,
        threads: Option<usize>,
    ) -> PyResult<Vec<String>> {
        let options = figure_options(scenario, only)?;
        let written = detached(py, threads, || render_all(&self.file, &out_dir, &options))?;
        Ok(written.iter().map(|p| p.display().to_string()).collect())
    }

    /// The fit as compact HTML for a notebook: verdicts and the headline plan.
    fn summary_html(&self, py: Python<'_>) -> PyResult<String> {
        detached(py, None, || t2_pipeline::notebook::summary_html(&self.file))
    }

    /// One figure (`kind`) for `task` (the primary group when None), as SVG text and PNG bytes.
    #[pyo3(signature = (kind, scenario, task = None, threads = None))]
    fn figure<'py>(
        &self,
        py: Python<'py>,
        kind: &str,
        scenario: &Scenario,
        task: Option<String>,
        threads: Option<usize>,
    ) -> PyResult<(String, Bound<'py, pyo3::types::PyBytes>)> {
        let kind = parsed::<FigureKind>(kind, "kind")?;
        let (svg, png) = detached(py, threads, || {
            let figure =
                t2_pipeline::notebook::figure(&self.file, kind, &scenario.scenario, task.as_deref())?;
            Ok((figure.svg_string()?, figure.png_bytes()?))
        })?;
        Ok((svg, pyo3::types::PyBytes::new(py, &png)))
    }

    /// Writes the one-page HTML report, with its plan in `scenario`, to `path`.
    #[pyo3(signature = (path, scenario, threads = None))]
    fn report(
        &self,
        py: Python<'_>,
        path: PathBuf,
        scenario: &Scenario,
        threads: Option<usize>,
    ) -> PyResult<()> {
        let options = ReportOptions {
            figures: figure_options(scenario, None)?,
        };
        let input = PathBuf::from(&self.file.input.path);
        detached(py, threads, || {
            report::write(&self.file, None, &options, &path, &[&input])
        })
    }

    fn __repr__(&self) -> String {
        let fits: Vec<String> = self
            .file
            .fits
            .iter()
            .map(|f| format!("{} {}", f.label(), f.trust.verdict))
            .collect();
        format!(
            "<t2.Fit of {} ({}): {}>",
            self.file.data_name(),
            counted(self.file.input.rows_used, "row"),
            fits.join(", ")
        )
    }
}

/// The estimates of several fits side by side, one value and interval column group per name.
#[pyfunction]
pub fn compare<'py>(
    py: Python<'py>,
    fits: Vec<PyRef<'py, Fit>>,
    names: Vec<String>,
) -> PyResult<Bound<'py, PyList>> {
    if fits.len() != names.len() {
        return Err(bad(format!("{} fits but {} names", fits.len(), names.len())));
    }
    let files: Vec<Vec<t2_fit::FormFit>> = fits.iter().map(|f| f.file.fits.clone()).collect();
    columns::to_python(py, &frames::comparison(&files, &names))
}
