//! `t2 plan`: compute-optimal N*, D*, k* for each fitted form over training budgets, with bootstrap bands and a
//! verdict per budget.

use std::path::PathBuf;

use t2_core::Form;
use t2_pipeline::plan::{output, plan_fit_file};
use t2_pipeline::FitFile;

use super::budget::BudgetArgs;
use super::choice::choice;
use super::{json, print, CmdResult, PrintFormat, Status};

/// Compute-optimal allocation for a fit: for each training budget C_train and the inference budget C_inf per
/// query, the model size N* on the isoFLOP curve (D = C_train/(6N), k = (C_inf/(2N) − P)/T) that minimises the
/// loss (Chinchilla, Approach 1) or maximises pass@k (Approach 2), with percentile bands from the fit's
/// bootstrap draws and a verdict per budget (the fit's, plus extrapolation far past the fitted compute, D* past
/// the public text or deep in repetition, optima on the search bound). The same for a lifetime budget
/// (--queries, --total-flops), limited unique data (--unique-tokens), a target instead of a budget
/// (--target-loss, --target-pass-at-k) and a model that exists (--params, --tokens). The table shows each form
/// at whole decades of the budgets; --full shows every budget with the inference-corrected Chinchilla path and
/// the 20:1 rule. When the budget pays for less than one sample the metric is evaluated at k = 1 and the row is
/// flagged "k<1".
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 plan fits/example_sweep.json\n  \
    t2 plan fits/example_sweep.json --train-flops 1e21,1e23 --inference-flops 2e9 --out plan.csv\n  \
    t2 plan fits/example_sweep.json --train-flops 1e25 --unique-tokens 1e13\n  \
    t2 plan fits/example_sweep.json --queries 1e9 --total-flops 1e23..1e26 --tokens-per-sample 200 --prompt-tokens 500\n  \
    t2 plan fits/example_sweep.json --target-pass-at-k 0.5,0.6 --queries 1e9\n  \
    t2 plan fits/example_sweep.json --params 7e9 --tokens 1.4e12 --target-pass-at-k 0.6\n  \
    t2 plan fits/example_sweep.json --form approach1 --task qa --full --out plan.json")]
pub struct Args {
    /// Fit file written by `t2 fit` or `t2 run`.
    pub fit: PathBuf,

    #[command(flatten)]
    pub budget: BudgetArgs,

    /// Only these forms, comma-separated.
    #[arg(long = "form", value_delimiter = ',', value_name = "FORM,…", value_parser = choice::<Form>())]
    pub forms: Option<Vec<Form>>,

    /// Only this task ("macro" for the macro average).
    #[arg(long)]
    pub task: Option<String>,

    /// Every budget, with D* and the Chinchilla and 20:1 reference points.
    #[arg(long)]
    pub full: bool,

    /// Also write the plan: .csv (one row per form and budget) or .json.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Print the plan as the table (text) or as JSON (every budget, as --out plan.json writes it).
    #[arg(long, value_enum, default_value_t = PrintFormat::Text)]
    pub format: PrintFormat,

    /// Exit with status 1 when a plan is unreliable.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args) -> CmdResult {
    let file = FitFile::read(&args.fit)?.only(args.forms.as_deref(), args.task.as_deref(), &args.fit)?;
    let scenario = args.budget.scenario();
    let plans = plan_fit_file(&file, &scenario.check()?)?;
    if let Some(out) = &args.out {
        output::write(&plans, out, &[&args.fit])?;
    }
    match args.format {
        PrintFormat::Text => print(&output::table(&plans, &scenario, args.full)),
        PrintFormat::Json => print(&json(&plans)),
    }
    if let Some(out) = &args.out {
        say!("wrote {}", out.display());
    }
    Ok(Status::of(args.strict, plans.iter().map(|p| p.worst_verdict())))
}
