//! The advice as a figure: the fitted runs and the advised ones in the (N, D) plane, log-log, with isoFLOP lines
//! 6ND = C at every decade they span and the 20:1 line.

use t2_fit::FormFit;
use t2_plot::{Colour, Figure, Marker, Panel, Series};

use super::Advice;

/// The fitted runs of `fit` (distinct (N, D), held-out rows left out).
fn fitted_runs(fit: &FormFit) -> Vec<(f64, f64)> {
    let mut runs: Vec<(f64, f64)> = fit
        .predictions
        .iter()
        .filter(|r| !r.heldout)
        .map(|r| (r.params, r.tokens))
        .collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    runs.dedup();
    runs
}

/// A set of advised runs to draw: its legend, its colour, the runs (N, D).
type RunSet = (String, Colour, Vec<(f64, f64)>);

/// One panel of fitted runs and sets of advised runs (label, colour, runs), with isoFLOP lines and the 20:1
/// line over the runs' span.
fn plane(title: &str, subtitle: &str, fitted: Vec<(f64, f64)>, advised: Vec<RunSet>) -> Figure {
    let all: Vec<(f64, f64)> = fitted
        .iter()
        .chain(advised.iter().flat_map(|a| &a.2))
        .copied()
        .collect();
    let (n_lo, n_hi) = all
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &(n, _)| (a.min(n), b.max(n)));
    let (c_lo, c_hi) = all
        .iter()
        .map(|&(n, d)| 6.0 * n * d)
        .fold((f64::INFINITY, 0.0f64), |(a, b), c| (a.min(c), b.max(c)));
    let (n_lo, n_hi) = (n_lo / 2.0, n_hi * 2.0);
    let mut panel = Panel::new(title, "parameters N", "training tokens D")
        .log_x()
        .log_y();
    let first = c_lo.log10().floor() as i32;
    for e in first..=c_hi.log10().ceil() as i32 {
        let c = 10f64.powi(e);
        let line = Series::dashed(
            "isoFLOP lines 6ND = C (one per decade)",
            Colour::GREY,
            vec![(n_lo, c / (6.0 * n_lo)), (n_hi, c / (6.0 * n_hi))],
        );
        panel = panel.with_series(if e == first { line } else { line.unlabelled() });
    }
    panel = panel
        .with_series(Series::line(
            "20 tokens per parameter",
            Colour::BROWN,
            vec![(n_lo, 20.0 * n_lo), (n_hi, 20.0 * n_hi)],
        ))
        .with_series(Series::points(
            "fitted runs",
            Colour::GREY,
            Marker::Circle,
            true,
            fitted,
        ));
    for (label, colour, runs) in advised {
        panel = panel.with_series(Series::points(&label, colour, Marker::Triangle, true, runs).emphasised());
    }
    Figure::new(&format!("What to train next\n{subtitle}"), vec![panel])
}

fn advised_runs(advice: &Advice) -> Vec<(f64, f64)> {
    advice.picks.iter().map(|p| (p.params, p.tokens)).collect()
}

/// The figure of one fit's advice.
pub fn figure(fit: &FormFit, advice: &Advice) -> Figure {
    let log = advice.quantity.is_log();
    let subtitle = format!(
        "to shrink {} at {}: 1 sd {} now, {} after",
        advice.quantity.name(),
        advice.target,
        super::output::spread(advice.sd_now, log),
        super::output::spread(advice.sd_after, log)
    );
    let label = format!(
        "advised runs ({} FLOPs in all)",
        crate::tables::sig3(advice.spent)
    );
    plane(
        &fit.form.scope(fit.task.as_deref()),
        &subtitle,
        fitted_runs(fit),
        vec![(label, Colour::RED, advised_runs(advice))],
    )
}

/// One figure of several fits' advice (one task group): the fitted runs, and each form's advised runs in its
/// frontier colour.
pub fn figure_of_group(title: &str, advised: &[(&FormFit, Advice)]) -> Figure {
    let fitted = advised.first().map_or_else(Vec::new, |(fit, _)| fitted_runs(fit));
    let sets = advised
        .iter()
        .map(|(fit, advice)| {
            (
                format!("advised for {}", fit.form.label()),
                crate::figures::frontier::form_colour(fit.form),
                advised_runs(advice),
            )
        })
        .collect();
    let target = advised
        .first()
        .map_or(String::new(), |(_, a)| a.target.to_string());
    plane(title, &format!("to shrink N*'s band at {target}"), fitted, sets)
}

/// Writes each advised fit's figure into `dir` as `design_<form>[_<task>].png` and `.svg`; returns the paths.
///
/// # Errors
///
/// A figure that cannot be drawn or written.
pub fn write_all(
    file: &crate::FitFile,
    advised: &[super::output::Advised],
    dir: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>, crate::Error> {
    let mut written = Vec::new();
    for a in advised {
        let (Some(advice), Some(fit)) = (
            &a.advice,
            file.fits.iter().find(|f| f.form == a.form && f.task == a.task),
        ) else {
            continue;
        };
        let stem = match &a.task {
            Some(t) => format!("design_{}_{}", a.form.name(), t2_ingest::files::file_slug(t)),
            None => format!("design_{}", a.form.name()),
        };
        written.extend(crate::figures::write_figure(
            &figure(fit, advice),
            &dir.join(stem),
        )?);
    }
    Ok(written)
}
