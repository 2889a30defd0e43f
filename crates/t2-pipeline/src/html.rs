//! HTML for the report: escaped text, tables and inline figures (no script, nothing fetched).

use std::fmt::Write as _;

use crate::error::Error;

/// Text for HTML: &, <, > and quotes escaped.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A table with a header row.
pub fn table(out: &mut String, caption: &str, header: &[&str], rows: &[Vec<String>]) {
    let _ = write!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr>",
        escape(caption)
    );
    for h in header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A figure as an inline `<svg>` element labelled for screen readers with its caption.
pub fn inline_svg(figure: &t2_plot::Figure, caption: &str) -> Result<String, Error> {
    let svg = figure.svg_string()?;
    let svg = svg.trim_start_matches(|c| c != '<');
    let svg = match svg.find("<svg") {
        Some(at) => &svg[at..],
        None => svg,
    };
    Ok(svg.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{}\"", escape(caption)),
        1,
    ))
}
