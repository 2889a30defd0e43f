//! Consecutive shapes of one opaque run drawn by one `<path>`, in the same order and the same places:
//!
//! - Lines and polylines (the run unfilled and undashed) become the subpaths of one path. A path strokes each
//!   subpath on its own, with no join between them, as the separate elements were stroked; opaque strokes that
//!   overlap look the same painted in one element or in several.
//! - Circles of one radius become the vertices of an unstroked path that draws a marker, the circle, at each
//!   vertex ([`MIN_MARKED`] or more of them). Markers are painted in vertex order, each as the circle was.
//!
//! Coordinates are relative (`l5-2`), so a scatter of 1,000 markers costs about 8 bytes a point instead of 34.
//! Only integer coordinates, as plotters writes them, are merged.
//!
//! Checked on the committed figures, each rendered from plotters' SVG and from this one:
//! - in Chromium (all 35): markers render pixel for pixel as the circles did; merged strokes differ only in the
//!   antialiasing of their edges, by at most 12 of 255 levels, on a few hundred to a few thousand edge pixels;
//! - in librsvg (`rsvg-convert`, the README's route to PDF; parity, frontier, isoFLOP, metric-against-k and
//!   comparison): parity, frontier and metric-against-k pixel for pixel, the others within 24 levels on at most
//!   184 edge pixels.

use std::fmt::Write;

use super::parse::{write_attributes, Attributes, Element};
use super::style::Sheet;

/// The fewest circles worth a marker: below it, the path's class costs more than the circles it replaces.
const MIN_MARKED: usize = 3;

/// A point in whole user units.
type Point = (i64, i64);

/// The markers of one figure: (run attributes, radius) and the `<marker>` element drawn for them.
pub(crate) struct Markers {
    /// The figure's id, which prefixes every marker's id.
    id: String,
    defined: Vec<((Attributes, String), String)>,
}

impl Markers {
    pub fn new(id: &str) -> Markers {
        Markers {
            id: id.to_string(),
            defined: Vec::new(),
        }
    }

    /// The `<defs>` of the markers used, or nothing when none was.
    pub fn write(&self, out: &mut String) {
        if self.defined.is_empty() {
            return;
        }
        out.push_str("<defs>\n");
        for (_, marker) in &self.defined {
            out.push_str(marker);
        }
        out.push_str("</defs>\n");
    }

    /// The id of the marker that draws a circle of radius `r` with the run's attributes, defined on first use.
    fn marker(&mut self, shared: &Attributes, r: &str) -> Option<String> {
        let key = (shared.clone(), r.to_string());
        if let Some(at) = self.defined.iter().position(|(k, _)| *k == key) {
            return Some(format!("{}-m{at}", self.id));
        }
        let radius: f64 = r.parse().ok().filter(|r: &f64| r.is_finite() && *r >= 0.0)?;
        let stroke_width: f64 = match shared.iter().find(|(n, _)| n == "stroke-width") {
            Some((_, w)) => w.parse().ok().filter(|w: &f64| w.is_finite() && *w >= 0.0)?,
            None => 1.0,
        };
        // The marker's box holds the whole stroked circle, with a unit to spare for antialiasing.
        let centre = (radius + stroke_width / 2.0 + 1.0).ceil();
        let id = format!("{}-m{}", self.id, self.defined.len());
        let mut marker = format!(
            "<marker id=\"{id}\" markerUnits=\"userSpaceOnUse\" markerWidth=\"{w}\" markerHeight=\"{w}\" \
             refX=\"{centre}\" refY=\"{centre}\" overflow=\"visible\"><circle cx=\"{centre}\" cy=\"{centre}\" \
             r=\"{r}\"",
            w = 2.0 * centre
        );
        write_attributes(&mut marker, shared);
        marker.push_str("/></marker>\n");
        self.defined.push((key, marker));
        Some(id)
    }
}

/// The run's elements with consecutive lines, polylines and circles merged into paths where that draws the same.
pub(crate) fn merge(
    shared: &Attributes,
    elements: Vec<Element>,
    markers: &mut Markers,
    sheet: &mut Sheet,
) -> Vec<Element> {
    let translucent = shared
        .iter()
        .chain(elements.iter().flat_map(|e| &e.attributes))
        .any(|(name, _)| name.ends_with("opacity"));
    if translucent {
        return elements;
    }
    let has = |name: &str, value: Option<&str>| {
        shared
            .iter()
            .any(|(n, v)| n == name && value.is_none_or(|value| v == value))
    };
    let strokes_merge = has("fill", Some("none")) && !has("stroke-dasharray", None);
    let mut out = Vec::with_capacity(elements.len());
    let mut i = 0;
    while i < elements.len() {
        if strokes_merge {
            let strokes: Vec<Vec<Point>> = elements[i..].iter().map_while(stroke_points).collect();
            if strokes.len() >= 2 {
                out.push(stroke_path(&strokes));
                i += strokes.len();
                continue;
            }
        }
        if let Some(r) = elements[i].attribute("r") {
            let centres: Vec<Point> = elements[i..].iter().map_while(|e| circle_centre(e, r)).collect();
            if centres.len() >= MIN_MARKED {
                if let Some(marker) = markers.marker(shared, r) {
                    out.push(marker_path(&centres, &marker, sheet));
                    i += centres.len();
                    continue;
                }
            }
        }
        out.push(elements[i].clone());
        i += 1;
    }
    out
}

/// The points a line or a polyline strokes, if it carries nothing else and its coordinates are whole.
fn stroke_points(element: &Element) -> Option<Vec<Point>> {
    let whole = |name: &str| element.attribute(name)?.parse::<i64>().ok();
    match element.tag.as_str() {
        "line" if element.has_only(&["x1", "y1", "x2", "y2"]) => {
            Some(vec![(whole("x1")?, whole("y1")?), (whole("x2")?, whole("y2")?)])
        }
        "polyline" if element.has_only(&["points"]) => element
            .attribute("points")?
            .split_whitespace()
            .map(|pair| {
                let (x, y) = pair.split_once(',')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect(),
        _ => None,
    }
}

/// The centre of a circle of radius `r` that carries nothing else, if its coordinates are whole.
fn circle_centre(element: &Element, r: &str) -> Option<Point> {
    if element.tag != "circle" || !element.has_only(&["cx", "cy", "r"]) || element.attribute("r") != Some(r) {
        return None;
    }
    Some((
        element.attribute("cx")?.parse().ok()?,
        element.attribute("cy")?.parse().ok()?,
    ))
}

/// One path whose subpaths are `strokes`.
fn stroke_path(strokes: &[Vec<Point>]) -> Element {
    let mut d = PathData::default();
    for stroke in strokes {
        if let Some((first, rest)) = stroke.split_first() {
            d.move_to(*first);
            rest.iter().for_each(|p| d.line_to(*p));
        }
    }
    path(vec![("d".into(), d.text)])
}

/// An unstroked path through `centres` that draws `marker` at each.
fn marker_path(centres: &[Point], marker: &str, sheet: &mut Sheet) -> Element {
    let mut d = PathData::default();
    d.move_to(centres[0]);
    centres[1..].iter().for_each(|p| d.line_to(*p));
    let class = sheet.class(format!(
        "fill:none;stroke:none;marker-start:url(#{marker});marker-mid:url(#{marker});marker-end:url(#{marker})"
    ));
    path(vec![("class".into(), class), ("d".into(), d.text)])
}

fn path(attributes: Attributes) -> Element {
    Element {
        tag: "path".into(),
        attributes,
        body: None,
    }
}

/// Path data written with relative coordinates after the first point.
#[derive(Default)]
struct PathData {
    text: String,
    /// The current point.
    at: Option<Point>,
    /// Whether the last command was a relative moveto or lineto, after which pairs are relative linetos.
    relative_line: bool,
}

impl PathData {
    fn move_to(&mut self, p: Point) {
        match self.at {
            None => {
                let _ = write!(self.text, "M{} {}", p.0, p.1);
                self.relative_line = false;
            }
            Some(at) => {
                self.text.push('m');
                self.pair(p.0 - at.0, p.1 - at.1);
                self.relative_line = true;
            }
        }
        self.at = Some(p);
    }

    fn line_to(&mut self, p: Point) {
        let at = self.at.expect("a lineto follows a moveto");
        if !self.relative_line {
            self.text.push('l');
            self.relative_line = true;
        }
        self.pair(p.0 - at.0, p.1 - at.1);
        self.at = Some(p);
    }

    /// `dx dy`, separated from what comes before by a space only where a minus sign does not separate them.
    fn pair(&mut self, dx: i64, dy: i64) {
        for v in [dx, dy] {
            if v >= 0 && self.text.ends_with(|c: char| c.is_ascii_digit()) {
                self.text.push(' ');
            }
            let _ = write!(self.text, "{v}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_data_is_relative_after_the_first_point() {
        let strokes = vec![
            vec![(859, 361), (864, 359), (866, 358)],
            vec![(871, 357), (878, 354), (878, 354)],
            vec![(883, 352), (891, 350)],
        ];
        assert_eq!(
            stroke_path(&strokes).attribute("d"),
            Some("M859 361l5-2 2-1m5-1 7-3 0 0m5-2 8-2")
        );
        let mut sheet = Sheet::new("t2-0");
        let path = marker_path(&[(3, 4), (5, 4), (5, 10)], "t2-0-m0", &mut sheet);
        assert_eq!(path.attribute("d"), Some("M3 4l2 0 0 6"));
        assert_eq!(path.attribute("class"), Some("a"));
    }
}
