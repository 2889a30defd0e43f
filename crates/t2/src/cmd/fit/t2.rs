//! `t2 fit t2`: Chinchilla (k = 1 rows), Approach 1 and Approach 2 fitted concurrently, each bootstrapped by
//! checkpoint, per task and for the macro average, with extrapolation checks on held-out rows.

use std::path::PathBuf;

use super::args::SweepArgs;
use super::FitOutputArgs;
use crate::cmd::{CmdResult, Status};
use crate::input::ReadArgs;

/// Fit the T² forms to a sweep: the Chinchilla baseline L(N, D) on the k = 1 loss, Approach 1
/// L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ on the loss of every row, and Approach 2 (Beta-regression pass@k),
/// concurrently; bootstrap each by checkpoint (all k rows of one (N, D, task) move together). With a task
/// column, each task and the macro average (mean over tasks at each (N, D, k)) are fitted. Forms the rows
/// cannot support are skipped with the reason, before any fit runs. --train-where or --holdout-where fit on
/// part of the rows and report predicted vs observed on the rest (the extrapolation check). Every fit gets a
/// verdict (ok, caution, unreliable) with its reasons. Writes the fit JSON (--out) and prints a summary.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 fit t2 data/example_sweep.csv --bootstrap 100 --seed 0 --out fits/example_t2.json\n  \
    t2 fit t2 data/example_sweep.csv --task qa --bootstrap 0 --out fits/example_qa.json\n  \
    t2 fit t2 data/example_sweep.csv --holdout-where 'origin == \"overtrained\"' --bootstrap 0 \\\n      \
    --out fits/example_extrapolation.json\n  \
    t2 fit t2 ../shared/data/pythia_gsm8k_per_problem.parquet --k 1,2,4,8,16,32,64,128 \\\n      \
    --train-where 'tokens <= 7e10' --forms approach1 --bootstrap 0 --out fits/pythia_t2.json")]
pub struct Args {
    /// Input file: a run table or per-problem results, CSV (optionally .gz or .zst) or Parquet.
    pub input: PathBuf,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Output fit JSON.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    #[command(flatten)]
    pub sweep: SweepArgs,

    #[command(flatten)]
    pub horizon: crate::cmd::budget::HorizonArg,

    #[command(flatten)]
    pub output: FitOutputArgs,
}

pub fn run(args: Args) -> CmdResult {
    let request = args
        .sweep
        .request(t2_pipeline::defaults::RESAMPLES, &args.horizon)?;
    let (file, seconds) = super::ingest_and_fit(&args.input, &args.read, &args.out, &request)?;
    say!(
        "fit: {:.3} s ({} fits, {} bootstrap resamples each)",
        seconds,
        file.fits.len(),
        request.bootstrap.map_or(0, |b| b.resamples())
    );
    file.write(&args.out, &[&args.input])?;
    super::print_fit(&file, args.output.format);
    say!("wrote {}", args.out.display());
    Ok(Status::of(
        args.output.strict,
        file.fits.iter().map(|f| f.trust.verdict),
    ))
}
