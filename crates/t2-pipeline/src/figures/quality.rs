//! Figure 3: fit quality. Predicted against observed (parity) per form, fitted and held-out rows apart (held
//! out drawn on top) with their mean relative errors in the legend; and the metric against k for a few
//! checkpoints, the same checkpoints in the same colours in every panel, with each checkpoint's Beta-binomial
//! floor as a thin reference curve when the input was sampled per problem.

use t2_core::plan::{metric_at, Metric};
use t2_core::Form;
use t2_fit::{FormFit, Prediction, Verdict};
use t2_plot::{format_tick, Colour, Figure, LegendPlacement, Marker, Panel, Series};

use super::frontier::form_colour;
use crate::floor::CheckpointFloor;
use crate::plan::log_spaced;
use crate::tables::counted;

/// Checkpoints shown in the metric-against-k panels.
const MAX_CHECKPOINTS: usize = 6;

/// A pass@k parity panel is drawn on log axes when the observed values span more than this factor.
const LOG_PARITY_SPAN: f64 = 100.0;

fn target_label(fit: &FormFit) -> &'static str {
    match fit.target {
        Metric::PassAtK => "pass@k",
        Metric::Loss => "loss (nats)",
    }
}

/// The panel title of a fit: its form and task, and its verdict when it is not ok.
fn title_of(fit: &FormFit, what: &str) -> String {
    let verdict = match fit.trust.verdict {
        Verdict::Ok => String::new(),
        v => format!(" ({v})"),
    };
    let task = fit.task.as_ref().map_or(String::new(), |t| format!(", {t}"));
    format!("{}{task}{what}{verdict}", fit.form.label())
}

/// Mean relative absolute error |predicted − observed| / |observed| over the rows (None when there are none).
pub fn mean_relative_error(rows: &[&Prediction]) -> Option<f64> {
    let errors: Vec<f64> = rows
        .iter()
        .filter(|p| p.observed != 0.0 && p.observed.is_finite())
        .map(|p| ((p.predicted - p.observed) / p.observed).abs())
        .collect();
    (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64)
}

fn parity_panel(fit: &FormFit) -> Panel {
    let label = target_label(fit);
    let mut panel = Panel::new(
        &title_of(fit, ""),
        &format!("observed {label}"),
        &format!("predicted {label}"),
    );
    let positive: Vec<f64> = fit
        .predictions
        .iter()
        .map(|p| p.observed)
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    let (min, max) = positive
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    let log = fit.target == Metric::PassAtK && max / min > LOG_PARITY_SPAN;
    if log {
        panel = panel.log_x().log_y();
    }
    let mut lo_hi = (f64::INFINITY, f64::NEG_INFINITY);
    // Fitted rows first, then the held-out rows on top of them.
    for heldout in [false, true] {
        let rows: Vec<&Prediction> = fit.predictions.iter().filter(|p| p.heldout == heldout).collect();
        let Some(error) = mean_relative_error(&rows) else {
            continue;
        };
        let points: Vec<(f64, f64)> = rows.iter().map(|p| (p.observed, p.predicted)).collect();
        for &(o, p) in points
            .iter()
            .filter(|(o, p)| o.is_finite() && p.is_finite() && (!log || (*o > 0.0 && *p > 0.0)))
        {
            lo_hi = (lo_hi.0.min(o).min(p), lo_hi.1.max(o).max(p));
        }
        let name = if heldout { "held out" } else { "fitted rows" };
        let label = format!(
            "{name}: {}, mean rel. error {:.1}%",
            counted(rows.len(), "row"),
            error * 100.0
        );
        panel = panel.with_series(if heldout {
            Series::points(&label, Colour::ORANGE, Marker::Triangle, true, points)
        } else {
            Series::points(&label, form_colour(fit.form), Marker::Circle, false, points)
        });
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

/// The checkpoints (N, D) the metric-against-k panels show: up to [`MAX_CHECKPOINTS`] of the first fit with a
/// k grid, spread evenly from best to worst by the observed metric at their smallest k.
fn shown_checkpoints(fits: &[&FormFit]) -> Vec<(f64, f64)> {
    let Some(first) = fits.first() else {
        return Vec::new();
    };
    let mut all: Vec<(f64, f64, f64, f64)> = Vec::new(); // (N, D, smallest k, observed there)
                                                         // Linear in the rows (a search per row made 40,000 checkpoints take 12 s).
    let mut index: std::collections::HashMap<(u64, u64), usize> = std::collections::HashMap::new();
    for p in &first.predictions {
        match index.get(&(p.params.to_bits(), p.tokens.to_bits())) {
            Some(&i) if p.k < all[i].2 => (all[i].2, all[i].3) = (p.k, p.observed),
            Some(_) => {}
            None => {
                index.insert((p.params.to_bits(), p.tokens.to_bits()), all.len());
                all.push((p.params, p.tokens, p.k, p.observed));
            }
        }
    }
    all.sort_by(|a, b| {
        a.3.total_cmp(&b.3)
            .then(a.0.total_cmp(&b.0))
            .then(a.1.total_cmp(&b.1))
    });
    if all.len() <= MAX_CHECKPOINTS {
        return all.into_iter().map(|c| (c.0, c.1)).collect();
    }
    (0..MAX_CHECKPOINTS)
        .map(|i| all[i * (all.len() - 1) / (MAX_CHECKPOINTS - 1)])
        .map(|c| (c.0, c.1))
        .collect()
}

/// The floor of checkpoint (N, D) of `fit`'s task, when there is one.
fn floor_of<'a>(floors: &'a [CheckpointFloor], fit: &FormFit, n: f64, d: f64) -> Option<&'a CheckpointFloor> {
    floors
        .iter()
        .find(|f| f.params == n && f.tokens == d && f.task == fit.task)
}

/// The panel of one fit, and whether it drew a floor.
fn metric_vs_k_panel(fit: &FormFit, checkpoints: &[(f64, f64)], floors: &[CheckpointFloor]) -> (Panel, bool) {
    let metric = Metric::of(fit.form);
    let y_label = match metric {
        Metric::Loss => "task loss under k samples (nats)",
        Metric::PassAtK => "pass@k",
    };
    let mut panel = Panel::new(&title_of(fit, ""), "samples per query k", y_label).log_x();
    let ks = fit.predictions.iter().map(|p| p.k);
    let (min_k, max_k) = ks.fold((f64::INFINITY, 1.0f64), |(a, b), k| (a.min(k), b.max(k)));
    let unreliable = fit.trust.verdict == Verdict::Unreliable;
    let mut has_floor = false;
    for (i, &(n, d)) in checkpoints.iter().enumerate() {
        let colour = Colour::palette(i);
        let label = format!("N = {}, D = {}", format_tick(n, false), format_tick(d, false));
        let observed: Vec<(f64, f64)> = fit
            .predictions
            .iter()
            .filter(|p| p.params == n && p.tokens == d)
            .map(|p| (p.k, p.observed))
            .collect();
        let grid = log_spaced(min_k, max_k, 50);
        let curve: Vec<(f64, f64)> = grid
            .iter()
            .map(|&k| (k, metric_at(&fit.params, n, d, k)))
            .collect();
        let fitted = if unreliable {
            Series::dashed(&label, colour.faded(), curve)
        } else {
            Series::line(&label, colour, curve)
        };
        panel = panel
            .with_series(fitted)
            .with_series(Series::points("", colour, Marker::Circle, true, observed).unlabelled());
        if let Some(floor) = floor_of(floors, fit, n, d) {
            let reference = grid
                .iter()
                .map(|&k| {
                    let p = floor.pass_at_k(k);
                    (k, if metric == Metric::Loss { -p.ln() } else { p })
                })
                .collect();
            panel = panel.with_series(Series::reference("", colour, reference).unlabelled());
            has_floor = true;
        }
    }
    (panel, has_floor)
}

/// The metric against k for each T² form with a k grid, the same checkpoints in the same colours in every
/// panel; None when no form has more than one k.
pub fn metric_vs_k_figure(title: &str, fits: &[FormFit], floors: &[CheckpointFloor]) -> Option<Figure> {
    let with_k: Vec<&FormFit> = fits
        .iter()
        .filter(|f| f.form != Form::Chinchilla && f.predictions.iter().any(|p| p.k > 1.0))
        .collect();
    let checkpoints = shown_checkpoints(&with_k);
    let (mut panels, floors_drawn): (Vec<Panel>, Vec<bool>) = with_k
        .iter()
        .map(|f| metric_vs_k_panel(f, &checkpoints, floors))
        .unzip();
    if let (Some(first), true) = (panels.first_mut(), floors_drawn.contains(&true)) {
        first.series.push(Series::reference(
            "thin dashed: each checkpoint's own Beta-binomial (the best a law of this family can do)",
            Colour::GREY,
            vec![],
        ));
    }
    (!panels.is_empty()).then(|| Figure::new(title, panels))
}
