//! `t2 plot`: every figure for a fit file, as PNG and SVG.

pub mod frontier;
pub mod isoflop;
pub mod quality;

use std::path::{Path, PathBuf};

use t2_plot::format_tick;

use t2_fit::FormFit;

use super::plan::{budgets, parse_flops_spec, plan_form, FlopsSpec};
use super::CmdResult;
use crate::fitfile::FitFile;

/// Render every figure of a fit: the compute-optimal frontier (N*, D*/N*, k* against C_train, Approach 1 blue,
/// Approach 2 red, Chinchilla black, 20:1 rule, Chinchilla 70B marked, bootstrap bands), isoFLOP profiles
/// (k = 1 beside k = C_inf/(2N)), parity (predicted against observed, held-out rows apart) and the metric
/// against k per checkpoint. Each figure is written as .png and .svg into --out-dir.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 plot fits/example.json --out-dir plots/\n  \
    t2 plot fits/example.json --out-dir plots/ --inference-flops 2e9 --train-flops 1e18..1e23\n\n\
    Writes frontier, isoflop, parity and metric_vs_k (.png and .svg).")]
pub struct Args {
    /// Fit file written by `t2 fit` or `t2 run`.
    pub fit: PathBuf,

    /// Directory for the figures (created if missing).
    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub out_dir: PathBuf,

    #[command(flatten)]
    pub budgets: PlotBudgets,
}

/// The budgets the figures are drawn for.
#[derive(clap::Args, Clone)]
pub struct PlotBudgets {
    /// Training compute range of the frontier, a log range a..b (or a comma list).
    #[arg(long, value_name = "FLOPS", value_parser = parse_flops_spec, default_value = "1e18..1e25")]
    pub train_flops: FlopsSpec,

    /// Budgets drawn along a --train-flops range.
    #[arg(long, default_value_t = 29)]
    pub points: usize,

    /// Inference compute per query C_inf of the frontier (1.4e11 = one forward pass of a 70B model).
    #[arg(long, value_name = "FLOPS", default_value_t = 1.4e11)]
    pub inference_flops: f64,

    /// Inference compute per query C_inf of the isoFLOP profiles (the paper uses 2e9).
    #[arg(long, value_name = "FLOPS", default_value_t = 2e9)]
    pub isoflop_inference_flops: f64,
}

/// A short name for the data in titles: the input file's name.
pub fn data_name(file: &FitFile) -> String {
    Path::new(&file.input.path)
        .file_name()
        .map_or(file.input.path.clone(), |n| n.to_string_lossy().into_owned())
}

/// What was held out of the fit, from the fit file's exclusion reasons (the part before the row list).
fn heldout_note(file: &FitFile) -> String {
    let reasons: Vec<&str> = file
        .input
        .excluded
        .iter()
        .filter_map(|e| e.reason.split(';').next())
        .map(str::trim)
        .collect();
    if reasons.is_empty() {
        "no rows held out".into()
    } else {
        reasons.join("; ")
    }
}

/// The fits grouped by task, the primary group first: the macro average when there is one, else the fits
/// without a task, else the first task.
pub fn task_groups(fits: &[FormFit]) -> Vec<(Option<String>, Vec<FormFit>)> {
    let mut groups: Vec<(Option<String>, Vec<FormFit>)> = Vec::new();
    for fit in fits {
        match groups.iter_mut().find(|g| g.0 == fit.task) {
            Some(g) => g.1.push(fit.clone()),
            None => groups.push((fit.task.clone(), vec![fit.clone()])),
        }
    }
    if let Some(i) = groups.iter().position(|g| g.0.as_deref() == Some("macro")) {
        let primary = groups.remove(i);
        groups.insert(0, primary);
    }
    groups
}

/// Renders every figure of `file` into `out_dir`: frontier, isoflop, parity and metric_vs_k for the primary
/// task group (see [`task_groups`]), and the same with a `_<task>` suffix for every other task; returns the
/// files written.
pub fn render_all(
    file: &FitFile,
    out_dir: &Path,
    b: &PlotBudgets,
) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(out_dir).map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let train_flops = b.train_flops.values(b.points);
    let budgets = budgets(&train_flops, b.inference_flops)?;
    let mut written = Vec::new();
    let groups = task_groups(&file.fits);
    if groups.len() > 1 {
        let sets = groups
            .iter()
            .map(|(task, fits)| {
                let plans = fits
                    .iter()
                    .map(|f| plan_form(f, &budgets))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((task.clone().unwrap_or_else(|| "all".into()), plans))
            })
            .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
        let title = format!(
            "Compute-optimal frontier per task: {}\n{}",
            data_name(file),
            frontier::overlay_subtitle(b.inference_flops)
        );
        let figure = frontier::figure(
            &title,
            &frontier::overlay_lines(&sets),
            &train_flops,
            b.inference_flops,
        );
        written.extend(figure.render(out_dir.join("frontier_tasks"))?);
    }
    for (i, (task, fits)) in groups.iter().enumerate() {
        let suffix = match (i, task) {
            (0, _) | (_, None) => String::new(),
            (_, Some(t)) => format!("_{t}"),
        };
        let data = match task {
            Some(t) => format!("{}, task {t}", data_name(file)),
            None => data_name(file),
        };
        let plans = fits
            .iter()
            .map(|f| plan_form(f, &budgets))
            .collect::<Result<Vec<_>, _>>()?;
        let frontier_title = format!(
            "Compute-optimal frontier: {data}\nC_inf = {} FLOPs per query · shaded: bootstrap bands · grey dashed: 20:1 rule",
            format_tick(b.inference_flops, false)
        );
        let lines = frontier::lines_of(&plans);
        let figure = frontier::figure(&frontier_title, &lines, &train_flops, b.inference_flops);
        written.extend(figure.render(out_dir.join(format!("frontier{suffix}")))?);
        let isoflop_title = format!(
            "IsoFLOP profiles: {data}\nleft k = 1, right k = C_inf/(2N) with C_inf = {} FLOPs · lines: fit · points: observed",
            format_tick(b.isoflop_inference_flops, false)
        );
        if let Some(fig) = isoflop::figure(&isoflop_title, fits, b.isoflop_inference_flops) {
            written.extend(fig.render(out_dir.join(format!("isoflop{suffix}")))?);
        }
        let parity_title = format!(
            "Fit quality: {data}\npredicted against observed; {}",
            heldout_note(file)
        );
        written.extend(
            quality::parity_figure(&parity_title, fits).render(out_dir.join(format!("parity{suffix}")))?,
        );
        let k_title = format!("Metric against samples k: {data}\nlines: fit · points: observed checkpoints");
        if let Some(fig) = quality::metric_vs_k_figure(&k_title, fits) {
            written.extend(fig.render(out_dir.join(format!("metric_vs_k{suffix}")))?);
        }
    }
    Ok(written)
}

pub fn run(args: Args) -> CmdResult {
    let file = super::plan::read_fit_file(&args.fit)?;
    for path in render_all(&file, &args.out_dir, &args.budgets)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
pub mod tests;
