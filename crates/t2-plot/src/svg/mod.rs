//! The SVG that plotters writes, made smaller without changing what it draws: plotters repeats every attribute on
//! every element (a parity figure's 2,441 markers each carry `opacity="1" fill="none" stroke="#000000"
//! stroke-width="2"`), writes each point and segment as an element of its own, and draws a point as often as it
//! is given (a sweep's rows often fall on the same pixel).
//!
//! - Runs of consecutive elements that share their inherited presentation attributes ([`INHERITED`]: fill,
//!   stroke, fonts, …) are wrapped in one `<g>` that carries them once, as a CSS class of the figure's own
//!   ([`style`]). `opacity` is not inherited (on a group it would blend the group as a whole), so it stays on
//!   each element; `opacity="1"`, the default, is dropped.
//! - Within such a run, an element that repeats one already drawn in the run is left out when nothing in it is
//!   translucent: an opaque shape drawn twice in one place looks as it does drawn once, and nothing of another
//!   style lies between the two.
//! - Within an opaque run, consecutive lines and polylines become one path, and consecutive circles one path
//!   with a marker at each vertex ([`merge`]).
//!
//! Anything this reader does not expect (another tag, a nested element, an unquoted attribute) leaves the SVG
//! as plotters wrote it.

mod merge;
mod parse;
mod style;

use std::collections::HashSet;

use parse::{write_attributes, write_element, Attributes, Element};

/// Presentation attributes that SVG children inherit from a `<g>`, so a run may share them.
const INHERITED: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
];

/// Consecutive elements that share their inherited attributes, each drawn once.
struct Run {
    shared: Attributes,
    elements: Vec<Element>,
}

/// `svg` (plotters' output) compacted as the module says; `svg` unchanged if it is not what plotters writes.
pub(crate) fn compact(svg: &str) -> String {
    let Some((head, elements, tail)) = parse::parse(svg) else {
        return svg.to_string();
    };
    let id = style::figure_id(svg);
    let mut sheet = style::Sheet::new(&id);
    let mut markers = merge::Markers::new(&id);
    let mut body = String::with_capacity(svg.len() / 4);
    for run in runs(elements) {
        let drawn = merge::merge(&run.shared, run.elements, &mut markers, &mut sheet);
        write_run(&mut body, &run.shared, drawn, &mut sheet);
    }
    let mut out = String::with_capacity(body.len() + head.len() + 1024);
    out.push_str(&head.replacen("<svg", &format!("<svg id=\"{id}\""), 1));
    out.push('\n');
    sheet.write(&mut out);
    markers.write(&mut out);
    out.push_str(&body);
    out.push_str(tail);
    out
}

/// The elements in runs of shared inherited attributes, less `opacity="1"` and less opaque repeats in a run.
fn runs(elements: Vec<Element>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut drawn: HashSet<Element> = HashSet::new();
    for element in elements {
        let (shared, own): (Vec<_>, Vec<_>) = element
            .attributes
            .into_iter()
            .filter(|(name, value)| !(name == "opacity" && value == "1"))
            .partition(|(name, _)| INHERITED.contains(&name.as_str()));
        let element = Element {
            attributes: own,
            ..element
        };
        if runs.last().is_none_or(|run| run.shared != shared) {
            runs.push(Run {
                shared,
                elements: Vec::new(),
            });
            drawn.clear();
        }
        let run = runs.last_mut().expect("a run was just started");
        let translucent = run
            .shared
            .iter()
            .chain(&element.attributes)
            .any(|(name, _)| name.ends_with("opacity"));
        if !translucent && !drawn.insert(element.clone()) {
            continue;
        }
        run.elements.push(element);
    }
    runs
}

/// A run's elements, in a `<g>` with its shared attributes (a class where they have a CSS form), or alone with
/// the class when it is one element.
fn write_run(out: &mut String, shared: &Attributes, mut drawn: Vec<Element>, sheet: &mut style::Sheet) {
    let class = style::declarations(shared)
        .filter(|_| !shared.is_empty())
        .map(|declarations| sheet.class(declarations));
    let marker_path = |e: &Element| e.tag == "path" && e.attribute("class").is_some();
    match (&class, drawn.as_mut_slice()) {
        // A run drawn by markers alone: the markers carry the run's attributes.
        (_, [only]) if marker_path(only) => write_element(out, only),
        (Some(class), [only]) => {
            only.attributes.insert(0, ("class".into(), class.clone()));
            write_element(out, only);
        }
        _ if shared.is_empty() => drawn.iter().for_each(|e| write_element(out, e)),
        _ => {
            out.push_str("<g");
            match &class {
                Some(class) => write_attributes(out, &[("class".into(), class.clone())]),
                None => write_attributes(out, shared),
            }
            out.push_str(">\n");
            drawn.iter().for_each(|e| write_element(out, e));
            out.push_str("</g>\n");
        }
    }
}

#[cfg(test)]
mod tests;
