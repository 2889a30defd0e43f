//! The SVG that plotters writes, made smaller without changing what it draws: plotters repeats every attribute on
//! every element (a parity figure's 2,441 markers each carry `opacity="1" fill="none" stroke="#000000"
//! stroke-width="2"`), and draws a point as often as it is given (a sweep's rows often fall on the same pixel).
//!
//! - Runs of consecutive elements that share their inherited presentation attributes ([`INHERITED`]: fill,
//!   stroke, fonts, …) are wrapped in one `<g>` that carries them once. `opacity` is not inherited (on a group
//!   it would blend the group as a whole), so it stays on each element; `opacity="1"`, the default, is dropped.
//! - Within such a run, an element that repeats one already drawn in the run is left out when nothing in it is
//!   translucent: an opaque shape drawn twice in one place looks as it does drawn once, and nothing of another
//!   style lies between the two.
//!
//! Anything this reader does not expect (another tag, a nested element, an unquoted attribute) leaves the SVG
//! as plotters wrote it.

use std::collections::HashSet;
use std::fmt::Write;

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

/// The elements plotters writes.
const TAGS: &[&str] = &["rect", "line", "polyline", "polygon", "circle", "text"];

/// Attributes (name, value) in the order written.
type Attributes = Vec<(String, String)>;

/// One element: its tag, attributes in order, and its text (for `<text>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Element {
    pub tag: String,
    pub attributes: Attributes,
    pub body: Option<String>,
}

/// `svg` (plotters' output) with shared attributes grouped and repeated opaque elements within a run dropped;
/// `svg` unchanged if it is not what plotters writes.
pub(crate) fn compact(svg: &str) -> String {
    let Some((head, elements, tail)) = parse(svg) else {
        return svg.to_string();
    };
    let mut out = String::with_capacity(svg.len() / 2);
    out.push_str(head);
    out.push('\n');
    // The run's shared attributes, and the elements drawn in it.
    let mut run: Option<(Attributes, HashSet<Element>)> = None;
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
        if run.as_ref().is_none_or(|(key, _)| *key != shared) {
            if run.is_some() {
                out.push_str("</g>\n");
            }
            out.push_str("<g");
            write_attributes(&mut out, &shared);
            out.push_str(">\n");
            run = Some((shared, HashSet::new()));
        }
        let (key, drawn) = run.as_mut().expect("a run was just started");
        let translucent = key
            .iter()
            .chain(&element.attributes)
            .any(|(name, _)| name.ends_with("opacity"));
        if !translucent && !drawn.insert(element.clone()) {
            continue;
        }
        write_element(&mut out, &element);
    }
    if run.is_some() {
        out.push_str("</g>\n");
    }
    out.push_str(tail);
    out
}

fn write_attributes(out: &mut String, attributes: &[(String, String)]) {
    for (name, value) in attributes {
        let _ = write!(out, " {name}=\"{value}\"");
    }
}

fn write_element(out: &mut String, element: &Element) {
    out.push('<');
    out.push_str(&element.tag);
    write_attributes(out, &element.attributes);
    match &element.body {
        None => out.push_str("/>\n"),
        Some(body) => {
            let _ = writeln!(out, ">{body}</{}>", element.tag);
        }
    }
}

/// The text before the first element (through the `<svg …>` tag), the elements, and the closing `</svg>`.
pub(crate) fn parse(svg: &str) -> Option<(&str, Vec<Element>, &str)> {
    let open = svg.find("<svg")?;
    let start = open + svg[open..].find('>')? + 1;
    let end = svg.rfind("</svg>")?;
    let mut rest = svg.get(start..end)?;
    let mut elements = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (element, after) = parse_element(rest)?;
        elements.push(element);
        rest = after;
    }
    Some((&svg[..start], elements, &svg[end..]))
}

/// The element at the start of `text`, and the text after it.
fn parse_element(text: &str) -> Option<(Element, &str)> {
    let text = text.strip_prefix('<')?;
    let name_end = text.find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
    let tag = &text[..name_end];
    if !TAGS.contains(&tag) {
        return None;
    }
    let mut rest = &text[name_end..];
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("/>") {
            let element = Element {
                tag: tag.to_string(),
                attributes,
                body: None,
            };
            return Some((element, after));
        }
        if let Some(after) = rest.strip_prefix('>') {
            let close = format!("</{tag}>");
            let body_end = after.find(&close)?;
            let body = &after[..body_end];
            if body.contains('<') {
                return None;
            }
            let element = Element {
                tag: tag.to_string(),
                attributes,
                body: Some(body.trim().to_string()),
            };
            return Some((element, &after[body_end + close.len()..]));
        }
        let equals = rest.find("=\"")?;
        let name = &rest[..equals];
        if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '>' || c == '<') {
            return None;
        }
        let value_start = equals + 2;
        let value_end = value_start + rest[value_start..].find('"')?;
        attributes.push((name.to_string(), rest[value_start..value_end].to_string()));
        rest = &rest[value_end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Drawn = Vec<(String, Vec<(String, String)>, Option<String>)>;

    /// Each element of plotters' `svg` with its attributes (sorted, less `opacity="1"`), in drawing order.
    fn as_written(svg: &str) -> Drawn {
        let (_, elements, _) = parse(svg).unwrap();
        elements.into_iter().map(|e| drawn(e, &[])).collect()
    }

    /// Each element of a compacted `svg` with the attributes it ends up with (its group's and its own).
    fn as_compacted(svg: &str) -> Drawn {
        let mut shared: Vec<(String, String)> = Vec::new();
        let mut out = Vec::new();
        for line in svg.lines() {
            if let Some(group) = line.strip_prefix("<g") {
                shared = parse_element(&format!("<rect{group}</rect>"))
                    .unwrap()
                    .0
                    .attributes;
            } else if line == "</g>" {
                shared.clear();
            } else if let Some((element, _)) = parse_element(line) {
                out.push(drawn(element, &shared));
            }
        }
        out
    }

    fn drawn(
        element: Element,
        shared: &[(String, String)],
    ) -> (String, Vec<(String, String)>, Option<String>) {
        let mut attributes: Vec<_> = shared.iter().cloned().chain(element.attributes).collect();
        attributes.retain(|(n, v)| !(n == "opacity" && v == "1"));
        attributes.sort();
        (element.tag, attributes, element.body)
    }

    #[test]
    fn a_figure_draws_the_same_shapes_with_the_same_attributes_less_repeats() {
        let svg = "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">\n\
            <rect x=\"0\" y=\"0\" width=\"10\" height=\"10\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n\
            <circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
            <circle cx=\"5\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
            <circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
            <polygon opacity=\"0.2\" fill=\"#1F77B4\" points=\"1,1 2,2 3,1 \"/>\n\
            <polygon opacity=\"0.2\" fill=\"#1F77B4\" points=\"1,1 2,2 3,1 \"/>\n\
            <circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"none\" stroke=\"#000000\" stroke-width=\"2\"/>\n\
            <text x=\"5\" y=\"8\" dy=\"0.76em\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12.5\" opacity=\"1\" fill=\"#000000\">\n\
            N &lt; 1e9\n\
            </text>\n\
            </svg>\n";
        let small = compact(svg);
        assert!(small.len() < svg.len(), "{small}");
        let mut expected = as_written(svg);
        // The second circle at (3, 4) of the first run goes; the translucent polygon twice stays twice; the
        // circle after the polygons is in a run of its own and stays.
        expected.remove(3);
        assert_eq!(as_compacted(&small), expected);
        assert_eq!(small.matches("<g").count(), 5, "{small}");
        assert!(
            small.contains("<text x=\"5\" y=\"8\" dy=\"0.76em\">N &lt; 1e9</text>"),
            "{small}"
        );
        assert!(!small.contains("opacity=\"1\""));
        assert!(small.starts_with("<svg width=\"10\"") && small.ends_with("</svg>\n"));
    }

    #[test]
    fn what_plotters_does_not_write_is_left_as_it_is() {
        for odd in [
            "<svg><path d=\"M0 0\"/></svg>",
            "<svg><text x=\"1\">a<tspan>b</tspan></text></svg>",
            "<svg><rect x=1/></svg>",
            "no svg here",
        ] {
            assert_eq!(compact(odd), odd);
        }
    }
}
