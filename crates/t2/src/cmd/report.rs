//! `t2 report`: the one-page HTML report of a fit file.

use std::path::PathBuf;

use t2_pipeline::plan::FormPlan;
use t2_pipeline::report::{self, ReportOptions};
use t2_pipeline::FitFile;

use super::budget::BudgetArgs;
use super::{bad, CmdResult, Status};

/// Write a self-contained HTML report of a fit (figures inline as SVG, no script, nothing fetched): the headline
/// N*, D*/N* and k* with their bands and verdicts, what was fitted and left out, every form's verdict, reasons
/// and estimates, the figures, the plan at decade budgets and how it was made. `t2 run` writes one as
/// REPORT.html beside its fits. Without --plan the plan is made here, by default over 1e17..1e25 FLOPs at
/// C_inf = 1.4e11, or in the scenario the budget flags give (as `t2 plan`'s); with --plan, the budget flags
/// describe that plan in the headline and the frontier, so a C_inf, Q or data limit other than the plan's is an
/// error.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 report fits/example_sweep.json --out fits/REPORT.html\n  \
    t2 report fits/example_sweep.json --unique-tokens 1e13 --out report.html\n  \
    t2 report fits/example_sweep.json --plan fits/example_sweep_plan.json --out report.html")]
pub struct Args {
    /// Fit file written by `t2 fit` or `t2 run`.
    pub fit: PathBuf,

    /// A plan written by `t2 plan --out PLAN.json` or `t2 run` (default: planned here).
    #[arg(long, value_name = "PLAN.json")]
    pub plan: Option<PathBuf>,

    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    #[command(flatten)]
    pub budget: BudgetArgs,
}

pub fn run(args: Args) -> CmdResult {
    let file = FitFile::read(&args.fit)?;
    let plans: Option<Vec<FormPlan>> = match &args.plan {
        Some(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| bad(format!("{}: cannot read: {e}", path.display())))?;
            t2_ingest::files::note_read(path);
            Some(serde_json::from_slice(&bytes).map_err(|e| {
                bad(format!(
                    "{}: not a plan written by t2 plan --out …json: {e}",
                    path.display()
                ))
            })?)
        }
        None => None,
    };
    let options = ReportOptions {
        figures: args.budget.figure_options(),
    };
    let mut inputs = vec![args.fit.as_path()];
    inputs.extend(args.plan.as_deref());
    report::write(&file, plans.as_deref(), &options, &args.out, &inputs)?;
    say!("wrote {}", args.out.display());
    Ok(Status::default())
}
