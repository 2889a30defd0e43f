//! `t2 compare`: several fits side by side (parameters with intervals) and their frontiers overlaid.

mod table;

use std::path::PathBuf;

use t2_core::Form;
use t2_plot::{format_tick, Colour};

use super::plan::{budgets, plan_fit_file, read_fit_file};
use super::plot::frontier::{self, FrontierLine};
use super::plot::PlotBudgets;
use super::CmdResult;

/// Compare fits, e.g. of different datasets or tasks: print every parameter as "value [lo, hi]" per fit,
/// flag parameters whose intervals do not overlap between two fits, and draw their compute-optimal frontiers
/// on one figure (Approach 1 solid, Approach 2 dashed, one colour per fit).
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 compare fits/example.json fits/example_extrapolation.json\n  \
    t2 compare fits/a.json fits/b.json --markdown --plot plots/comparison   # writes .png and .svg\n  \
    t2 compare fits/a.json fits/b.json --csv > comparison.csv")]
pub struct Args {
    /// Fit files written by `t2 fit` or `t2 run` (two or more).
    #[arg(required = true, num_args = 2..)]
    pub fits: Vec<PathBuf>,

    /// Print the table as CSV.
    #[arg(long, conflicts_with = "markdown")]
    pub csv: bool,

    /// Print the table as Markdown.
    #[arg(long)]
    pub markdown: bool,

    /// Draw the overlaid frontiers to PATH.png and PATH.svg.
    #[arg(long, value_name = "PATH", default_value = "plots/comparison")]
    pub plot: PathBuf,

    #[command(flatten)]
    pub budgets: PlotBudgets,
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
        .map(|p| read_fit_file(p))
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<String> = args.fits.iter().map(|p| short_name(p)).collect();
    let rows = table::rows(&files.iter().map(|f| f.fits.clone()).collect::<Vec<_>>());
    let format = match (args.csv, args.markdown) {
        (true, _) => table::Format::Csv,
        (_, true) => table::Format::Markdown,
        _ => table::Format::Text,
    };
    print!("{}", table::render(&rows, &names, format));
    let disjoint = rows.iter().filter(|r| r.disjoint()).count();
    eprintln!(
        "{disjoint} of {} parameters have intervals that do not overlap between some pair of fits",
        rows.len()
    );

    let b = &args.budgets;
    let train_flops = b.train_flops.values(b.points);
    let budgets = budgets(&train_flops, b.inference_flops)?;
    let plans = files
        .iter()
        .map(|f| plan_fit_file(f, &budgets))
        .collect::<Result<Vec<_>, _>>()?;
    let mut lines: Vec<FrontierLine> = Vec::new();
    for (i, (name, file_plans)) in names.iter().zip(&plans).enumerate() {
        for plan in file_plans.iter().filter(|p| p.form != Form::Chinchilla) {
            lines.push(FrontierLine {
                label: format!("{name}: {}", frontier::form_label(plan)),
                // Blue and red mean Approach 1 and 2 elsewhere: fits take the palette from its third colour.
                colour: Colour::palette(i + 2),
                dashed: plan.form == Form::Approach2,
                shade_band: plan.form == Form::Approach1,
                plan,
            });
        }
    }
    let title = format!(
        "Compute-optimal frontiers compared: {}\nC_inf = {} FLOPs per query · solid: Approach 1 (shaded band) · dashed: Approach 2",
        names.join(", "),
        format_tick(b.inference_flops, false)
    );
    if let Some(dir) = args.plot.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    for path in frontier::figure(&title, &lines, &train_flops, b.inference_flops).render(&args.plot)? {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
