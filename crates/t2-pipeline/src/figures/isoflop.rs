//! Figure 2: isoFLOP profiles. For each training-compute level, the predicted metric against N at k = 1 beside
//! the inference-corrected metric at k = C_inf/(2N), with the observed checkpoints, the optima, and the
//! inference-corrected Chinchilla frontier for contrast.

use t2_core::plan::{metric_at, optimum, single_pass_law, single_pass_point, Budget, Metric};
use t2_core::{Form, ModelParams};
use t2_fit::{FormFit, Prediction};
use t2_plot::{format_tick, Colour, Figure, Marker, Panel, Series};

use crate::plan::log_spaced;

/// At most this many isoFLOP levels per panel (spread over the observed ones), for legibility.
const MAX_LEVELS: usize = 6;
const CURVE_POINTS: usize = 60;

/// The observed training-compute levels 6·N·D, merged when within 5% of each other, in increasing order.
pub fn compute_levels(predictions: &[Prediction]) -> Vec<f64> {
    let mut flops: Vec<f64> = predictions.iter().map(|p| 6.0 * p.params * p.tokens).collect();
    flops.sort_by(f64::total_cmp);
    let mut levels: Vec<f64> = Vec::new();
    for c in flops {
        if levels.last().is_none_or(|&l| c > l * 1.05) {
            levels.push(c);
        }
    }
    if levels.len() <= MAX_LEVELS {
        return levels;
    }
    (0..MAX_LEVELS)
        .map(|i| levels[i * (levels.len() - 1) / (MAX_LEVELS - 1)])
        .collect()
}

fn at_level(p: &Prediction, c: f64) -> bool {
    (6.0 * p.params * p.tokens / c - 1.0).abs() < 0.05
}

/// For each checkpoint at level c, the observed row at k = 1 (single) or at the grid k nearest to
/// C_inf/(2N) in log, if within a factor 2 (corrected).
fn observed(fit: &FormFit, c: f64, inference_flops: Option<f64>) -> Vec<(f64, f64)> {
    let mut best: Vec<(f64, f64, f64)> = Vec::new(); // (N, distance in ln k, observed)
    for p in fit.predictions.iter().filter(|p| at_level(p, c)) {
        let target = inference_flops.map_or(1.0, |ci| (ci / (2.0 * p.params)).max(1.0));
        let distance = (p.k / target).ln().abs();
        if distance > 2f64.ln() + 1e-9 {
            continue;
        }
        match best.iter_mut().find(|b| b.0 == p.params) {
            Some(b) if distance < b.1 => *b = (p.params, distance, p.observed),
            Some(_) => {}
            None => best.push((p.params, distance, p.observed)),
        }
    }
    best.into_iter().map(|(n, _, o)| (n, o)).collect()
}

/// The two panels (k = 1, k = C_inf/(2N)) of one T² form.
fn panels(fit: &FormFit, levels: &[f64], inference_flops: f64) -> [Panel; 2] {
    let params: &ModelParams = &fit.params;
    let metric = Metric::of(fit.form);
    let (y1, yk) = match metric {
        Metric::Loss => ("task loss at k = 1 (nats)", "task loss at k = C_inf/(2N) (nats)"),
        Metric::PassAtK => ("pass@1", "pass@k at k = C_inf/(2N)"),
    };
    let name = if fit.form == Form::Approach1 {
        "Approach 1"
    } else {
        "Approach 2"
    };
    let mut single = Panel::new(&format!("{name}: single pass (k = 1)"), "parameters N", y1).log_x();
    let mut corrected = Panel::new(&format!("{name}: inference-corrected"), "parameters N", yk).log_x();
    let (mut single_opt, mut t2_opt, mut chin) = (Vec::new(), Vec::new(), Vec::new());
    for (i, &c) in levels.iter().enumerate() {
        let colour = Colour::palette(i);
        let label = format!("C_train = {} FLOPs", format_tick(c, false));
        let (n1, d1) = single_pass_law(params).compute_optimal(c);
        let budget = Budget::new(c, inference_flops).ok();
        let t2 = budget.and_then(|b| optimum(params, b).ok());
        let chin_point = budget.map(|b| single_pass_point(params, b));
        // The curve spans the observed sizes and both optima, ×3 either side, with D ≥ 1.
        let mut span: Vec<f64> = fit
            .predictions
            .iter()
            .filter(|p| at_level(p, c))
            .map(|p| p.params)
            .collect();
        span.extend(t2.map(|o| o.params).into_iter().chain([n1]));
        let lo = span.iter().copied().fold(f64::INFINITY, f64::min) / 3.0;
        let hi = (span.iter().copied().fold(0.0, f64::max) * 3.0).min(c / 6.0);
        let ns = log_spaced(lo, hi, CURVE_POINTS);
        let curve = |k: &dyn Fn(f64) -> f64| {
            ns.iter()
                .map(|&n| (n, metric_at(params, n, c / (6.0 * n), k(n))))
                .collect()
        };
        single = single
            .with_series(Series::line(&label, colour, curve(&|_| 1.0)))
            .with_series(
                Series::points("", colour, Marker::Circle, true, observed(fit, c, None)).unlabelled(),
            );
        corrected = corrected
            .with_series(Series::line(
                &label,
                colour,
                curve(&|n| (inference_flops / (2.0 * n)).max(1.0)),
            ))
            .with_series(
                Series::points(
                    "",
                    colour,
                    Marker::Circle,
                    true,
                    observed(fit, c, Some(inference_flops)),
                )
                .unlabelled(),
            );
        single_opt.push((n1, metric_at(params, n1, d1, 1.0)));
        t2_opt.extend(t2.map(|o| (o.params, o.metric)));
        chin.extend(chin_point.map(|p| (p.params, p.metric)));
    }
    let optimum_marker = |label: &str, points| {
        Series::points(label, Colour::BLACK, Marker::Triangle, true, points).emphasised()
    };
    single = single.with_series(optimum_marker("optimum at each level", single_opt));
    corrected = corrected
        .with_series(Series::dashed(
            "inference-corrected Chinchilla",
            Colour::BLACK,
            chin,
        ))
        .with_series(optimum_marker("optimum at each level", t2_opt));
    [single, corrected]
}

/// One row of two panels per T² form in the fit; None when the fit has no T² form.
pub fn figure(title: &str, fits: &[FormFit], inference_flops: f64) -> Option<Figure> {
    let mut panels = Vec::new();
    for fit in fits.iter().filter(|f| f.form != Form::Chinchilla) {
        let levels = compute_levels(&fit.predictions);
        if !levels.is_empty() {
            panels.extend(self::panels(fit, &levels, inference_flops));
        }
    }
    let observed_key = Series::points("observed checkpoints", Colour::GREY, Marker::Circle, true, vec![]);
    if let Some(first) = panels.first_mut() {
        first.series.push(observed_key);
    }
    (!panels.is_empty()).then(|| Figure::new(title, panels).with_columns(2))
}
