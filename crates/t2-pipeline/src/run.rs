//! The whole job, as `t2 run` does it: ingest the sweep, fit every form it supports, plan over the budgets,
//! draw every figure; and when the sweep marks its overtrained checkpoints (an `origin` column with the value
//! "overtrained"), the extrapolation check of the paper's Figure 4: fit without them and predict them.

use std::path::{Path, PathBuf};

use t2_core::filter::Filter;
use t2_ingest::{IngestOptions, Ingested};

use crate::error::Error;
use crate::figures::{figure_plans, render_all, render_with_plans, FigureOptions};
use crate::fitfile::FitFile;
use crate::plan::{output, FormPlan};
use crate::report::{self, ReportOptions};
use crate::request::{FitRequest, Holdout};
use crate::sweep::{fit_sweep, Progress};

/// The value of an `origin` column that marks the checkpoints the extrapolation check holds out.
pub const OVERTRAINED: &str = "overtrained";

/// What to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The sweep.
    pub input: PathBuf,
    /// How to read it.
    pub ingest: IngestOptions,
    /// What to fit.
    pub request: FitRequest,
    /// The figures and the plan's budgets.
    pub figures: FigureOptions,
    /// Where the fit and plan files go.
    pub fits_dir: PathBuf,
    /// Where the figures go.
    pub plots_dir: PathBuf,
}

/// One fit of the job and what was written from it.
#[derive(Debug, Clone)]
pub struct Written {
    /// The fit file.
    pub fit: FitFile,
    /// Where it was written.
    pub fit_path: PathBuf,
    /// The figures written from it.
    pub figures: Vec<PathBuf>,
}

/// What the job made.
#[derive(Debug, Clone)]
pub struct JobOutput {
    /// What ingest read and left out.
    pub report: t2_ingest::IngestReport,
    /// The fit of every selected row.
    pub main: Written,
    /// Its plans.
    pub plans: Vec<FormPlan>,
    /// The plan files written (CSV and JSON).
    pub plan_paths: Vec<PathBuf>,
    /// The extrapolation check, when the sweep marks overtrained checkpoints.
    pub extrapolation: Option<Written>,
    /// The HTML report (`REPORT.html` beside the fits).
    pub report_path: PathBuf,
}

/// The input file's stem, naming the outputs.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or("fit".into(), |s| s.to_string_lossy().into_owned())
}

/// Whether the sweep marks overtrained checkpoints in an `origin` column.
pub fn has_overtrained_origin(ingested: &Ingested) -> bool {
    ingested
        .table
        .extra
        .iter()
        .any(|c| c.name == "origin" && c.values.iter().any(|v| v == OVERTRAINED))
}

/// Runs the job; `command` is recorded in the fit files, `progress` hears of the bootstrap.
pub fn run_job(job: &Job, command: Vec<String>, progress: &dyn Progress) -> Result<JobOutput, Error> {
    let ingested = t2_ingest::read_runs(&job.input, &job.ingest)?;
    let name = stem(&job.input);
    let inputs = [job.input.as_path()];
    let fit = fit_sweep(&ingested, &job.request, command.clone(), progress)?;
    let fit_path = job.fits_dir.join(format!("{name}.json"));
    fit.write(&fit_path, &inputs)?;
    let plans = figure_plans(&fit, &job.figures)?;
    let figures = render_with_plans(&fit, &plans, &job.plots_dir, &job.figures)?;
    let mut plan_paths = Vec::new();
    for ext in ["csv", "json"] {
        let path = job.fits_dir.join(format!("{name}_plan.{ext}"));
        output::write(&plans, &path, &inputs)?;
        plan_paths.push(path);
    }
    let extrapolation = match (&job.request.holdout, has_overtrained_origin(&ingested)) {
        (Holdout::None | Holdout::MostOvertrained { .. }, true) => {
            let filter = Filter::parse(&format!("origin == \"{OVERTRAINED}\""))?;
            let request = FitRequest {
                holdout: Holdout::HoldoutWhere(filter),
                bootstrap: None,
                ..job.request.clone()
            };
            let fit = fit_sweep(&ingested, &request, command, progress)?;
            let fit_path = job.fits_dir.join(format!("{name}_extrapolation.json"));
            fit.write(&fit_path, &inputs)?;
            let figures = render_all(&fit, &job.plots_dir.join("extrapolation"), &job.figures)?;
            Some(Written {
                fit,
                fit_path,
                figures,
            })
        }
        _ => None,
    };
    let report_path = job.fits_dir.join("REPORT.html");
    let options = ReportOptions {
        figures: job.figures.clone(),
    };
    report::write(&fit, Some(&plans), &options, &report_path, &inputs)?;
    Ok(JobOutput {
        report: ingested.report.clone(),
        main: Written {
            fit,
            fit_path,
            figures,
        },
        plans,
        plan_paths,
        extrapolation,
        report_path,
    })
}
