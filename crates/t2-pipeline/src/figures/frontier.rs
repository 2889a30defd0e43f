//! Figure 1 (and the comparison figure 4): the compute-optimal frontier N*, D*, D*/N* and k* against C_train,
//! with the stock of public text on the D* panel.

use t2_core::plan::Metric;
use t2_core::Form;
use t2_plot::{Band, Colour, Figure, Marker, Panel, Series};

use t2_fit::trust::PUBLIC_TEXT_TOKENS;
use t2_fit::Verdict;

use crate::plan::{Bands, FormPlan, Interval};

/// Chinchilla's 70B "hero" run: 70e9 parameters on 1.4e12 tokens.
const HERO_PARAMS: f64 = 70e9;
const HERO_TOKENS: f64 = 1.4e12;

/// One frontier to draw: a form's plan, how to draw it, and whether to shade its bootstrap band.
pub struct FrontierLine<'a> {
    /// Legend text.
    pub label: String,
    /// Line and band colour.
    pub colour: Colour,
    /// Drawn dashed (Approach 2 in overlays, or an unreliable fit).
    pub dashed: bool,
    /// Whether its bootstrap band is shaded.
    pub shade_band: bool,
    /// The plan drawn.
    pub plan: &'a FormPlan,
    /// Markers on every few budgets, so overlaid identical curves stay apart (overlays only).
    pub marker: Option<Marker>,
}

/// The paper's colours: Approach 1 blue, Approach 2 red, Chinchilla black; the chained form purple.
pub fn form_colour(form: Form) -> Colour {
    match form {
        Form::Approach1 => Colour::BLUE,
        Form::Approach2 => Colour::RED,
        Form::Chained => Colour::PURPLE,
        Form::Chinchilla => Colour::BLACK,
    }
}

/// The form's name with the task when there is one, and the fit's verdict when it is not ok.
pub fn form_label(plan: &FormPlan) -> String {
    let name = match &plan.task {
        Some(task) => format!("{}, {task}", plan.form.label()),
        None => plan.form.label().to_string(),
    };
    match plan.fit_verdict {
        Verdict::Ok => name,
        v => format!("{name} ({v})"),
    }
}

/// Whether a plan's curve is drawn faded and dashed: its fit is unreliable.
fn faded(plan: &FormPlan) -> bool {
    plan.fit_verdict == Verdict::Unreliable
}

/// The frontiers of several named sets of plans (fits or tasks) overlaid: one colour per set, taken from the
/// palette's third colour on (blue and red mean Approach 1 and 2 elsewhere), Approach 1 solid with its band
/// shaded, Approach 2 dashed; the Chinchilla fits too when `include_chinchilla` (e.g. when the sets hold
/// nothing else). Each set's curves carry its own marker every few budgets, so identical curves do not hide one
/// another.
pub fn overlay_lines(sets: &[(String, Vec<FormPlan>)], include_chinchilla: bool) -> Vec<FrontierLine<'_>> {
    let mut lines = Vec::new();
    for (i, (name, plans)) in sets.iter().enumerate() {
        let shown = plans
            .iter()
            .filter(|p| include_chinchilla || p.form != Form::Chinchilla);
        for plan in shown {
            lines.push(FrontierLine {
                label: format!("{name}: {}", form_label(plan)),
                colour: Colour::palette(i + 2),
                dashed: Metric::of(plan.form) == Metric::PassAtK || faded(plan),
                shade_band: plan.form == Form::Approach1 && !faded(plan),
                plan,
                marker: Some([Marker::Circle, Marker::Triangle, Marker::Cross][i % 3]),
            });
        }
    }
    lines
}

/// The subtitle of an overlay figure.
pub fn overlay_subtitle(inference_flops: f64) -> String {
    format!(
        "C_inf = {} FLOPs per query · solid: Approach 1 (shaded band) · dashed: Approach 2 or unreliable",
        t2_plot::format_tick(inference_flops, false)
    )
}

/// The lines of one fit file in the paper's colours, with bands shaded.
pub fn lines_of(plans: &[FormPlan]) -> Vec<FrontierLine<'_>> {
    plans
        .iter()
        .map(|p| FrontierLine {
            label: form_label(p),
            colour: if faded(p) {
                form_colour(p.form).faded()
            } else {
                form_colour(p.form)
            },
            dashed: faded(p),
            shade_band: !faded(p),
            plan: p,
            marker: None,
        })
        .collect()
}

type Quantity = (fn(&t2_core::plan::PlanPoint) -> f64, fn(&Bands) -> Interval);

/// A band narrower than this share of its panel's span (in decades) is hidden under its 2-pixel line.
const THIN_BAND: f64 = 0.012;

/// The widest the line's band is in this quantity, as a share of the decades the lines span.
fn band_share(line: &FrontierLine, lines: &[FrontierLine], quantity: Quantity) -> f64 {
    let (value, interval) = quantity;
    let values = lines
        .iter()
        .flat_map(|l| l.plan.rows.iter().map(|r| value(&r.plan.optimum)))
        .filter(|v| *v > 0.0 && v.is_finite())
        .map(f64::log10);
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let width = line
        .plan
        .rows
        .iter()
        .filter_map(|r| r.bands.as_ref())
        .map(|b| (interval(b).hi / interval(b).lo).log10())
        .filter(|w| w.is_finite())
        .fold(0.0, f64::max);
    width / (hi - lo).max(1e-9)
}

fn panel(title: &str, y_label: &str, lines: &[FrontierLine], quantity: Quantity, thin: &[bool]) -> Panel {
    let (value, interval) = quantity;
    let mut panel = Panel::new(title, "training compute C_train (FLOPs)", y_label)
        .log_x()
        .log_y();
    for (line, &thin) in lines.iter().zip(thin) {
        let rows = &line.plan.rows;
        let band: Vec<(f64, f64, f64)> = rows
            .iter()
            .filter_map(|r| {
                r.bands
                    .as_ref()
                    .map(|b| (r.plan.optimum.train_flops, interval(b).lo, interval(b).hi))
            })
            .collect();
        if line.shade_band && band.len() > 1 {
            let label = Some(format!(
                "{} {:.0}% band{}",
                line.label,
                rows_level(line.plan) * 100.0,
                if thin { " (thinner than its line)" } else { "" }
            ));
            panel = panel.with_band(Band {
                label,
                colour: line.colour,
                points: band,
            });
        }
        let points: Vec<(f64, f64)> = rows
            .iter()
            .map(|r| (r.plan.optimum.train_flops, value(&r.plan.optimum)))
            .collect();
        let marked: Vec<(f64, f64)> = points.iter().copied().step_by(4).collect();
        let series = if line.dashed {
            Series::dashed(&line.label, line.colour, points)
        } else {
            Series::line(&line.label, line.colour, points)
        };
        panel = panel.with_series(series);
        if let Some(marker) = line.marker {
            panel = panel.with_series(Series::points("", line.colour, marker, false, marked).unlabelled());
        }
    }
    panel
}

fn rows_level(plan: &FormPlan) -> f64 {
    plan.rows
        .iter()
        .find_map(|r| r.bands.as_ref().map(|b| b.level))
        .unwrap_or(0.95)
}

/// Four log-log panels (N*, D*, D*/N*, k* against C_train) with the 20:1 rule (grey, dashed), the Chinchilla
/// 70B run marked, and on the D* panel the stock of public human-written text ([`PUBLIC_TEXT_TOKENS`]).
pub fn figure(title: &str, lines: &[FrontierLine], train_flops: &[f64], inference_flops: f64) -> Figure {
    let rule_n = |c: f64| (c / 120.0).sqrt();
    let rule = |f: &dyn Fn(f64) -> f64| -> Series {
        Series::dashed(
            "20:1 rule (D = 20N)",
            Colour::GREY,
            train_flops.iter().map(|&c| (c, f(c))).collect(),
        )
    };
    let hero_c = 6.0 * HERO_PARAMS * HERO_TOKENS;
    let hero = |y: f64| {
        Series::points(
            "Chinchilla 70B (1.4T tokens)",
            Colour::BLACK,
            Marker::Circle,
            true,
            vec![(hero_c, y)],
        )
        .emphasised()
    };
    let quantities: [Quantity; 4] = [
        (|p| p.params, |b| b.params),
        (|p| p.tokens, |b| b.tokens),
        (|p| p.tokens_per_param, |b| b.tokens_per_param),
        (|p| p.samples_affordable, |b| b.samples),
    ];
    let thin: Vec<bool> = lines
        .iter()
        .map(|l| quantities.iter().all(|&q| band_share(l, lines, q) < THIN_BAND))
        .collect();
    let params = panel(
        "Optimal model size N*",
        "N* (parameters)",
        lines,
        quantities[0],
        &thin,
    )
    .with_series(rule(&rule_n))
    .with_series(hero(HERO_PARAMS));
    let wall = PUBLIC_TEXT_TOKENS;
    let tokens = panel("Training tokens D*", "D* (tokens)", lines, quantities[1], &thin)
        .with_series(rule(&|c| 20.0 * rule_n(c)))
        .with_series(Series::dashed(
            &format!("public text there is ({wall:.0e} tokens, Villalobos et al. 2024)"),
            Colour::BROWN,
            [train_flops.first(), train_flops.last()]
                .into_iter()
                .flatten()
                .map(|&c| (c, wall))
                .collect(),
        ))
        .with_series(hero(HERO_TOKENS));
    let ratio = panel(
        "Tokens per parameter D*/N*",
        "D*/N* (tokens per parameter)",
        lines,
        quantities[2],
        &thin,
    )
    .with_series(rule(&|_| 20.0))
    .with_series(hero(HERO_TOKENS / HERO_PARAMS));
    let samples = panel(
        "Test-time samples k* = C_inf/(2N*)",
        "k* (samples per query)",
        lines,
        quantities[3],
        &thin,
    )
    .with_series(rule(&|c| inference_flops / (2.0 * rule_n(c))))
    .with_series(hero(inference_flops / (2.0 * HERO_PARAMS)));
    Figure::new(title, vec![params, tokens, ratio, samples]).with_columns(2)
}
