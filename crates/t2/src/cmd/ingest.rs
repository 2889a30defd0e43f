//! `t2 ingest`: read and validate a sweep, write the normalised run table.

use std::path::PathBuf;

use t2_ingest::Format;

use super::{bad, json, print, CmdResult, PrintFormat, Status};
use crate::input::ReadArgs;
use t2_core::words::counted;
use t2_pipeline::tables::ingest::describe_report;

/// Read a sweep (run table or per-problem results), validate it and write the normalised run table
/// (params, tokens, k, loss, pass_at_k, task, weight, extras). Dropped rows and warnings are printed.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 ingest ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' \\\n      \
    --col train_flops='Training FLOP' --out epoch_runs.csv\n  \
    t2 ingest ../shared/data/pythia_gsm8k_per_problem.parquet --k 1,10,100 --out pythia_runs.parquet\n  \
    t2 ingest data/example_problems.csv --out example_runs.csv --format json   # the report as JSON\n  \
    t2 ingest data/lm_eval_example/index.csv --from lm-eval --lm-eval-filter strict-match --out lm_eval_runs.csv")]
pub struct Args {
    /// Input file: a run table, per-problem results or a raw log, CSV or JSON Lines (either optionally .gz or
    /// .zst) or Parquet; with --from, an index of an evaluation harness's logs.
    pub input: PathBuf,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Output run table, .csv or .parquet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Output format [default: from the --out extension].
    #[arg(long, value_name = "csv|parquet")]
    pub out_format: Option<Format>,

    /// Print the ingest report as text or JSON.
    #[arg(long, value_enum, default_value_t = PrintFormat::Text)]
    pub format: PrintFormat,
}

pub fn run(args: Args) -> CmdResult {
    t2_ingest::files::refuse_overwriting_inputs(&args.out, &[&args.input]).map_err(bad)?;
    let format = match args.out_format {
        Some(f) => f,
        None => Format::from_extension(&args.out).ok_or_else(|| {
            bad(format!(
                "--out {}: cannot tell the format from the extension (.csv or .parquet); give --out-format",
                args.out.display()
            ))
        })?,
    };
    let ingested = t2_ingest::read_runs(&args.input, &args.read.options())?;
    t2_ingest::write_runs(&ingested.table, &args.out, Some(format))?;
    if args.format == PrintFormat::Json {
        print(&json(&serde_json::json!({
            "report": ingested.report,
            "rows_written": ingested.table.len(),
            "out": args.out,
        })));
    } else {
        print(&describe_report(&ingested.report, ingested.table.len()));
        print(&format!(
            "wrote {} to {}\n",
            counted(ingested.table.len(), "row"),
            args.out.display()
        ));
    }
    Ok(Status::default())
}
