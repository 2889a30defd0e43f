//! What the CSV reader would silently accept, found as the text streams past: a quote left open, a blank line
//! between rows. Rows are counted as a spreadsheet shows them (header = row 1; a quoted cell may span lines;
//! CR LF, LF and a lone CR each end a line, as the CSV reader reads them).

use std::io::Read;

/// The layout seen so far.
#[derive(Default)]
pub struct Layout {
    /// The row being read (1 = the header).
    row: usize,
    quoted: bool,
    /// The row where the open quote opened.
    quote_row: usize,
    /// The line so far has a byte other than a line end.
    content: bool,
    field_start: bool,
    just_closed: bool,
    after_cr: bool,
    /// The first blank line not yet followed only by blank lines.
    blank_row: Option<usize>,
    /// The first fault found.
    fault: Option<String>,
}

impl Layout {
    /// A layout at the start of a file.
    pub fn new() -> Self {
        Layout {
            row: 1,
            field_start: true,
            ..Layout::default()
        }
    }

    /// The first fault found so far: a blank line between rows.
    pub fn fault(&self) -> Option<&str> {
        self.fault.as_deref()
    }

    /// Reads `bytes`, the text's next bytes. Outside quotes, a run of bytes without a quote or a line end only
    /// says the line has content and whether a field starts after it (it ends in a comma); inside quotes, a run
    /// without a quote changes nothing: such runs are passed over at once (memchr), each quote and line end
    /// stepped through.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while self.fault.is_none() {
            let special = if self.quoted {
                memchr::memchr(b'"', bytes)
            } else {
                memchr::memchr3(b'"', b'\n', b'\r', bytes)
            };
            let run = &bytes[..special.unwrap_or(bytes.len())];
            if let (Some(&last), false) = (run.last(), self.quoted) {
                self.after_cr = false;
                self.just_closed = false;
                self.content = true;
                self.field_start = last == b',';
            }
            let Some(at) = special else { return };
            self.step(bytes[at]);
            bytes = &bytes[at + 1..];
        }
    }

    fn step(&mut self, byte: u8) {
        let after_cr = std::mem::take(&mut self.after_cr);
        if self.quoted {
            if byte == b'"' {
                self.quoted = false;
                self.just_closed = true;
            }
            return;
        }
        let closed = std::mem::take(&mut self.just_closed);
        match byte {
            // A quote opens a quoted cell at the start of a field, or is an escaped "" inside one.
            b'"' if self.field_start || closed => {
                self.quoted = true;
                if self.field_start {
                    self.quote_row = self.row;
                }
                self.content = true;
                self.field_start = false;
            }
            // The LF of a CR LF: the line ended at the CR.
            b'\n' if after_cr => {}
            b'\n' | b'\r' => {
                self.after_cr = byte == b'\r';
                self.end_line();
            }
            b',' => {
                self.content = true;
                self.field_start = true;
            }
            _ => {
                self.content = true;
                self.field_start = false;
            }
        }
    }

    fn end_line(&mut self) {
        if self.content {
            if let Some(blank) = self.blank_row {
                self.fault = Some(blank_between(blank));
            }
            self.row += 1;
        } else {
            self.blank_row.get_or_insert(self.row);
        }
        self.content = false;
        self.field_start = true;
    }

    /// The verdict at the end of the text: the first fault, or a quote never closed.
    pub fn finish(&self) -> Result<(), String> {
        if let Some(fault) = &self.fault {
            return Err(fault.clone());
        }
        if self.quoted {
            return Err(format!(
                "row {} opens a quote (\") that is never closed",
                self.quote_row
            ));
        }
        match self.blank_row {
            Some(blank) if self.content => Err(blank_between(blank)),
            _ => Ok(()),
        }
    }
}

fn blank_between(row: usize) -> String {
    format!("row {row} is blank, between rows of data: remove it")
}

/// A reader that shows every byte it passes on to a [`Layout`].
pub struct Watched<R> {
    inner: R,
    /// What the bytes so far look like.
    pub layout: Layout,
}

impl<R> Watched<R> {
    /// `inner`, watched from its start.
    pub fn new(inner: R) -> Self {
        Watched {
            inner,
            layout: Layout::new(),
        }
    }
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.layout.feed(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(text: &[u8], chunk: usize) -> Result<(), String> {
        let mut layout = Layout::new();
        for part in text.chunks(chunk) {
            layout.feed(part);
        }
        layout.finish()
    }

    #[test]
    fn faults_are_found_whatever_the_chunks() {
        for chunk in [1, 2, 3, 7, 1000] {
            assert_eq!(verdict(b"a,b\r\n1,2\r\n\r\n", chunk), Ok(()));
            assert_eq!(verdict(b"a,b\r1,2\r3,4", chunk), Ok(()));
            assert_eq!(
                verdict(b"a,b\r\n1,2\r\n\r\n3,4\r\n", chunk).unwrap_err(),
                "row 3 is blank, between rows of data: remove it"
            );
            assert_eq!(
                verdict(b"a,b\n\"1\n\n2\",3\n\n4,5", chunk).unwrap_err(),
                "row 3 is blank, between rows of data: remove it"
            );
            assert_eq!(
                verdict(b"a,b\n1,2\n\"3,\"\"4\n", chunk).unwrap_err(),
                "row 3 opens a quote (\") that is never closed"
            );
        }
    }
}
