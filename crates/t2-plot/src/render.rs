//! Drawing a [`Figure`] on any plotters backend: the PNG and SVG files come from the same code.

use std::fmt;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, KeyPointWeight, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::series::DashedLineSeries;
use plotters::style::text_anchor;

use crate::axis::Axis;
use crate::backend::{rgb, Draw};
use crate::figure::{Figure, LegendPlacement, Marker, Panel, Style};
use crate::{font, legend};

/// Why a figure could not be written.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotError(pub String);

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlotError {}

const TITLE_LINE: u32 = 28;
const TITLE_SIZE: u32 = 22;
const SUBTITLE_SIZE: u32 = 16;

impl Figure {
    fn rows(&self) -> u32 {
        self.panels.len().div_ceil(self.columns).max(1) as u32
    }

    /// The figure's width: its panels' (titles wrap to it, they never widen a figure).
    fn width(&self) -> u32 {
        self.panel_size.0 * self.columns as u32
    }

    /// The title's lines, each wrapped at word boundaries to the figure's width.
    fn title_lines(&self) -> Vec<(String, u32)> {
        let limit = self.width().saturating_sub(40);
        let mut lines = Vec::new();
        for (i, line) in self.title.lines().enumerate() {
            let size = if i == 0 { TITLE_SIZE } else { SUBTITLE_SIZE };
            let measure = |text: &str| {
                ("sans-serif", size)
                    .into_font()
                    .box_size(text)
                    .map_or(0, |(w, _)| w)
            };
            let mut current = String::new();
            for word in line.split(' ') {
                let candidate = if current.is_empty() {
                    word.to_string()
                } else {
                    format!("{current} {word}")
                };
                if measure(&candidate) > limit && !current.is_empty() {
                    lines.push((std::mem::take(&mut current), size));
                    current = word.to_string();
                } else {
                    current = candidate;
                }
            }
            lines.push((current, size));
        }
        lines
    }

    fn title_height(&self) -> u32 {
        self.title_lines().len() as u32 * TITLE_LINE + 12
    }

    /// Height of each panel's legend strip (PerPanel), the tallest of all panels so that the grid is regular.
    fn panel_legend_height(&self) -> u32 {
        match self.legend {
            LegendPlacement::Shared => 0,
            LegendPlacement::PerPanel => self
                .panels
                .iter()
                .map(|p| {
                    legend::height(
                        &legend::entries(std::iter::once(p)),
                        self.width() / self.columns as u32,
                    )
                })
                .max()
                .unwrap_or(0),
        }
    }

    fn shared_legend(&self) -> Vec<legend::Entry> {
        match self.legend {
            LegendPlacement::Shared => legend::entries(self.panels.iter()),
            LegendPlacement::PerPanel => Vec::new(),
        }
    }

    /// Pixel size of the whole figure.
    pub fn size(&self) -> (u32, u32) {
        // Text is measured with the embedded font; if it cannot be registered, rendering reports it.
        let _ = font::ensure_registered();
        let cell = self.panel_size.1 + self.panel_legend_height();
        let shared = legend::height(&self.shared_legend(), self.width());
        (self.width(), self.title_height() + self.rows() * cell + shared)
    }

    /// The figure as PNG bytes.
    pub fn png_bytes(&self) -> Result<Vec<u8>, PlotError> {
        let (rgb, (width, height)) = self.render_rgb()?;
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .and_then(|mut w| w.write_image_data(&rgb))
            .map_err(|e| PlotError(format!("cannot encode the figure as PNG: {e}")))?;
        Ok(bytes)
    }

    /// The figure as SVG text, its shared attributes grouped and its repeated opaque shapes drawn once
    /// ([`crate::svg`]).
    pub fn svg_string(&self) -> Result<String, PlotError> {
        font::ensure_registered().map_err(PlotError)?;
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, self.size()).into_drawing_area();
            self.draw_on(&root)
                .and_then(|_| root.present())
                .map_err(|e| PlotError(format!("cannot draw the figure: {e}")))?;
        }
        Ok(crate::svg::compact(&text))
    }

    /// Draws the figure into memory: RGB bytes, row-major, with the size (for tests and embedding).
    pub fn render_rgb(&self) -> Result<(Vec<u8>, (u32, u32)), PlotError> {
        font::ensure_registered().map_err(PlotError)?;
        let size = self.size();
        let mut buffer = vec![0u8; size.0 as usize * size.1 as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area();
            self.draw_on(&root)
                .and_then(|_| root.present())
                .map_err(|e| PlotError(format!("cannot draw the figure: {e}")))?;
        }
        Ok((buffer, size))
    }

    fn draw_on<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Draw<DB> {
        root.fill(&WHITE)?;
        let (title, rest) = root.split_vertically(self.title_height());
        for (i, (line, size)) in self.title_lines().into_iter().enumerate() {
            let style = ("sans-serif", size)
                .into_font()
                .color(&BLACK)
                .pos(text_anchor::Pos::new(
                    text_anchor::HPos::Center,
                    text_anchor::VPos::Top,
                ));
            title.draw(&Text::new(
                line,
                ((self.width() / 2) as i32, 8 + i as i32 * TITLE_LINE as i32),
                style,
            ))?;
        }
        let cell_height = self.panel_size.1 + self.panel_legend_height();
        let (grid, shared) = rest.split_vertically(self.rows() * cell_height);
        let cells = grid.split_evenly((self.rows() as usize, self.columns));
        for (panel, cell) in self.panels.iter().zip(&cells) {
            let (plot, strip) = cell.split_vertically(self.panel_size.1);
            draw_panel(&plot, panel)?;
            if self.legend == LegendPlacement::PerPanel {
                legend::draw(&strip, &legend::entries(std::iter::once(panel)))?;
            }
        }
        legend::draw(&shared, &self.shared_legend())
    }
}

/// The panel's content in plotted coordinates: series points, and band polygons.
fn plotted_points(panel: &Panel, points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points
        .iter()
        .filter_map(|&(x, y)| Some((Axis::to_plot(panel.x_log, x)?, Axis::to_plot(panel.y_log, y)?)))
        .collect()
}

fn axes(panel: &Panel) -> (Axis, Axis) {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for s in &panel.series {
        for (x, y) in plotted_points(panel, &s.points) {
            xs.push(x);
            ys.push(y);
        }
    }
    for b in &panel.bands {
        for &(x, lo, hi) in &b.points {
            let pts = plotted_points(panel, &[(x, lo), (x, hi)]);
            xs.extend(pts.iter().map(|p| p.0));
            ys.extend(pts.iter().map(|p| p.1));
        }
    }
    (
        Axis::covering(panel.x_log, xs.into_iter()),
        Axis::covering(panel.y_log, ys.into_iter()),
    )
}

/// An f64 axis whose ticks are the given positions (grid lines and labels there, none elsewhere).
struct Ticked {
    range: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Ticked {
        Ticked {
            range: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.range.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match hint.weight() {
            KeyPointWeight::Bold => self.ticks.clone(),
            KeyPointWeight::Any => Vec::new(),
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.range.range()
    }
}

fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &Panel) -> Draw<DB> {
    let (x_axis, y_axis) = axes(panel);
    let (x_labels, y_labels) = (x_axis.tick_labels(), y_axis.tick_labels());
    let positions = |labels: &[(f64, String)]| labels.iter().map(|(t, _)| *t).collect::<Vec<f64>>();
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, ("sans-serif", 17))
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(78)
        .build_cartesian_2d(
            Ticked::new(x_axis.lo..x_axis.hi, positions(&x_labels)),
            Ticked::new(y_axis.lo..y_axis.hi, positions(&y_labels)),
        )?;
    // The label of the tick nearest to t (the backend asks for the key points given).
    let label_of = |labels: &[(f64, String)], t: f64| {
        labels
            .iter()
            .min_by(|a, b| (a.0 - t).abs().total_cmp(&(b.0 - t).abs()))
            .map_or(String::new(), |(_, l)| l.clone())
    };
    let x_format = |t: &f64| label_of(&x_labels, *t);
    let y_format = |t: &f64| label_of(&y_labels, *t);
    chart
        .configure_mesh()
        .x_labels(x_labels.len().max(2))
        .y_labels(y_labels.len().max(2))
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc(panel.x_label.as_str())
        .y_desc(panel.y_label.as_str())
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .bold_line_style(RGBColor(225, 225, 225))
        .light_line_style(TRANSPARENT)
        .draw()?;
    for band in &panel.bands {
        let upper: Vec<(f64, f64)> = band.points.iter().map(|&(x, _, hi)| (x, hi)).collect();
        let lower: Vec<(f64, f64)> = band.points.iter().rev().map(|&(x, lo, _)| (x, lo)).collect();
        let mut outline = plotted_points(panel, &upper);
        outline.extend(plotted_points(panel, &lower));
        chart.draw_series(std::iter::once(Polygon::new(
            outline,
            rgb(band.colour).mix(0.2).filled(),
        )))?;
    }
    for series in &panel.series {
        let points = plotted_points(panel, &series.points);
        let colour = rgb(series.colour);
        match series.style {
            Style::Line { width, dashed: false } => {
                chart.draw_series(LineSeries::new(points, colour.stroke_width(width)))?;
            }
            Style::Line { width, dashed: true } => {
                chart.draw_series(DashedLineSeries::new(points, 8, 5, colour.stroke_width(width)))?;
            }
            Style::Points { marker, size, filled } => {
                let style = if filled {
                    colour.filled()
                } else {
                    colour.stroke_width(2)
                };
                let size = size as i32;
                match marker {
                    Marker::Circle => {
                        chart.draw_series(points.into_iter().map(|p| Circle::new(p, size, style)))?
                    }
                    Marker::Triangle => chart.draw_series(
                        points
                            .into_iter()
                            .map(|p| TriangleMarker::new(p, size + 2, style)),
                    )?,
                    Marker::Cross => chart.draw_series(
                        points
                            .into_iter()
                            .map(|p| Cross::new(p, size, colour.stroke_width(2))),
                    )?,
                };
            }
        }
    }
    Ok(())
}
