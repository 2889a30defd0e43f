//! Words for counts in messages people read, and text made safe to print.

/// "1 row", "3 rows": `count` and the noun, with an "s" when the count is not 1.
///
/// Every message that counts something goes through this, so no message says "1 rows".
pub fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `text` safe for a terminal: every control character but newline and tab (escape sequences that clear the
/// screen or retitle the window, OSC 8 links, carriage returns that overwrite a line, C1 controls) and every
/// bidirectional override (which reorders what the eye reads) is written as a visible escape, `\u{1b}`. Text
/// from the data (task and column names, cells, file names) goes through this before it is printed.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `c` must not reach a terminal raw: a control character other than newline and tab, or a
/// bidirectional override or isolate.
pub fn hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::{counted, printable};

    #[test]
    fn escape_sequences_and_overrides_become_visible_text() {
        assert_eq!(printable("task qa\n\tok"), "task qa\n\tok");
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\ry"), "x\\u{d}y");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(printable("abc\u{202e}def"), "abc\\u{202e}def");
        let osc8 = "\u{1b}]8;;http://x\u{7}click\u{1b}]8;;\u{7}";
        assert!(!printable(osc8).chars().any(|c| c.is_control()));
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "form"), "1 form");
        assert_eq!(counted(0, "row"), "0 rows");
        assert_eq!(counted(3, "task"), "3 tasks");
    }
}
