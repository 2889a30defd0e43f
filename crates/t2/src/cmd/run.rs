//! `t2 run`: the whole job in one command: fit every form the sweep supports with bootstrap, plan, draw every
//! figure, and, when the sweep marks its overtrained checkpoints, the extrapolation check.

use std::path::PathBuf;

use t2_pipeline::run::{run_job, Job};
use t2_pipeline::tables::headline;
use t2_pipeline::tables::summary::summary;

use super::fit::SweepArgs;
use super::plot::FigureArgs;
use super::{print, CmdResult, Status};
use crate::input::ReadArgs;
use crate::progress;
use t2_core::words::counted;
use t2_pipeline::tables::ingest::describe_report;

/// Run the whole job on a sweep: fit Chinchilla, Approach 1 and Approach 2 (every form the rows support) with
/// bootstrap, exactly as `t2 fit t2` with the same options; plan the compute-optimal N*, D*, k* over the
/// training budgets; render every figure. When the sweep has an `origin` column marking "overtrained"
/// checkpoints, also fit without them and predict them (the paper's extrapolation check). Writes
/// FITS_DIR/<name>.json, FITS_DIR/<name>_plan.csv and .json (and <name>_extrapolation.json), the figures into
/// PLOTS_DIR (and PLOTS_DIR/extrapolation), and ends with the headline: N*, D*/N*, k* per form at a few
/// budgets, with bands and verdicts.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 run                                   # the shipped example: data/example_sweep.csv -> fits/, plots/\n  \
    t2 run data/example_sweep.csv --bootstrap 100 --seed 1 --fits-dir out/fits --plots-dir out/plots\n  \
    t2 run ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' --col train_flops='Training FLOP' \\\n      \
    --drop-highest-loss 5 --fits-dir out/fits --plots-dir out/plots")]
pub struct Args {
    /// Sweep to fit (run table or per-problem results, CSV or Parquet).
    #[arg(default_value = "data/example_sweep.csv")]
    pub input: PathBuf,

    #[command(flatten)]
    pub read: ReadArgs,

    #[command(flatten)]
    pub sweep: SweepArgs,

    /// Folder of the fit files (`<input stem>.json` and its sidecars, the extrapolation fit, the plan CSV).
    #[arg(long, value_name = "DIR", default_value = "fits")]
    pub fits_dir: PathBuf,

    /// Folder of the figures (`<input stem>/…png and .svg`).
    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub plots_dir: PathBuf,

    #[command(flatten)]
    pub figures: FigureArgs,

    /// Exit with status 1 when a fit is unreliable.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args) -> CmdResult {
    let job = Job {
        input: args.input.clone(),
        ingest: args.read.options(),
        request: args
            .sweep
            .request(t2_pipeline::defaults::RUN_RESAMPLES, &args.figures.budget.horizon)?,
        figures: args.figures.options(),
        fits_dir: args.fits_dir.clone(),
        plots_dir: args.plots_dir.clone(),
    };
    say!("fitting {} …", args.input.display());
    let started = std::time::Instant::now();
    let out = run_job(&job, std::env::args().collect(), &progress::Stderr::new())?;
    let mut written = vec![out.main.fit_path.clone(), out.report_path.clone()];
    written.extend(out.plan_paths.iter().cloned());
    written.extend(out.main.figures.iter().cloned());
    if let Some(x) = &out.extrapolation {
        written.push(x.fit_path.clone());
        written.extend(x.figures.iter().cloned());
    }
    say!(
        "done in {:.1} s: wrote {} ({}, {} and {}, …)",
        started.elapsed().as_secs_f64(),
        counted(written.len(), "file"),
        out.main.fit_path.display(),
        out.report_path.display(),
        args.plots_dir.display()
    );
    crate::cmd::to_stderr(&describe_report(&out.report, out.main.fit.input.rows));
    let mut text = summary(&out.main.fit);
    if let Some(x) = &out.extrapolation {
        text += &headline::extrapolation(&x.fit);
    }
    text += &headline::headline(&out.plans, &job.figures.scenario);
    print(&text);
    let mut verdicts: Vec<_> = out.main.fit.fits.iter().map(|f| f.trust.verdict).collect();
    verdicts.extend(out.plans.iter().map(|p| p.worst_verdict()));
    Ok(Status::of(args.strict, verdicts))
}
