//! `t2 plot`: every figure for a fit file, as PNG and SVG.

use std::path::PathBuf;

use t2_pipeline::figures::{render_all, FigureKind, FigureOptions};
use t2_pipeline::FitFile;

use super::budget::BudgetArgs;
use super::choice::choice;
use super::{print, CmdResult, Status};

/// Render every figure of a fit: the compute-optimal frontier (N*, D*/N*, k* against C_train, Approach 1 blue,
/// Approach 2 red, Chinchilla black, 20:1 rule, Chinchilla 70B marked, bootstrap bands), isoFLOP profiles
/// (k = 1 beside k = C_inf/(2N)), parity (predicted against observed, held-out rows apart) and the metric
/// against k per checkpoint. Each figure is written as .png and .svg into --out-dir. A fit that is not ok is
/// named in the subtitle; an unreliable one is drawn dashed and faded.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 plot fits/example_sweep.json --out-dir plots/example\n  \
    t2 plot fits/example_sweep.json --out-dir plots/example --only frontier,parity --inference-flops 2e9")]
pub struct Args {
    /// Fit file written by `t2 fit` or `t2 run`.
    pub fit: PathBuf,

    /// Directory for the figures (created if missing).
    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub out_dir: PathBuf,

    #[command(flatten)]
    pub figures: FigureArgs,
}

/// The budgets and choices of the figures.
#[derive(clap::Args, Clone, Debug)]
pub struct FigureArgs {
    /// The frontier's budgets.
    #[command(flatten)]
    pub budget: BudgetArgs,

    /// Inference compute per query C_inf of the isoFLOP profiles (the paper uses 2e9).
    #[arg(long, value_name = "FLOPS", default_value_t = t2_pipeline::defaults::ISOFLOP_INFERENCE_FLOPS)]
    pub isoflop_inference_flops: f64,

    /// Draw only these figures, comma-separated [default: all].
    #[arg(long, value_delimiter = ',', value_name = "FIGURE,…", value_parser = choice::<FigureKind>())]
    pub only: Option<Vec<FigureKind>>,
}

impl FigureArgs {
    pub fn options(&self) -> FigureOptions {
        FigureOptions {
            isoflop_inference_flops: self.isoflop_inference_flops,
            only: self.only.clone().unwrap_or_else(|| FigureKind::all().to_vec()),
            ..self.budget.figure_options()
        }
    }
}

pub fn run(args: Args) -> CmdResult {
    let file = FitFile::read(&args.fit)?;
    let written = render_all(&file, &args.out_dir, &args.figures.options())?;
    let lines: Vec<String> = written
        .iter()
        .map(|p| format!("wrote {}\n", p.display()))
        .collect();
    print(&lines.concat());
    Ok(Status::default())
}
