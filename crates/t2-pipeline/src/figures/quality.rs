//! Figure 3: fit quality. Predicted against observed (parity) per form, train and held-out rows apart with
//! their mean relative errors in the legend; and the metric against k per checkpoint with the fitted curves.

use t2_core::plan::{metric_at, Metric};
use t2_core::Form;
use t2_fit::{FormFit, Prediction};
use t2_plot::{format_tick, Colour, Figure, LegendPlacement, Marker, Panel, Series};

use super::frontier::form_colour;
use crate::floor::CheckpointFloor;
use crate::plan::log_spaced;

/// Checkpoints shown in the metric-against-k panels.
const MAX_CHECKPOINTS: usize = 6;

fn target_label(fit: &FormFit) -> &'static str {
    match fit.target {
        Metric::PassAtK => "pass@k",
        Metric::Loss => "loss (nats)",
    }
}

/// Mean relative absolute error |predicted − observed| / |observed| over the rows (None when there are none).
pub fn mean_relative_error(rows: &[&Prediction]) -> Option<f64> {
    let errors: Vec<f64> = rows
        .iter()
        .filter(|p| p.observed != 0.0)
        .map(|p| ((p.predicted - p.observed) / p.observed).abs())
        .collect();
    (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64)
}

fn parity_panel(fit: &FormFit) -> Panel {
    let colour = form_colour(fit.form);
    let label = target_label(fit);
    let mut panel = Panel::new(
        &format!(
            "{}{}",
            fit.form.label(),
            fit.task.as_ref().map_or(String::new(), |t| format!(", {t}"))
        ),
        &format!("observed {label}"),
        &format!("predicted {label}"),
    );
    if fit.target == Metric::PassAtK {
        panel = panel.log_x().log_y();
    }
    let mut lo_hi = (f64::INFINITY, f64::NEG_INFINITY);
    for heldout in [false, true] {
        let rows: Vec<&Prediction> = fit.predictions.iter().filter(|p| p.heldout == heldout).collect();
        let Some(error) = mean_relative_error(&rows) else {
            continue;
        };
        let points: Vec<(f64, f64)> = rows.iter().map(|p| (p.observed, p.predicted)).collect();
        for &(o, p) in &points {
            lo_hi = (lo_hi.0.min(o).min(p), lo_hi.1.max(o).max(p));
        }
        let name = if heldout { "held out" } else { "fitted rows" };
        let label = format!(
            "{name}: {} rows, mean rel. error {:.1}%",
            rows.len(),
            error * 100.0
        );
        panel = panel.with_series(if heldout {
            Series::points(&label, Colour::ORANGE, Marker::Triangle, true, points)
        } else {
            Series::points(&label, colour, Marker::Circle, false, points)
        });
    }
    if fit.target == Metric::PassAtK {
        lo_hi.0 = fit
            .predictions
            .iter()
            .map(|p| p.observed.min(p.predicted))
            .filter(|v| *v > 0.0)
            .fold(f64::INFINITY, f64::min);
    }
    if lo_hi.0 < lo_hi.1 {
        panel = panel.with_series(Series::dashed(
            "predicted = observed",
            Colour::GREY,
            vec![(lo_hi.0, lo_hi.0), (lo_hi.1, lo_hi.1)],
        ));
    }
    panel
}

/// Parity panels, one per form, each with its own legend.
pub fn parity_figure(title: &str, fits: &[FormFit]) -> Figure {
    let panels: Vec<Panel> = fits.iter().map(parity_panel).collect();
    Figure::new(title, panels).with_legend(LegendPlacement::PerPanel)
}

/// The distinct checkpoints (N, D) of the predictions, up to [`MAX_CHECKPOINTS`] spread over the range of
/// their k = 1 observed value.
fn checkpoints(predictions: &[Prediction]) -> Vec<(f64, f64)> {
    let mut all: Vec<(f64, f64, f64)> = Vec::new();
    for p in predictions {
        if !all.iter().any(|c| c.0 == p.params && c.1 == p.tokens) {
            all.push((p.params, p.tokens, p.predicted));
        }
    }
    all.sort_by(|a, b| a.2.total_cmp(&b.2));
    if all.len() <= MAX_CHECKPOINTS {
        return all.into_iter().map(|c| (c.0, c.1)).collect();
    }
    (0..MAX_CHECKPOINTS)
        .map(|i| all[i * (all.len() - 1) / (MAX_CHECKPOINTS - 1)])
        .map(|c| (c.0, c.1))
        .collect()
}

fn metric_vs_k_panel(fit: &FormFit) -> Panel {
    let y_label = match Metric::of(fit.form) {
        Metric::Loss => "task loss under k samples (nats)",
        Metric::PassAtK => "pass@k",
    };
    let mut panel = Panel::new(
        &format!("{} against k", fit.form.label()),
        "samples per query k",
        y_label,
    )
    .log_x();
    let max_k = fit.predictions.iter().map(|p| p.k).fold(1.0, f64::max);
    for (i, (n, d)) in checkpoints(&fit.predictions).into_iter().enumerate() {
        let colour = Colour::palette(i);
        let label = format!("N = {}, D = {}", format_tick(n, false), format_tick(d, false));
        let observed: Vec<(f64, f64)> = fit
            .predictions
            .iter()
            .filter(|p| p.params == n && p.tokens == d)
            .map(|p| (p.k, p.observed))
            .collect();
        let curve = log_spaced(1.0, max_k, 50)
            .into_iter()
            .map(|k| (k, metric_at(&fit.params, n, d, k)))
            .collect();
        panel = panel
            .with_series(Series::line(&label, colour, curve))
            .with_series(Series::points("", colour, Marker::Circle, true, observed).unlabelled());
    }
    panel
}

/// The metric against k for each T² form with a k grid; None when no form has more than one k.
pub fn metric_vs_k_figure(title: &str, fits: &[FormFit], _floors: &[CheckpointFloor]) -> Option<Figure> {
    let panels: Vec<Panel> = fits
        .iter()
        .filter(|f| f.form != Form::Chinchilla && f.predictions.iter().any(|p| p.k > 1.0))
        .map(metric_vs_k_panel)
        .collect();
    (!panels.is_empty()).then(|| Figure::new(title, panels).with_legend(LegendPlacement::PerPanel))
}
