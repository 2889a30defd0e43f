//! t2-plot: data-oriented figures (PNG and SVG from the same drawing code) with an embedded font.
//!
//! A [`Figure`] is a grid of [`Panel`]s; a panel holds [`Series`] (lines or points) and shaded [`Band`]s in
//! data coordinates, with optional log10 axes whose ticks read as powers of ten. Legends are drawn in their own
//! strip (below the figure or below each panel), never over the data. The crate knows nothing about fits: the
//! caller maps its results to series.
//!
//! ```
//! use t2_plot::{Colour, Figure, Panel, Series};
//! let panel = Panel::new("Loss", "parameters N", "loss (nats)").log_x()
//!     .with_series(Series::line("fit", Colour::BLUE, vec![(1e7, 3.0), (1e9, 2.5)]));
//! let figure = Figure::new("Example", vec![panel]);
//! let png = figure.png_bytes().unwrap();
//! assert_eq!(&png[1..4], b"PNG");
//! assert!(figure.svg_string().unwrap().starts_with("<svg"));
//! ```

#![warn(missing_docs)]

mod axis;
mod backend;
mod figure;
mod font;
mod legend;
mod render;
mod svg;

pub use axis::format_tick;
pub use figure::{Band, Colour, Figure, LegendPlacement, Marker, Panel, Series, Style};
pub use render::PlotError;
