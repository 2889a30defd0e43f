//! `t2 compare`: several fits side by side (parameters with intervals) and their frontiers overlaid.

mod table;

use std::path::PathBuf;

use super::plan::{budgets, plan_form, read_fit_file};
use super::plot::frontier;
use super::plot::{task_groups, PlotBudgets};
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
    // Each file's primary task group (its macro average, or its only task).
    let sets = names
        .iter()
        .zip(&files)
        .map(|(name, file)| {
            let primary = task_groups(&file.fits)
                .into_iter()
                .next()
                .map_or(Vec::new(), |g| g.1);
            let plans = primary
                .iter()
                .map(|f| plan_form(f, &budgets))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((name.clone(), plans))
        })
        .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
    let lines = frontier::overlay_lines(&sets);
    let title = format!(
        "Compute-optimal frontiers compared: {}\n{}",
        names.join(", "),
        frontier::overlay_subtitle(b.inference_flops)
    );
    if let Some(dir) = args.plot.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    for path in frontier::figure(&title, &lines, &train_flops, b.inference_flops).render(&args.plot)? {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
