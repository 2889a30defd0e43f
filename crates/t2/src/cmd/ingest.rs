//! `t2 ingest`: read and validate a sweep, write the normalised run table.

use std::path::PathBuf;

use t2_ingest::Format;

use super::CmdResult;
use crate::input::{describe_report, InputArgs};

/// Read a sweep (run table or per-problem results), validate it and write the normalised run table
/// (params, tokens, k, loss, pass_at_k, task, weight, extras). Dropped rows and warnings are printed.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 ingest ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' \\\n      \
    --col train_flops='Training FLOP' --out epoch_runs.csv\n  \
    t2 ingest ../shared/data/pythia_gsm8k_per_problem.parquet --k 1,10,100 --out pythia_runs.parquet\n  \
    t2 ingest sweep.csv --out runs.csv --json   # the report as JSON")]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output run table, .csv or .parquet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Output format [default: from the --out extension].
    #[arg(long, value_name = "csv|parquet")]
    pub out_format: Option<Format>,

    /// Print the ingest report as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> CmdResult {
    let ingested = args.input.load()?;
    t2_ingest::write_runs(&ingested.table, &args.out, args.out_format)?;
    if args.json {
        let value = serde_json::json!({
            "report": ingested.report,
            "rows_written": ingested.table.len(),
            "out": args.out,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", describe_report(&ingested.report, ingested.table.len()));
        println!("wrote {} rows to {}", ingested.table.len(), args.out.display());
    }
    Ok(())
}
