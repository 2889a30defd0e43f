//! The figure description: panels of series and bands in data coordinates.

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    /// Blue (the first series).
    pub const BLUE: Colour = Colour(31, 119, 180);
    /// Red.
    pub const RED: Colour = Colour(214, 39, 40);
    /// Black.
    pub const BLACK: Colour = Colour(0, 0, 0);
    /// Grey.
    pub const GREY: Colour = Colour(128, 128, 128);
    /// Green.
    pub const GREEN: Colour = Colour(44, 160, 44);
    /// Orange.
    pub const ORANGE: Colour = Colour(255, 127, 14);
    /// Purple.
    pub const PURPLE: Colour = Colour(148, 103, 189);
    /// Brown.
    pub const BROWN: Colour = Colour(140, 86, 75);
    /// Teal.
    pub const TEAL: Colour = Colour(23, 190, 207);
    /// Olive.
    pub const OLIVE: Colour = Colour(188, 189, 34);

    /// The colour mixed halfway with white: for curves the reader should not lean on.
    pub fn faded(self) -> Colour {
        let mix = |c: u8| ((c as u16 + 255) / 2) as u8;
        Colour(mix(self.0), mix(self.1), mix(self.2))
    }

    /// A qualitative palette for an unknown number of series, cycling.
    pub fn palette(i: usize) -> Colour {
        const P: [Colour; 8] = [
            Colour::BLUE,
            Colour::RED,
            Colour::GREEN,
            Colour::ORANGE,
            Colour::PURPLE,
            Colour::BROWN,
            Colour::TEAL,
            Colour::OLIVE,
        ];
        P[i % P.len()]
    }
}

/// Point marker shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A circle.
    Circle,
    /// A triangle.
    Triangle,
    /// A cross.
    Cross,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Style {
    /// A line through the points.
    Line {
        /// Stroke width in pixels.
        width: u32,
        /// Dashed (a fit the verdicts advise against trusting) or solid.
        dashed: bool,
    },
    /// A marker at each point.
    Points {
        /// Its shape.
        marker: Marker,
        /// Its size in pixels.
        size: u32,
        /// Filled or hollow.
        filled: bool,
    },
}

/// A labelled sequence of (x, y) points in data coordinates. Points that cannot be shown (non-finite, or
/// non-positive on a log axis) are skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text; None keeps the series out of the legend.
    pub label: Option<String>,
    /// The series' colour.
    pub colour: Colour,
    /// Line or points.
    pub style: Style,
    /// The (x, y) points, in data units.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A solid line.
    pub fn line(label: &str, colour: Colour, points: Vec<(f64, f64)>) -> Series {
        Series {
            label: Some(label.into()),
            colour,
            style: Style::Line {
                width: 2,
                dashed: false,
            },
            points,
        }
    }

    /// A dashed line.
    pub fn dashed(label: &str, colour: Colour, points: Vec<(f64, f64)>) -> Series {
        Series {
            label: Some(label.into()),
            colour,
            style: Style::Line {
                width: 2,
                dashed: true,
            },
            points,
        }
    }

    /// A thin dashed line: a reference the data are read against, not a fit.
    pub fn reference(label: &str, colour: Colour, points: Vec<(f64, f64)>) -> Series {
        Series {
            label: Some(label.into()),
            colour,
            style: Style::Line {
                width: 1,
                dashed: true,
            },
            points,
        }
    }

    /// Markers at the points.
    pub fn points(
        label: &str,
        colour: Colour,
        marker: Marker,
        filled: bool,
        points: Vec<(f64, f64)>,
    ) -> Series {
        Series {
            label: Some(label.into()),
            colour,
            style: Style::Points {
                marker,
                size: 4,
                filled,
            },
            points,
        }
    }

    /// The same series without a legend entry.
    pub fn unlabelled(mut self) -> Series {
        self.label = None;
        self
    }

    /// The same series with bigger markers / thicker lines.
    pub fn emphasised(mut self) -> Series {
        self.style = match self.style {
            Style::Line { dashed, .. } => Style::Line { width: 3, dashed },
            Style::Points { marker, filled, .. } => Style::Points {
                marker,
                size: 7,
                filled,
            },
        };
        self
    }
}

/// A shaded region between lo(x) and hi(x): points are (x, lo, hi), in increasing x.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The legend entry, if any.
    pub label: Option<String>,
    /// The fill colour (drawn translucent).
    pub colour: Colour,
    /// (x, y_lo, y_hi) points.
    pub points: Vec<(f64, f64, f64)>,
}

/// One set of axes.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The panel's title.
    pub title: String,
    /// Axis labels, with units, e.g. "training compute C_train (FLOPs)".
    pub x_label: String,
    /// The y axis label.
    pub y_label: String,
    /// Whether the x axis is logarithmic.
    pub x_log: bool,
    /// Whether the y axis is logarithmic.
    pub y_log: bool,
    /// Shaded bands, drawn first.
    pub bands: Vec<Band>,
    /// Lines and points, drawn in order.
    pub series: Vec<Series>,
}

impl Panel {
    /// An empty panel with a title and axis labels.
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Panel {
        Panel {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_log: false,
            y_log: false,
            bands: Vec::new(),
            series: Vec::new(),
        }
    }

    /// The panel with a logarithmic x axis.
    pub fn log_x(mut self) -> Panel {
        self.x_log = true;
        self
    }

    /// The panel with a logarithmic y axis.
    pub fn log_y(mut self) -> Panel {
        self.y_log = true;
        self
    }

    /// The panel with `series` added.
    pub fn with_series(mut self, series: Series) -> Panel {
        self.series.push(series);
        self
    }

    /// The panel with `band` added.
    pub fn with_band(mut self, band: Band) -> Panel {
        self.bands.push(band);
        self
    }
}

/// Where legends go. Either way they have their own strip and never cover data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendPlacement {
    /// One legend below all panels, with each label once.
    Shared,
    /// A legend below each panel, for panels whose series differ.
    PerPanel,
}

/// A titled grid of panels.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The figure's title.
    pub title: String,
    /// The panels, left to right, top to bottom.
    pub panels: Vec<Panel>,
    /// Panels per row.
    pub columns: usize,
    /// Pixel size of one panel (plot area plus its axes and title).
    pub panel_size: (u32, u32),
    /// Where the legend goes.
    pub legend: LegendPlacement,
}

impl Figure {
    /// A figure with all panels in one row, 560×440 px each, and a shared legend.
    pub fn new(title: &str, panels: Vec<Panel>) -> Figure {
        let columns = panels.len().max(1);
        Figure {
            title: title.into(),
            panels,
            columns,
            panel_size: (560, 440),
            legend: LegendPlacement::Shared,
        }
    }

    /// The figure with its panels in `columns` columns.
    pub fn with_columns(mut self, columns: usize) -> Figure {
        self.columns = columns.max(1);
        self
    }

    /// The figure with its legend at `legend`.
    pub fn with_legend(mut self, legend: LegendPlacement) -> Figure {
        self.legend = legend;
        self
    }
}
