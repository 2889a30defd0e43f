//! `t2 fit`: the Chinchilla baseline alone, or all T² forms together.

pub mod args;
mod chinchilla;
mod t2;

pub use args::SweepArgs;

use std::path::Path;

use t2_pipeline::request::FitRequest;
use t2_pipeline::sweep::fit_sweep;
use t2_pipeline::{Error, FitFile};

use super::CmdResult;
use crate::input::ReadArgs;
use crate::progress;
use t2_pipeline::tables::ingest::describe_report;

/// Reads `input` (refusing an `out` that is the input), says what ingest read, and fits it as `request`
/// asks with a progress bar; returns the fit file and the seconds the fit took.
fn ingest_and_fit(
    input: &Path,
    read: &ReadArgs,
    out: &Path,
    request: &FitRequest,
) -> Result<(FitFile, f64), Error> {
    t2_ingest::files::refuse_overwriting_inputs(out, &[input]).map_err(super::bad)?;
    let ingested = t2_ingest::read_runs(input, &read.options())?;
    crate::cmd::to_stderr(&describe_report(&ingested.report, ingested.table.len()));
    let started = std::time::Instant::now();
    let file = fit_sweep(
        &ingested,
        request,
        std::env::args().collect(),
        &progress::Stderr::new(),
    )?;
    Ok((file, started.elapsed().as_secs_f64()))
}

/// How `t2 fit` prints its result and ends.
#[derive(clap::Args)]
pub struct FitOutputArgs {
    /// Print the summary (text) or the whole fit file, draws and predictions inline (JSON).
    #[arg(long, value_enum, default_value_t = super::PrintFormat::Text)]
    pub format: super::PrintFormat,

    /// Exit with status 1 when a fit is unreliable.
    #[arg(long)]
    pub strict: bool,
}

/// Prints `file` as its summary or as the whole fit file in JSON.
fn print_fit(file: &FitFile, format: super::PrintFormat) {
    match format {
        super::PrintFormat::Text => super::print(&t2_pipeline::tables::summary::summary(file)),
        super::PrintFormat::Json => super::print(&file.to_json()),
    }
}

/// Fit scaling laws to a sweep with bootstrap intervals: `t2 fit chinchilla` (the baseline L(N, D), Epoch
/// compatible) or `t2 fit t2` (Chinchilla, Approach 1 and Approach 2 together, per task).
#[derive(clap::Subcommand)]
#[command(after_help = "Examples:\n  \
    t2 fit t2 data/example_sweep.csv --bootstrap 100 --seed 0 --out fits/example_t2.json\n  \
    t2 fit chinchilla ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' \\\n      \
    --col train_flops='Training FLOP' --drop-highest-loss 5 --out fits/epoch.json")]
pub enum FitCommand {
    Chinchilla(chinchilla::Args),
    T2(t2::Args),
}

pub fn run(command: FitCommand) -> CmdResult {
    match command {
        FitCommand::Chinchilla(a) => chinchilla::run(a),
        FitCommand::T2(a) => t2::run(a),
    }
}
