//! A figure's shared presentation attributes as CSS classes: `<g class="a">` instead of repeating
//! `font-family="sans-serif" font-size="10.48…" fill="#000000"` on every tick label's group.
//!
//! The rules are scoped to the figure's `<svg id>` (`#t2-… .a{…}`), so several figures inlined in one HTML page
//! keep their own classes. A CSS declaration on an element gives it the same value as the presentation attribute
//! it replaces (both are the element's specified value, inherited alike by its children); only attributes whose
//! CSS form is certain are moved, and a run with any other keeps its attributes.

use std::fmt::Write;

use super::parse::Attributes;

/// The presentation attributes whose values carry over to CSS as they are.
const AS_IS: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "font-family",
    "font-weight",
    "font-style",
    "text-anchor",
];

/// The presentation attributes that are unitless user lengths: CSS needs them in `px`.
const LENGTHS: &[&str] = &["stroke-width", "font-size"];

/// The classes of one figure, in the order first used.
pub(crate) struct Sheet {
    /// The figure's `<svg id>`, which scopes every rule.
    id: String,
    /// (declarations, class name).
    classes: Vec<(String, String)>,
}

impl Sheet {
    pub fn new(id: &str) -> Sheet {
        Sheet {
            id: id.to_string(),
            classes: Vec::new(),
        }
    }

    /// The class whose rule is `declarations` (`name:value;…`), declared on first use.
    pub fn class(&mut self, declarations: String) -> String {
        if let Some((_, name)) = self.classes.iter().find(|(d, _)| *d == declarations) {
            return name.clone();
        }
        let name = class_name(self.classes.len());
        self.classes.push((declarations, name.clone()));
        name
    }

    /// The `<style>` element of the classes used, or nothing when none was.
    pub fn write(&self, out: &mut String) {
        if self.classes.is_empty() {
            return;
        }
        out.push_str("<style>");
        for (declarations, name) in &self.classes {
            let _ = write!(out, "#{} .{name}{{{declarations}}}", self.id);
        }
        out.push_str("</style>\n");
    }
}

/// `attributes` as CSS declarations, or `None` when one of them has no CSS form this writer is sure of.
pub(crate) fn declarations(attributes: &Attributes) -> Option<String> {
    let mut out = String::new();
    for (name, value) in attributes {
        let plain = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "#.,-% ".contains(c));
        if !plain {
            return None;
        }
        if !out.is_empty() {
            out.push(';');
        }
        if AS_IS.contains(&name.as_str()) {
            let _ = write!(out, "{name}:{value}");
        } else if LENGTHS.contains(&name.as_str()) && value.parse::<f64>().is_ok_and(f64::is_finite) {
            let _ = write!(out, "{name}:{value}px");
        } else {
            return None;
        }
    }
    Some(out)
}

/// The i-th class name: a, b, …, z, ab, bb, … (i in base 26, least significant letter first).
fn class_name(mut i: usize) -> String {
    let mut name = String::new();
    loop {
        name.push(char::from(b'a' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            return name;
        }
    }
}

/// A figure's id: `t2-` and the 64-bit FNV-1a hash of its SVG, so that the same figure always gets the same id
/// and two figures on one page almost never share one.
pub(crate) fn figure_id(svg: &str) -> String {
    let hash = svg.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("t2-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(pairs: &[(&str, &str)]) -> Attributes {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn lengths_get_px_and_anything_unsure_stays_an_attribute() {
        let text = attributes(&[
            ("text-anchor", "end"),
            ("font-family", "sans-serif"),
            ("font-size", "10.483870967741936"),
            ("fill", "#000000"),
        ]);
        assert_eq!(
            declarations(&text).as_deref(),
            Some("text-anchor:end;font-family:sans-serif;font-size:10.483870967741936px;fill:#000000")
        );
        assert_eq!(
            declarations(&attributes(&[("stroke-width", "2"), ("stroke-dasharray", "5,3")])).as_deref(),
            Some("stroke-width:2px;stroke-dasharray:5,3")
        );
        for unsure in [
            ("font-family", "'Noto Sans'"),
            ("fill", "url(#a)"),
            ("font-size", "1em"),
            ("clip-path", "none"),
            ("fill", ""),
        ] {
            assert_eq!(declarations(&attributes(&[unsure])), None, "{unsure:?}");
        }
    }

    #[test]
    fn classes_are_declared_once_and_named_in_order() {
        let mut sheet = Sheet::new("t2-0");
        assert_eq!(sheet.class("fill:none".into()), "a");
        assert_eq!(sheet.class("fill:red".into()), "b");
        assert_eq!(sheet.class("fill:none".into()), "a");
        let mut out = String::new();
        sheet.write(&mut out);
        assert_eq!(out, "<style>#t2-0 .a{fill:none}#t2-0 .b{fill:red}</style>\n");
        assert_eq!(
            (class_name(25), class_name(26), class_name(27)),
            ("z".into(), "ab".into(), "bb".into())
        );
        assert_ne!(figure_id("<svg/>"), figure_id("<svg />"));
    }
}
