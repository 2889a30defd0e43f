//! Figure 1 (and the comparison figure 4): the compute-optimal frontier N*, D*, D*/N* and k* against the
//! scenario's budgets, with the data wall (the unique tokens, or the stock of public text) on the D* panel.

use t2_core::plan::Metric;
use t2_core::Form;
use t2_plot::{format_tick, Band, Colour, Figure, Marker, Panel, Series};

use t2_fit::trust::PUBLIC_TEXT_TOKENS;
use t2_fit::Verdict;

use crate::plan::{Bands, FormPlan, Interval, Scenario};

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
pub fn overlay_subtitle(scenario: &Scenario) -> String {
    format!(
        "{} · solid: Approach 1 (shaded band) · dashed: Approach 2 or unreliable",
        scenario.describe_with(|v| format_tick(v, false))
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

fn panel(
    title: &str,
    (x_label, y_label): (&str, &str),
    lines: &[FrontierLine],
    quantity: Quantity,
    thin: &[bool],
) -> Panel {
    let (value, interval) = quantity;
    let mut panel = Panel::new(title, x_label, y_label).log_x().log_y();
    for (line, &thin) in lines.iter().zip(thin) {
        let rows = &line.plan.rows;
        let band: Vec<(f64, f64, f64)> = rows
            .iter()
            .filter_map(|r| {
                r.bands
                    .as_ref()
                    .map(|b| (r.budget.scale(), interval(b).lo, interval(b).hi))
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
            .map(|r| (r.budget.scale(), value(&r.plan.optimum)))
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

/// `series` as drawn, without a legend entry when it has no point to draw (the 70B run on a lifetime axis, a
/// data wall no line reaches).
fn legend_if_drawn(series: Series) -> Series {
    if series.points.is_empty() {
        series.unlabelled()
    } else {
        series
    }
}

/// Where each line's D* first passes `unique` tokens (log-interpolated between budgets): the data wall. Below
/// it the plan is the unconstrained one (D′ = D there), so this is where the unconstrained D* crosses U.
fn wall_crossings(lines: &[FrontierLine], unique: f64) -> Vec<(f64, f64)> {
    lines
        .iter()
        .filter_map(|l| {
            l.plan.rows.windows(2).find_map(|w| {
                let (a, b) = (&w[0], &w[1]);
                let (da, db) = (a.plan.optimum.tokens, b.plan.optimum.tokens);
                (da <= unique && db > unique).then(|| {
                    let t = (unique.ln() - da.ln()) / (db.ln() - da.ln());
                    let (ca, cb) = (a.budget.scale().ln(), b.budget.scale().ln());
                    ((ca + t * (cb - ca)).exp(), unique)
                })
            })
        })
        .collect()
}

/// Four log-log panels (N*, D*, D*/N*, k* against the scenario's budgets: C_train, or C_total over a lifetime)
/// with the 20:1 rule (grey, dashed, as planned for the first line), the Chinchilla 70B run marked (per-query
/// budgets), and on the D* panel the unique tokens and where each line meets them (the data wall) when the
/// scenario has them, else the stock of public human-written text ([`PUBLIC_TEXT_TOKENS`]).
pub fn figure(title: &str, lines: &[FrontierLine], scenario: &Scenario) -> Figure {
    let x_label = format!("{} (FLOPs)", scenario.scale_name());
    let axes = |y: &'static str| (x_label.clone(), y);
    let scales = scenario.flops.values(scenario.points);
    let rule_points: Vec<(f64, t2_core::plan::PlanPoint)> = lines
        .first()
        .map(|l| {
            l.plan
                .rows
                .iter()
                .filter_map(|r| r.plan.twenty_to_one.map(|p| (r.budget.scale(), p)))
                .collect()
        })
        .unwrap_or_default();
    let rule = |f: fn(&t2_core::plan::PlanPoint) -> f64| -> Series {
        Series::dashed(
            "20:1 rule (D = 20N)",
            Colour::GREY,
            rule_points.iter().map(|(c, p)| (*c, f(p))).collect(),
        )
    };
    let hero_c = 6.0 * HERO_PARAMS * HERO_TOKENS;
    let per_query = !scenario.is_lifetime();
    let hero = |y: f64| {
        legend_if_drawn(
            Series::points(
                "Chinchilla 70B (1.4T tokens)",
                Colour::BLACK,
                Marker::Circle,
                true,
                if per_query { vec![(hero_c, y)] } else { Vec::new() },
            )
            .emphasised(),
        )
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
    let (x, y) = axes("N* (parameters)");
    let params = panel("Optimal model size N*", (&x, y), lines, quantities[0], &thin)
        .with_series(rule(|p| p.params))
        .with_series(hero(HERO_PARAMS));
    let ends: Vec<f64> = [scales.first(), scales.last()]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    let flat = |label: String, colour: Colour, y: f64| {
        Series::dashed(&label, colour, ends.iter().map(|&c| (c, y)).collect())
    };
    let (x, y) = axes("D* (tokens)");
    let mut tokens =
        panel("Training tokens D*", (&x, y), lines, quantities[1], &thin).with_series(rule(|p| p.tokens));
    tokens = match scenario.unique_tokens {
        Some(u) => tokens
            .with_series(flat(
                format!("unique tokens U = {}", format_tick(u, false)),
                Colour::BROWN,
                u,
            ))
            .with_series(legend_if_drawn(
                Series::points(
                    "data wall: D* reaches U (repeated data beyond)",
                    Colour::BROWN,
                    Marker::Triangle,
                    true,
                    wall_crossings(lines, u),
                )
                .emphasised(),
            )),
        None => tokens.with_series(flat(
            format!("public text there is ({PUBLIC_TEXT_TOKENS:.0e} tokens, Villalobos et al. 2024)"),
            Colour::BROWN,
            PUBLIC_TEXT_TOKENS,
        )),
    }
    .with_series(hero(HERO_TOKENS));
    let (x, y) = axes("D*/N* (tokens per parameter)");
    let ratio = panel("Tokens per parameter D*/N*", (&x, y), lines, quantities[2], &thin)
        .with_series(rule(|p| p.tokens_per_param))
        .with_series(hero(HERO_TOKENS / HERO_PARAMS));
    let (x, y) = axes("k* (samples per query)");
    let samples_title = if per_query {
        "Test-time samples k* per query"
    } else {
        "Test-time samples k* per query (lifetime optimum)"
    };
    let samples = panel(samples_title, (&x, y), lines, quantities[3], &thin)
        .with_series(rule(|p| p.samples_affordable))
        .with_series(hero(scenario.inference_flops / (2.0 * HERO_PARAMS)));
    Figure::new(title, vec![params, tokens, ratio, samples]).with_columns(2)
}
