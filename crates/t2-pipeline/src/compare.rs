//! Comparing fits, e.g. of different datasets or tasks: their verdicts and parameters side by side, intervals
//! that do not overlap flagged, and their compute-optimal frontiers on one figure.

use std::path::{Path, PathBuf};

use t2_core::Form;

use crate::error::Error;
use crate::figures::{frontier, task_groups, write_figure, FigureOptions};
use crate::fitfile::FitFile;
use crate::plan::{plan_form, FormPlan};
use crate::tables::compare::{self, Format};

/// The fits of one file to compare: a task's (or the primary task group's: the macro average, or the only
/// task), with the name the comparison shows.
pub struct Compared<'a> {
    /// Column and legend name (the file stem).
    pub name: String,
    /// The fit file.
    pub file: &'a FitFile,
}

/// Which task of each file is compared: `task`, or each file's primary group.
fn fits_of<'a>(file: &'a FitFile, task: Option<&str>) -> Vec<&'a t2_fit::FormFit> {
    match task {
        Some(t) => file
            .fits
            .iter()
            .filter(|f| f.task.as_deref() == Some(t))
            .collect(),
        None => {
            let primary = task_groups(&file.fits).into_iter().next().map(|g| g.0);
            file.fits
                .iter()
                .filter(|f| Some(&f.task) == primary.as_ref())
                .collect()
        }
    }
}

/// The comparison table of `files` (every task, or `task`) in `format`, and how many parameters have intervals
/// that do not overlap between some pair of fits.
pub fn table(files: &[Compared], task: Option<&str>, format: Format) -> (String, usize, usize) {
    let fits: Vec<Vec<t2_fit::FormFit>> = files
        .iter()
        .map(|c| match task {
            Some(_) => fits_of(c.file, task).into_iter().cloned().collect(),
            None => c.file.fits.clone(),
        })
        .collect();
    let (verdicts, rows) = compare::rows(&fits);
    let names: Vec<String> = files.iter().map(|c| c.name.clone()).collect();
    let disjoint = rows.iter().filter(|r| r.disjoint()).count();
    (
        compare::render(&verdicts, &rows, &names, format),
        disjoint,
        rows.len(),
    )
}

/// The frontiers of `files` (each file's `task`, or its primary group) overlaid, written to `stem`.png/.svg.
pub fn overlay_figure(
    files: &[Compared],
    task: Option<&str>,
    stem: &Path,
    options: &FigureOptions,
) -> Result<Vec<PathBuf>, Error> {
    let spec = options.scenario.frontier().check()?;
    let sets = files
        .iter()
        .map(|c| {
            let plans: Vec<FormPlan> = fits_of(c.file, task)
                .into_iter()
                .map(|f| plan_form(f, &spec))
                .collect::<Result<_, _>>()?;
            Ok((c.name.clone(), plans))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let only_chinchilla = sets
        .iter()
        .all(|(_, plans)| plans.iter().all(|p| p.form == Form::Chinchilla));
    let lines = frontier::overlay_lines(&sets, only_chinchilla);
    let names: Vec<&str> = files.iter().map(|c| c.name.as_str()).collect();
    let title = format!(
        "Compute-optimal frontiers compared: {}{}\n{}",
        names.join(", "),
        task.map_or(String::new(), |t| format!(" (task {t})")),
        frontier::overlay_subtitle(&options.scenario)
    );
    let figure = frontier::figure(&title, &lines, &options.scenario);
    write_figure(&figure, stem)
}
