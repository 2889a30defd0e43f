//! Reading and writing the flat SVG that plotters emits: one `<svg>` holding elements of a few tags, each with
//! quoted attributes and, for `<text>`, a body without markup.

use std::fmt::Write;

/// The elements plotters writes.
const TAGS: &[&str] = &["rect", "line", "polyline", "polygon", "circle", "text"];

/// Attributes (name, value) in the order written.
pub(crate) type Attributes = Vec<(String, String)>;

/// One element: its tag, attributes in order, and its text (for `<text>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Element {
    pub tag: String,
    pub attributes: Attributes,
    pub body: Option<String>,
}

impl Element {
    /// The value of attribute `name`, if the element has it.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the element's attributes are exactly `names`, in any order.
    pub fn has_only(&self, names: &[&str]) -> bool {
        self.attributes.len() == names.len() && names.iter().all(|n| self.attribute(n).is_some())
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
pub(crate) fn parse_element(text: &str) -> Option<(Element, &str)> {
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

/// Writes ` name="value"` for each attribute.
pub(crate) fn write_attributes(out: &mut String, attributes: &[(String, String)]) {
    for (name, value) in attributes {
        let _ = write!(out, " {name}=\"{value}\"");
    }
}

/// Writes the element on a line of its own.
pub(crate) fn write_element(out: &mut String, element: &Element) {
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
