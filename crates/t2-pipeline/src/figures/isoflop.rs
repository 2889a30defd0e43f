//! Figure 2: isoFLOP profiles. For each training-compute level, the predicted metric against N at k = 1 beside
//! the inference-corrected metric at k = C_inf/(2N), with the observed checkpoints (held-out ones hollow), the
//! optima, the inference-corrected Chinchilla frontier for contrast, and the N beyond which C_inf/(2N) < 1 and k
//! is clipped to 1.
//!
//! The levels: a sweep with an isoFLOP design (at least [`MIN_DESIGN_LEVELS`] compute levels of
//! [`MIN_LEVEL_CHECKPOINTS`] or more checkpoints) shows its levels, all of them or an evenly spaced subset that
//! the subtitle names; a sweep without one (N and D varied together, as in Pythia) says so and draws curves at
//! the compute of a few of its own checkpoints.

use t2_core::plan::{metric_at, optimum, rule_point, single_pass_law, Budget, Deployment, Metric, Rule};
use t2_core::{Form, ModelParams};
use t2_fit::{FormFit, Prediction, Verdict};
use t2_plot::{format_tick, Colour, Figure, Marker, Panel, Series};

use crate::plan::log_spaced;

/// At most this many levels per panel, for legibility.
const MAX_LEVELS: usize = 6;
const CURVE_POINTS: usize = 60;
/// Compute values within this relative distance share a level.
const LEVEL_RTOL: f64 = 0.05;
/// A level of an isoFLOP design holds at least this many checkpoints.
pub const MIN_LEVEL_CHECKPOINTS: usize = 3;
/// An isoFLOP design has at least this many such levels.
pub const MIN_DESIGN_LEVELS: usize = 3;

/// The levels a figure draws and what the subtitle says of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    /// The compute values C = 6ND drawn.
    pub values: Vec<f64>,
    /// What they are, for the subtitle ("all 12 compute levels", "no isoFLOP design: …").
    pub note: String,
}

/// The distinct training-compute values 6·N·D of the checkpoints, merged within 5%, ascending, each with its
/// number of distinct checkpoints.
fn compute_groups(predictions: &[Prediction]) -> Vec<(f64, usize)> {
    let mut checkpoints: Vec<(f64, f64)> = predictions.iter().map(|p| (p.params, p.tokens)).collect();
    checkpoints.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    checkpoints.dedup();
    let mut flops: Vec<f64> = checkpoints.iter().map(|&(n, d)| 6.0 * n * d).collect();
    flops.sort_by(f64::total_cmp);
    let mut groups: Vec<(f64, usize)> = Vec::new();
    for c in flops {
        match groups.last_mut() {
            Some(g) if c <= g.0 * (1.0 + LEVEL_RTOL) => g.1 += 1,
            _ => groups.push((c, 1)),
        }
    }
    groups
}

/// Every `step`-th of `values`, `step` the smallest that leaves at most [`MAX_LEVELS`].
fn even_subset(values: &[f64]) -> (Vec<f64>, usize) {
    let step = values.len().div_ceil(MAX_LEVELS).max(1);
    (values.iter().copied().step_by(step).collect(), step)
}

/// The levels to draw for these predictions (see the module docs).
pub fn levels(predictions: &[Prediction]) -> Levels {
    let groups = compute_groups(predictions);
    let design: Vec<f64> = groups
        .iter()
        .filter(|g| g.1 >= MIN_LEVEL_CHECKPOINTS)
        .map(|g| g.0)
        .collect();
    if design.len() >= MIN_DESIGN_LEVELS {
        let (values, step) = even_subset(&design);
        let note = if step == 1 {
            format!("all {} compute levels", design.len())
        } else {
            format!("every {} of the {} compute levels", ordinal(step), design.len())
        };
        return Levels { values, note };
    }
    let all: Vec<f64> = groups.iter().map(|g| g.0).collect();
    let (values, _) = even_subset(&all);
    Levels {
        note: format!(
            "no isoFLOP design ({} of its compute levels hold {MIN_LEVEL_CHECKPOINTS}+ checkpoints): curves at the \
             compute of {} of its checkpoints",
            design.len(),
            values.len()
        ),
        values,
    }
}

fn ordinal(n: usize) -> String {
    match n {
        2 => "2nd".into(),
        3 => "3rd".into(),
        n => format!("{n}th"),
    }
}

fn at_level(p: &Prediction, c: f64) -> bool {
    (6.0 * p.params * p.tokens / c - 1.0).abs() < LEVEL_RTOL
}

/// For each checkpoint at level c, the observed row at k = 1 (single) or at the grid k nearest to
/// C_inf/(2N) in log, if within a factor 2 (corrected); with whether it was held out.
fn observed(fit: &FormFit, c: f64, inference_flops: Option<f64>) -> Vec<(f64, f64, bool)> {
    let mut best: Vec<(f64, f64, f64, bool)> = Vec::new(); // (N, distance in ln k, observed, held out)
    for p in fit.predictions.iter().filter(|p| at_level(p, c)) {
        let target = inference_flops.map_or(1.0, |ci| (ci / (2.0 * p.params)).max(1.0));
        let distance = (p.k / target).ln().abs();
        if distance > 2f64.ln() + 1e-9 {
            continue;
        }
        match best.iter_mut().find(|b| b.0 == p.params) {
            Some(b) if distance < b.1 => *b = (p.params, distance, p.observed, p.heldout),
            Some(_) => {}
            None => best.push((p.params, distance, p.observed, p.heldout)),
        }
    }
    best.into_iter().map(|(n, _, o, h)| (n, o, h)).collect()
}

/// Observed points at a level in its colour: fitted ones filled, held-out ones hollow.
fn observed_series(points: &[(f64, f64, bool)], colour: Colour) -> [Series; 2] {
    let pick = |heldout: bool| {
        points
            .iter()
            .filter(|p| p.2 == heldout)
            .map(|p| (p.0, p.1))
            .collect()
    };
    [
        Series::points("", colour, Marker::Circle, true, pick(false)).unlabelled(),
        Series::points("", colour, Marker::Circle, false, pick(true)).unlabelled(),
    ]
}

/// The two panels (k = 1, k = C_inf/(2N)) of one T² form.
fn panels(fit: &FormFit, levels: &[f64], inference_flops: f64) -> [Panel; 2] {
    let params: &ModelParams = &fit.params;
    let metric = Metric::of(fit.form);
    let (y1, yk) = match metric {
        Metric::Loss => ("task loss at k = 1 (nats)", "task loss at k = C_inf/(2N) (nats)"),
        Metric::PassAtK => ("pass@1", "pass@k at k = C_inf/(2N)"),
    };
    let verdict = match fit.trust.verdict {
        Verdict::Ok => String::new(),
        v => format!(" ({v})"),
    };
    let name = fit.form.label();
    let mut single = Panel::new(
        &format!("{name}: single pass (k = 1){verdict}"),
        "parameters N",
        y1,
    )
    .log_x();
    let mut corrected = Panel::new(
        &format!("{name}: inference-corrected{verdict}"),
        "parameters N",
        yk,
    )
    .log_x();
    let (mut single_opt, mut t2_opt, mut chin) = (Vec::new(), Vec::new(), Vec::new());
    let (mut n_lo, mut n_hi) = (f64::INFINITY, 0.0f64);
    for (i, &c) in levels.iter().enumerate() {
        let colour = Colour::palette(i);
        let label = format!("C_train = {} FLOPs", format_tick(c, false));
        let (n1, d1) = single_pass_law(params).compute_optimal(c);
        let budget = Budget::new(c, inference_flops).ok();
        let paper = Deployment::default();
        let t2 = budget.and_then(|b| optimum(params, &paper, b).ok());
        let chin_point = budget.and_then(|b| rule_point(params, &paper, b, Rule::Chinchilla));
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
        (n_lo, n_hi) = (n_lo.min(lo), n_hi.max(hi));
        let ns = log_spaced(lo, hi, CURVE_POINTS);
        let curve = |k: &dyn Fn(f64) -> f64| {
            ns.iter()
                .map(|&n| (n, metric_at(params, n, c / (6.0 * n), k(n))))
                .collect()
        };
        single = single.with_series(Series::line(&label, colour, curve(&|_| 1.0)));
        for s in observed_series(&observed(fit, c, None), colour) {
            single = single.with_series(s);
        }
        corrected = corrected.with_series(Series::line(
            &label,
            colour,
            curve(&|n| (inference_flops / (2.0 * n)).max(1.0)),
        ));
        for s in observed_series(&observed(fit, c, Some(inference_flops)), colour) {
            corrected = corrected.with_series(s);
        }
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
    // Right of N = C_inf/2 the budget pays for less than one sample: k is clipped to 1 there.
    let clip = inference_flops / 2.0;
    if clip > n_lo && clip < n_hi {
        let (y_lo, y_hi) = corrected_range(&corrected);
        corrected = corrected.with_series(Series::reference(
            "k = C_inf/(2N) < 1 right of this line (clipped to 1)",
            Colour::GREY,
            vec![(clip, y_lo), (clip, y_hi)],
        ));
    }
    [single, corrected]
}

/// The smallest and largest finite y of a panel's series.
fn corrected_range(panel: &Panel) -> (f64, f64) {
    panel
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
            (a.min(y), b.max(y))
        })
}

/// One row of two panels per T² form in the fit, the levels named in the subtitle; None when the fit has no T²
/// form.
pub fn figure(title: &str, fits: &[FormFit], inference_flops: f64) -> Option<Figure> {
    let t2: Vec<&FormFit> = fits.iter().filter(|f| f.form != Form::Chinchilla).collect();
    // One set of levels for every panel: from the checkpoints of all the forms.
    let all: Vec<Prediction> = t2.iter().flat_map(|f| f.predictions.iter().cloned()).collect();
    let levels = levels(&all);
    if levels.values.is_empty() {
        return None;
    }
    let mut panels = Vec::new();
    for fit in &t2 {
        panels.extend(self::panels(fit, &levels.values, inference_flops));
    }
    let keys = [
        Series::points("observed checkpoints", Colour::GREY, Marker::Circle, true, vec![]),
        Series::points(
            "held out (not fitted)",
            Colour::GREY,
            Marker::Circle,
            false,
            vec![],
        ),
    ];
    let heldout = fits.iter().any(|f| f.predictions.iter().any(|p| p.heldout));
    if let Some(first) = panels.first_mut() {
        first.series.push(keys[0].clone());
        if heldout {
            first.series.push(keys[1].clone());
        }
    }
    let title = format!("{title}\n{}", levels.note);
    (!panels.is_empty()).then(|| Figure::new(&title, panels).with_columns(2))
}
