//! `t2 run`: the whole job in one command: fit every form with bootstrap (`t2 fit t2`), plan, and draw every
//! figure.

use std::path::{Path, PathBuf};

use clap::Parser;

use super::fit::FitCommand;
use super::plan::{budgets, plan_fit_file, read_fit_file};
use super::plot::{render_all, PlotBudgets};
use super::CmdResult;

/// Run the whole job on a sweep: fit Chinchilla, Approach 1 and Approach 2 with bootstrap (exactly as
/// `t2 fit t2`), plan the compute-optimal N*, D*, k* over the training budgets, and render every figure.
/// Writes FITS_DIR/<name>.json, FITS_DIR/<name>_plan.csv and .json, and the figures into PLOTS_DIR
/// (<name> is the input file's stem). Arguments after `--` go to `t2 fit t2` (e.g. column mappings).
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 run                                   # the shipped example: data/example_sweep.csv -> fits/, plots/\n  \
    t2 run my_sweep.csv --bootstrap 200 --seed 1 --fits-dir out/fits --plots-dir out/plots\n  \
    t2 run runs.csv -- --col params='Model Size' --holdout-where 'tokens > 1e11'")]
pub struct Args {
    /// Sweep to fit (run table or per-problem results, CSV or Parquet).
    #[arg(default_value = "data/example_sweep.csv")]
    pub input: PathBuf,

    /// Bootstrap resamples per fitted form.
    #[arg(long, default_value_t = 200)]
    pub bootstrap: usize,

    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    #[arg(long, value_name = "DIR", default_value = "fits")]
    pub fits_dir: PathBuf,

    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub plots_dir: PathBuf,

    #[command(flatten)]
    pub budgets: PlotBudgets,

    /// Further options for `t2 fit t2`, after `--`.
    #[arg(last = true, value_name = "FIT_OPTIONS")]
    pub fit_options: Vec<String>,
}

/// `t2 fit …` parsed as the command line would: the same fit, its defaults and its checks.
#[derive(Parser)]
#[command(name = "t2 fit")]
struct FitCli {
    #[command(subcommand)]
    fit: FitCommand,
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or("fit".into(), |s| s.to_string_lossy().into_owned())
}

pub fn run(args: Args) -> CmdResult {
    let name = stem(&args.input);
    let fit_path = args.fits_dir.join(format!("{name}.json"));
    eprintln!("[1/3] fitting {} -> {}", args.input.display(), fit_path.display());
    let mut fit_args: Vec<String> = ["t2 fit", "t2"].map(String::from).to_vec();
    fit_args.push(args.input.display().to_string());
    for (flag, value) in [
        ("--out", fit_path.display().to_string()),
        ("--bootstrap", args.bootstrap.to_string()),
        ("--seed", args.seed.to_string()),
    ] {
        fit_args.extend([flag.to_string(), value]);
    }
    fit_args.extend(args.fit_options.iter().cloned());
    let fit = FitCli::try_parse_from(&fit_args).map_err(|e| format!("fit options: {e}"))?;
    super::fit::run(fit.fit)?;

    let file = read_fit_file(&fit_path)?;
    let b = &args.budgets;
    let train_flops = b.train_flops.values(b.points);
    eprintln!("[2/3] planning over {} training budgets", train_flops.len());
    let plans = plan_fit_file(&file, &budgets(&train_flops, b.inference_flops)?)?;
    for ext in ["csv", "json"] {
        let path = args.fits_dir.join(format!("{name}_plan.{ext}"));
        super::plan::write_plans(&plans, &path)?;
        eprintln!("wrote {}", path.display());
    }
    eprintln!("[3/3] drawing figures into {}", args.plots_dir.display());
    for path in render_all(&file, &args.plots_dir, b)? {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
