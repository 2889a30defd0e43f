//! t2 in a notebook: a fit as a compact HTML summary (its verdicts and the headline plan, no script, nothing
//! fetched), and one figure at a time to show inline.

use t2_plot::Figure;

use crate::error::Error;
use crate::figures::{figures, reuse_or_plan, FigureKind, FigureOptions, Groups};
use crate::fitfile::FitFile;
use crate::html::{escape, table};
use crate::plan::{plan_fit_file, FlopsSpec, Scenario};
use crate::tables::headline::HEADLINE_BUDGETS;

/// The fit as HTML for a notebook: one row per fit (verdict, the three questions, the first reason), then the
/// report's headline table (N*, D*, D*/N* and k* with bands at the headline budgets for the primary task group).
///
/// # Errors
///
/// A plan that cannot be made.
pub fn summary_html(file: &FitFile) -> Result<String, Error> {
    let mut out = String::from("<div class=\"t2-fit\">\n");
    let rows: Vec<Vec<String>> = file
        .fits
        .iter()
        .map(|f| {
            let a = &f.trust.aspects;
            vec![
                escape(&f.form.scope(f.task.as_deref())),
                f.trust.verdict.to_string(),
                a.describes.to_string(),
                a.predicts.to_string(),
                a.identifies.to_string(),
                f.trust
                    .reasons
                    .first()
                    .map_or(String::new(), |r| escape(&r.message)),
            ]
        })
        .collect();
    table(
        &mut out,
        &format!("t2 fit of {}", file.data_name()),
        &[
            "fit",
            "verdict",
            "describes",
            "predicts",
            "identifies",
            "first reason",
        ],
        &rows,
    );
    let scenario = Scenario::per_query(
        FlopsSpec::List(HEADLINE_BUDGETS.to_vec()),
        HEADLINE_BUDGETS.len(),
        crate::defaults::INFERENCE_FLOPS,
    );
    let plans = plan_fit_file(file, &scenario.check()?)?;
    let primary = crate::figures::task_groups(&file.fits)
        .first()
        .and_then(|g| g.0.clone());
    table(
        &mut out,
        &format!("Headline: {}", scenario.describe()),
        &crate::report::headline_header(&scenario),
        &crate::report::headline_table_rows(&plans, primary.as_deref()),
    );
    out.push_str("</div>\n");
    Ok(out)
}

/// One figure of the fit: `kind` for `task` (None: the primary task group), the frontier in `scenario`.
///
/// # Errors
///
/// [`Error::Request`] when the fit has no such figure (e.g. a task it does not have); a figure that cannot be
/// drawn.
pub fn figure(
    file: &FitFile,
    kind: FigureKind,
    scenario: &Scenario,
    task: Option<&str>,
) -> Result<Figure, Error> {
    let chosen = match task {
        Some(t) => file.only(None, Some(t), std::path::Path::new(&file.input.path))?,
        None => file.clone(),
    };
    let options = FigureOptions {
        scenario: scenario.clone(),
        only: vec![kind],
        ..FigureOptions::default()
    };
    let plans = reuse_or_plan(&chosen, &[], &options)?;
    figures(&chosen, &plans, &options, Groups::Primary)?
        .into_iter()
        .find(|f| f.kind == kind && f.primary)
        .map(|f| f.figure)
        .ok_or_else(|| Error::Request(format!("the fit has no {} figure", kind.name())))
}
