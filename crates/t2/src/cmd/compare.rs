//! `t2 compare`: several fits side by side (verdicts, parameters with intervals) and their frontiers overlaid.

use std::path::PathBuf;

use t2_pipeline::compare::{overlay_figure, table, Compared};
use t2_pipeline::tables::compare::Format;
use t2_pipeline::FitFile;

use super::budget::BudgetArgs;
use super::{print, CmdResult, Status};

/// Compare fits, e.g. of different datasets or tasks: print each fit's verdict and every parameter as
/// "value [lo, hi]" per fit, flag parameters whose intervals do not overlap between two fits, and draw their
/// compute-optimal frontiers on one figure (one colour per fit; Approach 1 solid, Approach 2 dashed; the
/// Chinchilla fits when the files hold nothing else).
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 compare fits/example_sweep.json fits/example_sweep_extrapolation.json\n  \
    t2 compare fits/example_sweep.json fits/example_sweep_extrapolation.json --task qa --format markdown \\\n      \
    --plot plots/comparison_qa\n  \
    t2 compare fits/example_sweep.json fits/example_sweep_extrapolation.json --format csv > comparison.csv")]
pub struct Args {
    /// Fit files written by `t2 fit` or `t2 run` (two or more).
    #[arg(required = true, num_args = 2..)]
    pub fits: Vec<PathBuf>,

    /// Compare this task of every file [default: every task in the table; each file's macro average, or only
    /// task, in the figure].
    #[arg(long)]
    pub task: Option<String>,

    /// Print the table as text (aligned columns), csv or markdown.
    #[arg(long, default_value = "text", value_name = "text|csv|markdown")]
    pub format: Format,

    /// Draw the overlaid frontiers to PATH.png and PATH.svg.
    #[arg(long, value_name = "PATH", default_value = "plots/comparison")]
    pub plot: PathBuf,

    /// The budgets of the overlaid frontiers.
    #[command(flatten)]
    pub budget: BudgetArgs,
}

/// A fit file's short name for columns and legends: its file stem.
fn short_name(path: &std::path::Path) -> String {
    path.file_stem()
        .map_or(path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

pub fn run(args: Args) -> CmdResult {
    let files = args
        .fits
        .iter()
        .map(|p| FitFile::read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let compared: Vec<Compared> = args
        .fits
        .iter()
        .zip(&files)
        .map(|(p, file)| Compared {
            name: short_name(p),
            file,
        })
        .collect();
    let options = args.budget.figure_options();
    let task = args.task.as_deref();
    let written = overlay_figure(&compared, task, &args.plot, &options)?;
    for path in &written {
        say!("wrote {}", path.display());
    }
    let (text, disjoint, rows) = table(&compared, task, args.format);
    say!("{disjoint} of {rows} parameters have intervals that do not overlap between some pair of fits");
    print(&text);
    Ok(Status::default())
}
