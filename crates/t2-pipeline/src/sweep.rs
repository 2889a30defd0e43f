//! Fitting a sweep: select the rows, split off the held-out ones, group by task, decide which forms each group
//! can support (before any fit runs), fit them all concurrently with their bootstraps, judge each fit, and
//! return the fit file. Every row left out, by a filter, by ingest or because a form cannot use it, is listed
//! with its reason and file rows.

use crate::setting::Setting;
use rayon::prelude::*;
use t2_core::filter::Filter;
use t2_core::rowset::RowSet;
use t2_core::Form;
use t2_fit::trust::{assess, Evidence, Trust};
use t2_fit::{usable_rows, FitError, Fitter, Forecast, FormFit, FormOptions, Resampling, RowsLeftOut, Split};
use t2_ingest::Ingested;

use crate::error::{Error, FitFailure};
use crate::fitfile::{ExcludedRows, FitFile, SkippedForm};
use crate::request::{FitRequest, Grouping, Holdout};
use crate::tables::counted;
use crate::units::{fit_units, FitUnit};
use crate::{floor, forecast, misfit};

/// Progress of a long fit, reported by the library and shown by its caller (a bar, log lines, or nothing).
pub trait Progress: Sync {
    /// A phase of `total` steps begins (e.g. 12,000 bootstrap resamples).
    fn begin(&self, _total: u64, _label: &str) {}
    /// One step is done (called from any thread).
    fn tick(&self) {}
    /// The phase is over.
    fn end(&self) {}
    /// A flag the caller sets to stop the fit (e.g. on Ctrl-C); the fit then ends soon with
    /// [`Error::Cancelled`]. None: the fit cannot be stopped.
    fn cancel(&self) -> Option<&std::sync::atomic::AtomicBool> {
        None
    }
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {}

/// One form to fit on one unit, decided before any fit runs.
struct Job {
    unit: usize,
    fitter: Fitter,
    train: Vec<usize>,
    heldout: Vec<usize>,
    left_out: Vec<(t2_fit::Unusable, Vec<usize>)>,
}

/// Fits the sweep `ingested` as `request` asks; `command` is the command line recorded in the file. A sweep
/// with a `unique_tokens` column is fitted on the data-constrained D′ ([`crate::repetition`]).
pub fn fit_sweep(
    ingested: &Ingested,
    request: &FitRequest,
    command: Vec<String>,
    progress: &dyn Progress,
) -> Result<FitFile, Error> {
    request.check()?;
    let objective = |sweep: &Ingested| {
        let file = fit_prepared(sweep, &profile_request(request), Vec::new(), &Silent)?;
        Ok(file.fits.iter().map(|f| f.objective.value).sum())
    };
    match crate::repetition::prepare(ingested, request.repetition, objective)? {
        Some((effective, repetition)) => {
            let file = fit_prepared(&effective, request, command, progress)?;
            Ok(file.with_repetition(repetition))
        }
        None => fit_prepared(ingested, request, command, progress),
    }
}

/// The request of one point of R*_D's profile: the Chinchilla law alone, no bootstrap, no forecast check.
fn profile_request(request: &FitRequest) -> FitRequest {
    FitRequest {
        forms: Some(vec![t2_core::Form::Chinchilla]),
        bootstrap: None,
        // The default forecast check leaves the reported fit on every row: the profile needs none of it. A
        // user's own holdout keeps its rows out of the profile too.
        holdout: match &request.holdout {
            Holdout::MostOvertrained { .. } => Holdout::None,
            other => other.clone(),
        },
        ..request.clone()
    }
}

/// [`fit_sweep`] on a sweep whose tokens are what the laws see.
fn fit_prepared(
    ingested: &Ingested,
    request: &FitRequest,
    command: Vec<String>,
    progress: &dyn Progress,
) -> Result<FitFile, Error> {
    let table = &ingested.table;
    let path = ingested.report.path.clone();
    // A misnamed --cluster column fails here, before any fit runs.
    request.cluster.unit_ids(table)?;
    let mut excluded = Vec::new();
    let rows = selected_rows(ingested, request, &mut excluded)?;
    let (heldout, heldout_note) = heldout_rows(ingested, &rows, &request.holdout)?;
    let units = fit_units(table, &rows, &heldout, request.grouping);
    for unit in units.iter().filter(|u| !u.unmatched.is_empty()) {
        excluded.push(ExcludedRows {
            reason: "macro average: their (N, D, k) is missing from some task".into(),
            scope: Some("macro".into()),
            rows: ingested.file_rows(&unit.unmatched),
        });
    }
    let options = form_options(request);
    let (jobs, skipped) = plan_jobs(ingested, request, &units, &options)?;
    for job in &jobs {
        let unit = &units[job.unit];
        for (reason, rows) in &job.left_out {
            excluded.push(ExcludedRows {
                reason: format!("not usable by this form: {}", reason.describe()),
                scope: Some(job.fitter.form().scope(unit.task.as_deref())),
                rows: ingested.file_rows(&unit.source_rows(rows)),
            });
        }
    }
    let resamples = request.bootstrap.map_or(0, |b| b.resamples());
    progress.begin((jobs.len() * resamples) as u64, "bootstrap resamples");
    let tick = || progress.tick();
    let results: Vec<Result<FormFit, Error>> = jobs
        .par_iter()
        .map(|job| fit_job(ingested, request, &units, job, &tick, progress.cancel()))
        .collect();
    progress.end();
    if progress
        .cancel()
        .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    {
        return Err(Error::Cancelled);
    }
    let mut fits = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    let forecasts = forecast_check(
        ingested,
        request,
        &rows,
        &units,
        &jobs,
        &fits,
        heldout_note.as_ref(),
    )?;
    let floors = floor::checkpoint_floors(ingested);
    for ((fit, job), forecast) in fits.iter_mut().zip(&jobs).zip(forecasts) {
        fit.floor = floor::compare(&floors, fit);
        fit.forecast = forecast;
        fit.misfit = misfit::size_misfit(fit, &units[job.unit]);
        let evidence = Evidence {
            floor: fit.floor,
            loss_floor: loss_floor(fit),
        };
        let identification = Trust::from_reasons(crate::plan::identification(fit));
        fit.trust = assess(fit, &evidence).and(&identification);
        if !request.keep_draws {
            if let Some(b) = fit.bootstrap.as_mut() {
                b.draws.clear();
            }
        }
    }
    if fits.is_empty() {
        return Err(nothing_fitted(&path, &skipped));
    }
    let rows_used = rows.iter().filter(|&&i| !heldout[i]).count();
    let notes = pooled_notes(ingested, request, &rows);
    Ok(FitFile::new(
        ingested,
        command,
        rows_used,
        excluded,
        heldout_note,
        request.clone(),
        skipped,
        fits,
        floors,
    )
    .with_notes(notes))
}

/// The forecast of every fit (in `jobs` order): from its own held-out rows under an explicit holdout; under
/// the default, from a fit of the same form without the most overtrained checkpoints of each size (no
/// bootstrap), whose forecast of them is measured beside the baselines; None where nothing was held out or the
/// smaller set cannot identify the form.
fn forecast_check(
    ingested: &Ingested,
    request: &FitRequest,
    rows: &[usize],
    units: &[FitUnit],
    jobs: &[Job],
    fits: &[FormFit],
    heldout_note: Option<&ExcludedRows>,
) -> Result<Vec<Option<Forecast>>, Error> {
    let share = match (&request.holdout, heldout_note) {
        (Holdout::None, _) => return Ok(vec![None; fits.len()]),
        (Holdout::MostOvertrained { share }, _) => *share,
        (_, note) => {
            let protocol = note.map_or("held out by the request".to_string(), |n| n.reason.clone());
            return Ok(fits
                .iter()
                .zip(jobs)
                .map(|(fit, job)| forecast::forecast(fit, &units[job.unit], &protocol, false))
                .collect());
        }
    };
    let table = &ingested.table;
    let mask = forecast::most_overtrained(table, rows, share);
    let held: Vec<usize> = rows.iter().copied().filter(|&i| mask[i]).collect();
    if held.is_empty() {
        return Ok(vec![None; fits.len()]);
    }
    let ratio = |i: &usize| table.tokens[*i] / table.params[*i];
    let lowest = held.iter().map(ratio).fold(f64::INFINITY, f64::min);
    let highest = held.iter().map(ratio).fold(0.0, f64::max);
    let protocol = format!(
        "the most overtrained {:.0}% of each size's checkpoints (D/N {} to {}), forecast by a fit without them",
        100.0 * share,
        crate::tables::sig3(lowest),
        crate::tables::sig3(highest)
    );
    let split_units = fit_units(table, rows, &mask, request.grouping);
    let no_bootstrap = FitRequest {
        bootstrap: None,
        ..request.clone()
    };
    let forecasts = jobs
        .par_iter()
        .map(|job| {
            let unit = &split_units[job.unit];
            let usable: Vec<usize> = job.train.iter().chain(&job.heldout).copied().collect();
            let (heldout, train): (Vec<usize>, Vec<usize>) = usable.iter().partition(|&&i| unit.heldout[i]);
            if heldout.is_empty() || job.fitter.check(&unit.table, &train).is_err() {
                return Ok(None);
            }
            let split_job = Job {
                unit: job.unit,
                fitter: job.fitter.clone(),
                train,
                heldout,
                left_out: Vec::new(),
            };
            let fit = fit_job(ingested, &no_bootstrap, &split_units, &split_job, &|| {}, None)?;
            Ok(forecast::forecast(&fit, unit, &protocol, true))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(forecasts)
}

/// Warnings about a pooled fit: one law fitted to several tasks, or a single-pass law to several k.
fn pooled_notes(ingested: &Ingested, request: &FitRequest, rows: &[usize]) -> Vec<String> {
    if request.grouping != Grouping::Pooled {
        return Vec::new();
    }
    let table = &ingested.table;
    let distinct = |key: &dyn Fn(usize) -> String| {
        rows.iter()
            .map(|&i| key(i))
            .collect::<std::collections::HashSet<_>>()
            .len()
    };
    let mut notes = Vec::new();
    if !request.chinchilla_single_pass && distinct(&|i| table.k[i].to_string()) > 1 {
        notes.push(
            "the rows fitted have several k values; the Chinchilla law ignores k (try --where 'k == 1')"
                .into(),
        );
    }
    if distinct(&|i| table.task_of(i).to_string()) > 1 {
        notes.push("the rows fitted belong to several tasks; one law is fitted to all of them".into());
    }
    notes
}

/// The floor E of the loss forms, for the check that the data lie above it.
fn loss_floor(fit: &FormFit) -> Option<f64> {
    match fit.params {
        t2_core::ModelParams::Chinchilla(p) => Some(p.e),
        t2_core::ModelParams::Approach1(p) => Some(p.e),
        t2_core::ModelParams::Approach2(_) | t2_core::ModelParams::Chained(_) => None,
    }
}

fn nothing_fitted(path: &std::path::Path, skipped: &[SkippedForm]) -> Error {
    let reasons: Vec<String> = skipped
        .iter()
        .map(|s| format!("{}: {}", s.scope, s.reason))
        .collect();
    Error::Request(format!(
        "{}: no form can be fitted to these rows ({})",
        path.display(),
        reasons.join("; ")
    ))
}

/// The forms' options from the request.
pub fn form_options(request: &FitRequest) -> FormOptions {
    FormOptions {
        chinchilla: request.chinchilla.clone(),
        chinchilla_budgets: request.chinchilla_budgets.clone(),
        chinchilla_single_pass: request.chinchilla_single_pass,
        approach1: request.approach1,
        approach2: request.approach2.clone(),
    }
}

/// The rows the request selects (filters, then the task), the others recorded in `excluded`.
fn selected_rows(
    ingested: &Ingested,
    request: &FitRequest,
    excluded: &mut Vec<ExcludedRows>,
) -> Result<Vec<usize>, Error> {
    let table = &ingested.table;
    let selected = request.selection.apply(table)?;
    for e in &selected.excluded {
        excluded.push(ExcludedRows {
            reason: e.reason.clone(),
            scope: None,
            rows: ingested.file_rows(&e.rows),
        });
    }
    let mut rows = selected.rows;
    if let Some(task) = &request.task {
        let Some(tasks) = &table.task else {
            return Err(Error::option(
                Setting::Task,
                format!(
                    "{} has no task column to find '{task}' in",
                    ingested.report.path.display()
                ),
            ));
        };
        let (kept, other): (Vec<usize>, Vec<usize>) = rows.iter().partition(|&&i| &tasks[i] == task);
        if kept.is_empty() {
            let mut names: Vec<&str> = tasks.iter().map(String::as_str).collect();
            names.sort_unstable();
            names.dedup();
            return Err(Error::option(
                Setting::Task,
                format!(
                    "no selected row has the task '{task}' (tasks: {})",
                    names.join(", ")
                ),
            ));
        }
        if !other.is_empty() {
            excluded.push(ExcludedRows {
                reason: format!("not task '{task}'"),
                scope: None,
                rows: ingested.file_rows(&other),
            });
        }
        rows = kept;
    }
    Ok(rows)
}

/// Which table rows are held out (by `holdout`, among `rows`), and their record.
fn heldout_rows(
    ingested: &Ingested,
    rows: &[usize],
    holdout: &Holdout,
) -> Result<(Vec<bool>, Option<ExcludedRows>), Error> {
    let table = &ingested.table;
    let mut heldout = vec![false; table.len()];
    let (filter, matching_is_train): (&Filter, bool) = match holdout {
        Holdout::None | Holdout::MostOvertrained { .. } => return Ok((heldout, None)),
        Holdout::TrainWhere(f) => (f, true),
        Holdout::HoldoutWhere(f) => (f, false),
    };
    filter.check(table)?;
    let held: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&i| filter.matches(table, i) != matching_is_train)
        .collect();
    if held.len() == rows.len() {
        let setting = if matching_is_train {
            Setting::TrainWhere
        } else {
            Setting::HoldoutWhere
        };
        return Err(Error::option(
            setting,
            format!("'{filter}' leaves no rows to fit"),
        ));
    }
    held.iter().for_each(|&i| heldout[i] = true);
    let reason = if matching_is_train {
        format!("held out (predicted, not fitted): not matching --train-where '{filter}'")
    } else {
        format!("held out (predicted, not fitted): --holdout-where '{filter}'")
    };
    Ok((
        heldout,
        Some(ExcludedRows {
            reason,
            scope: None,
            rows: ingested.file_rows(&held),
        }),
    ))
}

/// Every (unit, form) to fit, each with its usable train and held-out rows, checked before any fit runs. A form
/// asked for that a unit cannot identify is an error; one not asked for is skipped, with the reason.
fn plan_jobs(
    ingested: &Ingested,
    request: &FitRequest,
    units: &[FitUnit],
    options: &FormOptions,
) -> Result<(Vec<Job>, Vec<SkippedForm>), Error> {
    let forms = request.forms.clone().unwrap_or_else(|| Form::all().to_vec());
    let mut jobs = Vec::new();
    let mut skipped = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for &form in &forms {
            let fitter = Fitter::new(form, options);
            let all: Vec<usize> = (0..unit.table.len()).collect();
            let (usable, left_out) = usable_rows(&all, |row| fitter.unusable(&unit.table, row));
            let (heldout, train): (Vec<usize>, Vec<usize>) = usable.iter().partition(|&&i| unit.heldout[i]);
            match fitter.check(&unit.table, &train) {
                Ok(()) => jobs.push(Job {
                    unit: u,
                    fitter,
                    train,
                    heldout,
                    left_out,
                }),
                Err(error) if request.forms.is_some() => return Err(fit_error(ingested, unit, form, error)),
                Err(error) => skipped.push(SkippedForm {
                    form,
                    task: unit.task.clone(),
                    scope: form.scope(unit.task.as_deref()),
                    reason: skip_reason(&error, &left_out, all.len()),
                }),
            }
        }
    }
    Ok((jobs, skipped))
}

/// Why a form was skipped: the identifiability error, and how many rows it could not use when that is why.
fn skip_reason(error: &FitError, left_out: &[(t2_fit::Unusable, Vec<usize>)], rows: usize) -> String {
    let unusable: usize = left_out.iter().map(|(_, r)| r.len()).sum();
    if unusable == 0 {
        return error.describe();
    }
    let reasons: Vec<String> = left_out
        .iter()
        .map(|(r, rows)| format!("{}: {}", counted(rows.len(), "row"), r.describe()))
        .collect();
    format!(
        "{} ({unusable} of {rows} rows unusable: {})",
        error.describe(),
        reasons.join("; ")
    )
}

/// A form's error with the file rows behind the unit rows it names.
fn fit_error(ingested: &Ingested, unit: &FitUnit, form: Form, error: FitError) -> Error {
    let rows = error
        .row()
        .map_or(RowSet::new(), |r| ingested.file_rows(&unit.source_rows(&[r])));
    Error::Fit(Box::new(FitFailure {
        form,
        task: unit.task.clone(),
        file: ingested.report.path.clone(),
        rows,
        error,
    }))
}

/// Fits one job with its bootstrap and records its task and the rows it could not use.
fn fit_job(
    ingested: &Ingested,
    request: &FitRequest,
    units: &[FitUnit],
    job: &Job,
    tick: &(dyn Fn() + Sync),
    cancel: Option<&std::sync::atomic::AtomicBool>,
) -> Result<FormFit, Error> {
    let unit = &units[job.unit];
    let unit_ids = request.cluster.unit_ids(&unit.table)?;
    let resampling = request.bootstrap.map(|options| Resampling {
        options,
        unit_of_row: &unit_ids,
        unit: request.cluster.name(),
        cancel,
    });
    let split = Split {
        train: &job.train,
        heldout: &job.heldout,
    };
    let mut fit = job
        .fitter
        .fit(&unit.table, split, resampling, tick)
        .map_err(|e| fit_error(ingested, unit, job.fitter.form(), e))?;
    fit.task = unit.task.clone().or(fit.task);
    fit.rows_left_out = job
        .left_out
        .iter()
        .map(|(reason, rows)| RowsLeftOut {
            reason: reason.describe().to_string(),
            count: unit.source_rows(rows).len(),
        })
        .collect();
    Ok(fit)
}
