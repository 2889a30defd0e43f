//! Rendering checks: files are written at the stated size, pixels are not a blank canvas, SVG carries the text.

use std::collections::HashSet;

use t2_plot::{Band, Colour, Figure, LegendPlacement, Marker, Panel, Series};

fn example() -> Figure {
    let xs: Vec<f64> = (0..=14).map(|i| 10f64.powf(18.0 + 0.5 * i as f64)).collect();
    let line: Vec<(f64, f64)> = xs.iter().map(|&c| (c, 0.1 * c.powf(0.5))).collect();
    let band = Band {
        label: Some("95% band".into()),
        colour: Colour::BLUE,
        points: line.iter().map(|&(x, y)| (x, 0.7 * y, 1.4 * y)).collect(),
    };
    let left = Panel::new(
        "Optimal parameters N*",
        "training compute C_train (FLOPs)",
        "N* (parameters)",
    )
    .log_x()
    .log_y()
    .with_band(band)
    .with_series(Series::line("Approach 1", Colour::BLUE, line.clone()))
    .with_series(Series::dashed(
        "20:1 rule",
        Colour::GREY,
        line.iter().map(|&(x, y)| (x, 2.0 * y)).collect(),
    ))
    .with_series(
        Series::points(
            "Chinchilla 70B",
            Colour::BLACK,
            Marker::Circle,
            true,
            vec![(5.88e23, 7e10)],
        )
        .emphasised(),
    );
    let right = Panel::new("Parity", "observed loss (nats)", "predicted loss (nats)")
        .with_series(Series::points(
            "train",
            Colour::BLUE,
            Marker::Circle,
            true,
            vec![(2.0, 2.1), (2.5, 2.4), (3.0, 3.05)],
        ))
        .with_series(Series::points(
            "held out",
            Colour::RED,
            Marker::Triangle,
            false,
            vec![(1.8, 1.9)],
        ))
        .with_series(Series::dashed("y = x", Colour::GREY, vec![(1.8, 1.8), (3.05, 3.05)]).unlabelled());
    Figure::new("Example figure\nC_inf = 1.4×10¹¹ FLOPs", vec![left, right])
}

fn distinct_colours(rgb: &[u8]) -> usize {
    rgb.chunks(3)
        .map(|p| (p[0], p[1], p[2]))
        .collect::<HashSet<_>>()
        .len()
}

#[test]
fn png_and_svg_have_content() {
    for legend in [LegendPlacement::Shared, LegendPlacement::PerPanel] {
        let figure = example().with_legend(legend);
        let png = figure.png_bytes().unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), figure.size());
        assert_eq!(width, 1120);
        let (rgb, _) = figure.render_rgb().unwrap();
        // Anti-aliased text, bands and several series: far more than a blank or single-colour canvas.
        assert!(distinct_colours(&rgb) > 50, "{} colours", distinct_colours(&rgb));
        let svg = figure.svg_string().unwrap();
        for text in [
            "training compute C_train (FLOPs)",
            "Approach 1",
            "20:1 rule",
            "held out",
            "10¹⁸",
            "Example figure",
        ] {
            assert!(svg.contains(text), "SVG lacks {text:?}");
        }
    }
}

#[test]
fn a_figure_without_data_still_renders() {
    let figure = Figure::new("Empty", vec![Panel::new("nothing", "x", "y").log_x()]);
    let (rgb, size) = figure.render_rgb().unwrap();
    assert_eq!(rgb.len(), (size.0 * size.1 * 3) as usize);
}
