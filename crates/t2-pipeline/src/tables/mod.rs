//! Text for people: number formats, the estimates table of a fit, the summary of a fit file, the comparison of
//! several fits.

use std::fmt::Write as _;

pub mod compare;
pub mod estimates;
pub mod headline;
pub mod ingest;
pub mod summary;

/// Numbers with 5 significant digits; scientific notation outside [1e-3, 1e6); "NaN", "inf" spelled out.
pub fn number(v: f64) -> String {
    significant(v, 5, 1e6)
}

/// Numbers with 3 significant digits (plans and headlines); scientific notation outside [1e-3, 1e4), so a
/// number never shows more digits than it has.
pub fn sig3(v: f64) -> String {
    significant(v, 3, 1e4)
}

fn significant(v: f64, digits: i32, plain_below: f64) -> String {
    if !v.is_finite() {
        return t2_core::real::spelling(v).unwrap_or("NaN").to_string();
    }
    let magnitude = v.abs();
    if magnitude != 0.0 && !(1e-3..plain_below).contains(&magnitude) {
        return format!("{v:.*e}", (digits - 1) as usize);
    }
    let decimals = if magnitude == 0.0 {
        (digits - 1) as usize
    } else {
        (digits - 1 - magnitude.log10().floor() as i32).max(0) as usize
    };
    format!("{v:.decimals$}")
}

pub use t2_core::words::counted;

/// A text cell of a CSV that people open in a spreadsheet: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be run as a formula there (OWASP's CSV injection), so it gets a leading `'`. Numbers
/// are never text cells, so no number changes.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{text}")),
        _ => std::borrow::Cow::Borrowed(text),
    }
}

/// Text from the data as one Markdown table cell: `|` and the characters of links, images, emphasis and code
/// escaped, `<` and `>` as entities (no raw HTML), line breaks as spaces.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '|' | '[' | ']' | '(' | ')' | '!' | '*' | '_' | '`' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Rows of cells as left-aligned columns two spaces apart, trailing spaces trimmed.
pub fn aligned(lines: &[Vec<String>]) -> String {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            lines
                .iter()
                .filter_map(|l| l.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in lines {
        let mut text = String::new();
        for (c, cell) in line.iter().enumerate() {
            let _ = write!(text, "{cell:<w$}  ", w = widths[c]);
        }
        out += text.trim_end();
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_neutralised_and_markdown_cells_escaped() {
        use super::{markdown_cell, spreadsheet_safe};
        assert_eq!(spreadsheet_safe("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("qa"), "qa");
        assert_eq!(markdown_cell("a|b"), "a\\|b");
        assert_eq!(markdown_cell("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(markdown_cell("![x](http://e)"), "\\!\\[x\\]\\(http://e\\)");
    }

    use super::*;

    #[test]
    fn numbers_keep_their_significant_digits() {
        assert_eq!(number(1.81722), "1.8172");
        assert_eq!(number(477.826), "477.83");
        assert_eq!(number(0.347312), "0.34731");
        assert_eq!(number(2.1e22), "2.1000e22");
        assert_eq!(number(0.0), "0.0000");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "inf");
        assert_eq!(sig3(2.6137), "2.61");
        assert_eq!(sig3(1.23456e21), "1.23e21");
        assert_eq!(sig3(0.0123456), "0.0123");
        assert_eq!(sig3(17778.0), "1.78e4");
        assert_eq!(sig3(577.2), "577");
    }
}
