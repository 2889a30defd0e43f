//! The figures drawn from a known-parameter fit: every series colour is on the canvas, the PNG is not blank.

use std::collections::HashSet;

use t2_plot::{Colour, Figure};

use super::{frontier, isoflop, quality};
use crate::fitfile::FitFile;
use crate::plan::{plan_fit_file, FlopsSpec, Scenario};
use crate::testing as plot_fixture;

fn pixels_of(rgb: &[u8], c: Colour) -> usize {
    rgb.chunks(3)
        .filter(|p| (p[0], p[1], p[2]) == (c.0, c.1, c.2))
        .count()
}

fn distinct(rgb: &[u8]) -> usize {
    rgb.chunks(3)
        .map(|p| (p[0], p[1], p[2]))
        .collect::<HashSet<_>>()
        .len()
}

fn fixture() -> FitFile {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fit.json");
    plot_fixture::write_fit_file(&path, 30, 1.0);
    FitFile::read(&path).unwrap()
}

fn drawn(figure: &Figure) -> Vec<u8> {
    let (rgb, size) = figure.render_rgb().unwrap();
    assert_eq!(rgb.len(), size.0 as usize * size.1 as usize * 3);
    assert!(distinct(&rgb) > 50, "{} colours: blank canvas?", distinct(&rgb));
    rgb
}

#[test]
fn frontier_draws_each_form_in_its_colour() {
    let file = fixture();
    let scenario = Scenario::per_query(FlopsSpec::Range(1e18, 1e25), 15, 1.4e11);
    let plans = plan_fit_file(&file, &scenario.check().unwrap()).unwrap();
    let figure = frontier::figure("t", &frontier::lines_of(&plans), &scenario);
    assert_eq!(figure.panels.len(), 4);
    let rgb = drawn(&figure);
    // Brown: the stock of public text on the D* panel.
    for colour in [
        Colour::BLUE,
        Colour::RED,
        Colour::BLACK,
        Colour::GREY,
        Colour::BROWN,
    ] {
        assert!(
            pixels_of(&rgb, colour) > 500,
            "{colour:?}: {} pixels",
            pixels_of(&rgb, colour)
        );
    }
}

#[test]
fn isoflop_parity_and_k_figures_have_content() {
    let file = fixture();
    let iso = isoflop::figure("t", &file.fits, 2e9).unwrap();
    // Two T² forms, two panels each; six isoFLOP levels in the palette.
    assert_eq!(iso.panels.len(), 4);
    let rgb = drawn(&iso);
    for i in 0..6 {
        assert!(pixels_of(&rgb, Colour::palette(i)) > 200, "level {i}");
    }
    let parity = quality::parity_figure("t", &file.fits);
    assert_eq!(parity.panels.len(), 3);
    let rgb = drawn(&parity);
    // Held-out rows are orange triangles, in every panel.
    assert!(pixels_of(&rgb, Colour::ORANGE) > 300);
    let k = quality::metric_vs_k_figure("t", &file.fits, &[]).unwrap();
    assert_eq!(k.panels.len(), 2);
    drawn(&k);
}

#[test]
fn isoflop_levels_are_the_designs_or_said_not_to_be() {
    let file = fixture();
    let levels = isoflop::levels(&file.fits[1].predictions);
    assert_eq!(levels.values.len(), 6);
    assert_eq!(levels.note, "all 6 compute levels");
    assert!(
        (levels.values[0] / 1.25e16 - 1.0).abs() < 1e-9 && (levels.values[5] / 1.28e19 - 1.0).abs() < 1e-9
    );
    // Checkpoints that share no compute (N and D varied together): no isoFLOP design, and the note says so.
    let mut scattered = file.fits[1].predictions.clone();
    let mut checkpoints: Vec<(f64, f64)> = Vec::new();
    for p in scattered.iter_mut() {
        let j = match checkpoints.iter().position(|c| *c == (p.params, p.tokens)) {
            Some(j) => j,
            None => {
                checkpoints.push((p.params, p.tokens));
                checkpoints.len() - 1
            }
        };
        p.tokens *= 1.37f64.powi(j as i32);
    }
    let levels = isoflop::levels(&scattered);
    assert!(levels.note.starts_with("no isoFLOP design"), "{}", levels.note);
    assert!(levels.values.len() <= 6);
}

/// The metric-against-k panels show the same checkpoints in the same colours, and each panel's k axis ends at
/// the data's largest k (the axis covers the data, with at most a small pad).
#[test]
fn metric_vs_k_panels_share_checkpoints_and_colours() {
    let file = fixture();
    let k = quality::metric_vs_k_figure("t", &file.fits, &[]).unwrap();
    let keys = |p: &t2_plot::Panel| -> Vec<(String, Colour)> {
        p.series
            .iter()
            .filter_map(|s| s.label.clone().map(|l| (l, s.colour)))
            .filter(|(l, _)| l.starts_with("N = "))
            .collect()
    };
    assert_eq!(keys(&k.panels[0]), keys(&k.panels[1]));
    assert_eq!(keys(&k.panels[0]).len(), 6);
    let max_k = k.panels[0]
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold(0.0, f64::max);
    assert_eq!(max_k, 1024.0);
}

/// The frontier's plans are made once and shared: the figures take plans only over their own budgets (plans over
/// other budgets are an error, not a wrong figure), `reuse_or_plan` borrows such plans and plans afresh for
/// others, and the shared plans draw the same figures as plans computed inside `render_all`.
#[test]
fn figures_take_only_their_own_plans_and_reuse_them() {
    use std::borrow::Cow;

    use super::{figure_plans, figures, render_all, render_with_plans, reuse_or_plan, FigureOptions, Groups};

    let file = fixture();
    let options = FigureOptions {
        scenario: Scenario {
            points: 9,
            ..Scenario::default()
        },
        ..FigureOptions::default()
    };
    let own = figure_plans(&file, &options).unwrap();
    let two = Scenario::per_query(FlopsSpec::List(vec![1e21, 1e23]), 2, 1.4e11);
    let other = plan_fit_file(&file, &two.check().unwrap()).unwrap();
    assert!(figures(&file, &other, &options, Groups::All).is_err());
    assert!(matches!(
        reuse_or_plan(&file, &own, &options).unwrap(),
        Cow::Borrowed(_)
    ));
    assert_eq!(
        reuse_or_plan(&file, &other, &options).unwrap().as_ref(),
        own.as_slice()
    );
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let computed = render_all(&file, a.path(), &options).unwrap();
    let shared = render_with_plans(&file, &own, b.path(), &options).unwrap();
    assert_eq!(computed.len(), shared.len());
    for (x, y) in computed.iter().zip(&shared) {
        assert_eq!(x.file_name(), y.file_name());
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{}",
            x.display()
        );
    }
    let primary = figures(&file, &own, &options, Groups::Primary).unwrap();
    assert!(!primary.is_empty() && primary.iter().all(|f| f.primary));
}

/// With unique tokens given, the D* panel draws them and marks where each frontier reaches them (the data wall).
#[test]
fn frontier_marks_the_data_wall_when_unique_tokens_are_given() {
    let file = fixture();
    let scenario = Scenario {
        unique_tokens: Some(1e11),
        ..Scenario::per_query(FlopsSpec::Range(1e18, 1e25), 15, 1.4e11)
    };
    let plans = plan_fit_file(&file, &scenario.check().unwrap()).unwrap();
    let figure = frontier::figure("t", &frontier::lines_of(&plans), &scenario);
    let svg = figure.svg_string().unwrap();
    assert!(
        svg.contains("data wall: D* reaches U") && svg.contains("unique tokens U = "),
        "legend"
    );
    assert!(!svg.contains("public text there is"));
    let rgb = drawn(&figure);
    assert!(pixels_of(&rgb, Colour::BROWN) > 500);
    // Each form's D* passes 1e11 between 1e18 and 1e25: one marker per line.
    let walls = plans
        .iter()
        .filter(|p| {
            p.rows.first().unwrap().plan.optimum.tokens < 1e11
                && p.rows.last().unwrap().plan.optimum.tokens > 1e11
        })
        .count();
    assert!(walls >= 2, "{walls}");
}

/// A lifetime frontier has no place for the Chinchilla 70B run (its axis is C_total), and a data wall no line
/// reaches has no marker: neither gets a legend entry for nothing drawn.
#[test]
fn series_with_nothing_to_draw_have_no_legend_entry() {
    let file = fixture();
    let scenario = Scenario {
        queries: Some(1e9),
        unique_tokens: Some(1e30),
        ..Scenario::per_query(FlopsSpec::Range(1e20, 1e24), 5, 1.4e11)
    };
    let plans = plan_fit_file(&file, &scenario.check().unwrap()).unwrap();
    let svg = frontier::figure("t", &frontier::lines_of(&plans), &scenario)
        .svg_string()
        .unwrap();
    assert!(!svg.contains("Chinchilla 70B") && !svg.contains("data wall: D* reaches U"));
    assert!(svg.contains("unique tokens U = "));
}
