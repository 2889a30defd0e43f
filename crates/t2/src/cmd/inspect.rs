//! `t2 inspect`: what a sweep holds, before fitting.

use t2_ingest::summarize;
use t2_pipeline::tables::ingest::{describe_report, describe_summary};

use std::path::PathBuf;

use super::{json, print, CmdResult, PrintFormat, Status};
use crate::input::ReadArgs;

/// Describe a sweep before fitting: rows, checkpoints, tasks, k grid, ranges of N, D, D/N, C = 6ND, loss and
/// pass@k, isoFLOP levels, and warnings about weak designs (one isoFLOP level, k = 1 only, few checkpoints).
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 inspect data/example_sweep.csv\n  \
    t2 inspect ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' --col train_flops='Training FLOP'\n  \
    t2 inspect ../shared/data/pythia_gsm8k_per_problem.parquet --k 1,10,100 --format json")]
pub struct Args {
    /// Input file: a run table or per-problem results, CSV (optionally .gz or .zst) or Parquet.
    pub input: PathBuf,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Print the summary and ingest report as text or JSON.
    #[arg(long, value_enum, default_value_t = PrintFormat::Text)]
    pub format: PrintFormat,
}

pub fn run(args: Args) -> CmdResult {
    let ingested = t2_ingest::read_runs(&args.input, &args.read.options())?;
    let summary = summarize(&ingested.table);
    if args.format == PrintFormat::Json {
        print(&json(
            &serde_json::json!({ "report": ingested.report, "summary": summary }),
        ));
    } else {
        print(&describe_report(&ingested.report, ingested.table.len()));
        print(&describe_summary(&summary));
    }
    Ok(Status::default())
}
