//! The scaling-law figures of a fit file: the compute-optimal frontier, isoFLOP profiles, parity and the
//! metric against k, per task, as PNG and SVG (written atomically). A fit that is not `ok` is named in the
//! subtitle; an `unreliable` one is drawn dashed and faded, and its legend says so.

pub mod frontier;
pub mod isoflop;
pub mod quality;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use t2_fit::{FormFit, Verdict};
use t2_plot::{format_tick, Figure};

use crate::error::Error;
use crate::fitfile::FitFile;
use crate::plan::{plan_fit_file, FormPlan, Scenario};
use crate::tables::counted;

t2_core::vocabulary! {
    /// The figures t2 draws; the name is the file stem ("metric_vs_k"; "metric-vs-k" on the command line).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FigureKind as "figure" {
        /// N*, D*/N* and k* against C_train.
        Frontier => "frontier",
        /// The metric against N at each compute level.
        Isoflop => "isoflop",
        /// Predicted against observed.
        Parity => "parity",
        /// The metric against k per checkpoint.
        MetricVsK => "metric_vs_k",
    }
}

/// The budgets and choices the figures are drawn with.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureOptions {
    /// The frontier's budgets and deployment (its targets and model, if any, are not drawn:
    /// [`Scenario::frontier`]).
    pub scenario: Scenario,
    /// C_inf of the isoFLOP profiles (the paper uses 2e9).
    pub isoflop_inference_flops: f64,
    /// The figures to draw.
    pub only: Vec<FigureKind>,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            scenario: Scenario::default(),
            isoflop_inference_flops: crate::defaults::ISOFLOP_INFERENCE_FLOPS,
            only: FigureKind::all().to_vec(),
        }
    }
}

/// Writes `figure` as `<stem>.png` and `<stem>.svg` (atomically), returning both paths.
pub fn write_figure(figure: &Figure, stem: &Path) -> Result<Vec<PathBuf>, Error> {
    let png = stem.with_extension("png");
    let svg = stem.with_extension("svg");
    let png_bytes = figure.png_bytes()?;
    let svg_text = figure.svg_string()?;
    t2_ingest::files::write_bytes(&png, &png_bytes).map_err(|e| Error::write(&png, e))?;
    t2_ingest::files::write_bytes(&svg, svg_text.as_bytes()).map_err(|e| Error::write(&svg, e))?;
    Ok(vec![png, svg])
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

/// A subtitle line naming the fits that are not `ok` and which question failed ("not ok: Approach 1 unreliable
/// (describes), Chinchilla caution (predicts)"), or None when all are.
pub fn verdict_note(fits: &[FormFit]) -> Option<String> {
    let flagged: Vec<String> = fits
        .iter()
        .filter(|f| f.trust.verdict != Verdict::Ok)
        .map(|f| {
            let failed: Vec<&str> = t2_fit::trust::Aspect::ALL
                .iter()
                .filter(|&&a| f.trust.aspects.get(a) == f.trust.verdict)
                .map(|a| a.name())
                .collect();
            match failed.is_empty() {
                // A file written before the verdict had its three questions.
                true => format!("{} {}", f.form.label(), f.trust.verdict),
                false => format!("{} {} ({})", f.form.label(), f.trust.verdict, failed.join(", ")),
            }
        })
        .collect();
    (!flagged.is_empty()).then(|| format!("not ok: {} (see the fit's verdict)", flagged.join(", ")))
}

/// The title with its subtitle lines and, when some fit is not ok, the verdict line.
fn titled(lines: &[String], fits: &[FormFit]) -> String {
    let mut all: Vec<String> = lines.to_vec();
    all.extend(verdict_note(fits));
    all.join("\n")
}

/// A figure with its file stem ("frontier", "isoflop_qa", …), its kind, and its task group (None for the
/// per-task overlay).
pub struct NamedFigure {
    /// The file stem ("frontier", "isoflop_qa", …).
    pub stem: String,
    /// What it shows.
    pub kind: FigureKind,
    /// Whether it belongs to the primary task group (see [`task_groups`]).
    pub primary: bool,
    /// The figure.
    pub figure: Figure,
}

/// The plans the figures draw: every fit of `file` planned over the options' budgets, in the file's order.
/// The frontier's bands are the costly part of the figures (an optimisation per bootstrap draw and budget), so
/// a caller that also writes the plan or a report computes these once and hands them to all three.
pub fn figure_plans(file: &FitFile, options: &FigureOptions) -> Result<Vec<FormPlan>, Error> {
    plan_fit_file(file, &options.scenario.frontier().check()?)
}

/// Whether `plans` are the figures' plans of `file`: one per fit, in the file's order, each over the options'
/// budgets.
pub fn are_figure_plans(file: &FitFile, plans: &[FormPlan], options: &FigureOptions) -> bool {
    let Ok(spec) = options.scenario.frontier().check() else {
        return false;
    };
    let budgets = spec.budgets();
    plans.len() == file.fits.len()
        && plans.iter().zip(&file.fits).all(|(plan, fit)| {
            plan.form == fit.form
                && plan.task == fit.task
                && plan.rows.len() == budgets.len()
                && plan.rows.iter().zip(budgets).all(|(row, b)| row.budget == *b)
        })
}

/// The plans the figures of `file` need: none when no frontier is drawn; `plans` when they are the figures'
/// plans ([`are_figure_plans`]: `t2 run` plans over the figures' budgets); else the figures' plans computed.
pub fn reuse_or_plan<'a>(
    file: &FitFile,
    plans: &'a [FormPlan],
    options: &FigureOptions,
) -> Result<Cow<'a, [FormPlan]>, Error> {
    if !options.only.contains(&FigureKind::Frontier) {
        Ok(Cow::Borrowed(&[]))
    } else if are_figure_plans(file, plans, options) {
        Ok(Cow::Borrowed(plans))
    } else {
        Ok(Cow::Owned(figure_plans(file, options)?))
    }
}

/// Which task groups (see [`task_groups`]) get figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Groups {
    /// Every task group, and the per-task frontier overlay when there are several.
    All,
    /// The primary group only (what the report shows).
    Primary,
}

/// Renders the figures of `file` into `out_dir` (see [`figures`]), planning the frontier when it is drawn;
/// returns the files written, in drawing order.
///
/// # Errors
///
/// [`Error::Plan`] when the frontier cannot be planned, [`Error::Plot`] or a write error when a figure cannot be
/// drawn or written (an output that is a folder, or inside a file, is refused).
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use t2_core::Form;
/// use t2_pipeline::figures::{render_all, FigureKind, FigureOptions};
/// use t2_pipeline::sweep::{fit_sweep, Silent};
/// use t2_pipeline::FitRequest;
///
/// let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/example_sweep.csv"));
/// let sweep = t2_ingest::read_runs(path, &Default::default()).unwrap();
/// let request = FitRequest { forms: Some(vec![Form::Chinchilla]), bootstrap: None, ..FitRequest::sweep() };
/// let file = fit_sweep(&sweep, &request, vec!["doc".into()], &Silent).unwrap();
/// let out = tempfile::tempdir().unwrap();
/// let options = FigureOptions { only: vec![FigureKind::Parity], ..FigureOptions::default() };
/// let written = render_all(&file, out.path(), &options).unwrap();
/// assert!(written.iter().any(|p| p.extension().is_some_and(|e| e == "png")));
/// ```
pub fn render_all(file: &FitFile, out_dir: &Path, options: &FigureOptions) -> Result<Vec<PathBuf>, Error> {
    render_with_plans(file, &reuse_or_plan(file, &[], options)?, out_dir, options)
}

/// Renders the figures of `file` into `out_dir` with the frontier's `plans` already made ([`figure_plans`];
/// unused when no frontier is drawn), encoding them in parallel; returns the files written, in drawing order.
pub fn render_with_plans(
    file: &FitFile,
    plans: &[FormPlan],
    out_dir: &Path,
    options: &FigureOptions,
) -> Result<Vec<PathBuf>, Error> {
    let named = figures(file, plans, options, Groups::All)?;
    let written = named
        .par_iter()
        .map(|n| write_figure(&n.figure, &out_dir.join(&n.stem)))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(written.into_iter().flatten().collect())
}

/// The plans of one task group, in the file's order.
fn plans_of(plans: &[FormPlan], task: &Option<String>) -> Vec<FormPlan> {
    plans.iter().filter(|p| p.task == *task).cloned().collect()
}

/// The figures of `file`: frontier, isoflop, parity and metric_vs_k for the primary task group (see
/// [`task_groups`]) and, with [`Groups::All`], with a `_<task>` suffix for every other task and the per-task
/// frontier overlay (`frontier_tasks`) when there are several tasks. `plans` are the file's plans over the
/// options' budgets ([`figure_plans`]), used only when a frontier is drawn.
pub fn figures(
    file: &FitFile,
    plans: &[FormPlan],
    options: &FigureOptions,
    which: Groups,
) -> Result<Vec<NamedFigure>, Error> {
    let wants = |kind: FigureKind| options.only.contains(&kind);
    if wants(FigureKind::Frontier) && !are_figure_plans(file, plans, options) {
        return Err(Error::Request(format!(
            "figures need the plans of the file's {} over the figures' budgets (see figure_plans)",
            counted(file.fits.len(), "fit")
        )));
    }
    let scenario = &options.scenario;
    let mut written = Vec::new();
    let mut groups = task_groups(&file.fits);
    if which == Groups::Primary {
        groups.truncate(1);
    }
    let data_name = file.data_name();
    if groups.len() > 1 && wants(FigureKind::Frontier) {
        let sets: Vec<(String, Vec<FormPlan>)> = groups
            .iter()
            .map(|(task, _)| {
                (
                    task.clone().unwrap_or_else(|| "all".into()),
                    plans_of(plans, task),
                )
            })
            .collect();
        let title = titled(
            &[
                format!("Compute-optimal frontier per task: {data_name}"),
                frontier::overlay_subtitle(scenario),
            ],
            &file.fits,
        );
        let figure = frontier::figure(&title, &frontier::overlay_lines(&sets, false), scenario);
        written.push(NamedFigure {
            stem: "frontier_tasks".into(),
            kind: FigureKind::Frontier,
            primary: false,
            figure,
        });
    }
    for (i, (task, fits)) in groups.iter().enumerate() {
        let suffix = match (i, task) {
            (0, _) | (_, None) => String::new(),
            (_, Some(t)) => format!("_{}", t2_ingest::files::file_slug(t)),
        };
        let data = match task {
            Some(t) => format!("{data_name}, task {t}"),
            None => data_name.clone(),
        };
        let mut add = |kind: FigureKind, figure: Figure| {
            written.push(NamedFigure {
                stem: format!("{}{suffix}", kind.name()),
                kind,
                primary: i == 0,
                figure,
            })
        };
        // Exhaustive: a new figure kind must say here how it is drawn (declaration order is drawing order).
        for &kind in FigureKind::all().iter().filter(|&&k| wants(k)) {
            let figure = match kind {
                FigureKind::Frontier => {
                    let plans = plans_of(plans, task);
                    let title = titled(
                        &[
                            format!("Compute-optimal frontier: {data}"),
                            format!(
                                "{} · shaded: bootstrap bands · grey dashed: 20:1 rule",
                                scenario.describe_with(|v| format_tick(v, false))
                            ),
                        ],
                        fits,
                    );
                    Some(frontier::figure(&title, &frontier::lines_of(&plans), scenario))
                }
                FigureKind::Isoflop => {
                    let title = [
                        format!("IsoFLOP profiles: {data}"),
                        format!(
                            "left k = 1, right k = C_inf/(2N) with C_inf = {} FLOPs · lines: fit · points: observed",
                            format_tick(options.isoflop_inference_flops, false)
                        ),
                    ];
                    isoflop::figure(&titled(&title, fits), fits, options.isoflop_inference_flops)
                }
                FigureKind::Parity => {
                    let title = [
                        format!("Fit quality: {data}"),
                        format!("predicted against observed; {}", heldout_note(file)),
                    ];
                    Some(quality::parity_figure(&titled(&title, fits), fits))
                }
                FigureKind::MetricVsK => {
                    let title = [
                        format!("Metric against samples k: {data}"),
                        "lines: fit · points: observed checkpoints".to_string(),
                    ];
                    quality::metric_vs_k_figure(&titled(&title, fits), fits, &file.floors)
                }
            };
            if let Some(figure) = figure {
                add(kind, figure);
            }
        }
    }
    Ok(written)
}

/// What was held out of the fit, in a few words.
fn heldout_note(file: &FitFile) -> String {
    match &file.input.heldout {
        Some(h) => format!("{} held out", counted(h.rows.len(), "row")),
        None => "no rows held out".into(),
    }
}

#[cfg(test)]
mod tests;
