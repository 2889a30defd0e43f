//! Legends in their own strip: entries flow left to right and wrap, so they never cover data.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::backend::{rgb, Draw};
use crate::figure::{Colour, Marker, Panel, Style};

const FONT_SIZE: u32 = 14;
const ROW_HEIGHT: u32 = 22;
const SWATCH: i32 = 30;
const GAP: i32 = 22;

/// What a legend entry shows beside its label.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Series(Style),
    Band,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub label: String,
    pub colour: Colour,
    pub key: Key,
}

/// The labelled bands and series of the panels, each label once, in order of appearance.
pub fn entries<'a>(panels: impl Iterator<Item = &'a Panel>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for panel in panels {
        let bands = panel
            .bands
            .iter()
            .filter_map(|b| b.label.clone().map(|l| (l, b.colour, Key::Band)));
        let series = panel
            .series
            .iter()
            .filter_map(|s| s.label.clone().map(|l| (l, s.colour, Key::Series(s.style))));
        for (label, colour, key) in bands.chain(series) {
            if !out.iter().any(|e| e.label == label) {
                out.push(Entry { label, colour, key });
            }
        }
    }
    out
}

fn entry_width(entry: &Entry) -> i32 {
    let text = ("sans-serif", FONT_SIZE)
        .into_font()
        .box_size(&entry.label)
        .map(|(w, _)| w)
        .unwrap_or(0);
    SWATCH + 8 + text as i32 + GAP
}

/// Top-left positions of the entries when flowed into rows of `width` pixels, and the rows used.
fn layout(entries: &[Entry], width: u32) -> (Vec<(i32, i32)>, u32) {
    let (mut x, mut row) = (10, 0);
    let mut positions = Vec::with_capacity(entries.len());
    for e in entries {
        let w = entry_width(e);
        if x > 10 && x + w > width as i32 {
            x = 10;
            row += 1;
        }
        positions.push((x, 4 + row * ROW_HEIGHT as i32));
        x += w;
    }
    let rows = if entries.is_empty() { 0 } else { row as u32 + 1 };
    (positions, rows)
}

/// Height of the strip the entries need at this width.
pub fn height(entries: &[Entry], width: u32) -> u32 {
    let rows = layout(entries, width).1;
    if rows == 0 {
        0
    } else {
        rows * ROW_HEIGHT + 8
    }
}

/// Draws the entries into `area`.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: &[Entry]) -> Draw<DB> {
    let (positions, _) = layout(entries, area.dim_in_pixel().0);
    for (e, &(x, y)) in entries.iter().zip(&positions) {
        let colour = rgb(e.colour);
        let mid = y + ROW_HEIGHT as i32 / 2;
        match &e.key {
            Key::Band => area.draw(&Rectangle::new(
                [(x, mid - 6), (x + SWATCH, mid + 6)],
                colour.mix(0.25).filled(),
            ))?,
            Key::Series(Style::Line { width, dashed: false }) => area.draw(&PathElement::new(
                vec![(x, mid), (x + SWATCH, mid)],
                colour.stroke_width(*width),
            ))?,
            Key::Series(Style::Line { width, dashed: true }) => {
                for s in 0..3 {
                    let x0 = x + s * 11;
                    area.draw(&PathElement::new(
                        vec![(x0, mid), (x0 + 7, mid)],
                        colour.stroke_width(*width),
                    ))?;
                }
            }
            Key::Series(Style::Points { marker, size, filled }) => {
                let style = if *filled {
                    colour.filled()
                } else {
                    colour.stroke_width(2)
                };
                let centre = (x + SWATCH / 2, mid);
                let size = (*size as i32).min(7);
                match marker {
                    Marker::Circle => area.draw(&Circle::new(centre, size, style))?,
                    Marker::Triangle => area.draw(&TriangleMarker::new(centre, size + 2, style))?,
                    Marker::Cross => area.draw(&Cross::new(centre, size, colour.stroke_width(2)))?,
                }
            }
        }
        area.draw(&Text::new(
            e.label.clone(),
            (x + SWATCH + 8, mid - FONT_SIZE as i32 / 2 - 1),
            ("sans-serif", FONT_SIZE).into_font().color(&BLACK),
        ))?;
    }
    Ok(())
}
