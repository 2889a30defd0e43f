//! JSON Lines input: one JSON object per line, as evaluation harnesses write their logs. The file streams as a
//! CSV file does ([`crate::csv_stream`]: gzip and zstd by their first bytes, the inflation cap, UTF-16 refused),
//! and is read as a table of text cells, so [`crate::columns`] validates it as it does a CSV file:
//! - the columns are the first object's fields that hold a string, a number, a boolean or null (null is an
//!   empty cell); fields that hold an object or a list (a prompt, the responses) are not columns;
//! - every later line must have the same columns: a line that lacks one, adds one, or holds an object where
//!   the first held a value is an error naming the line and the field;
//! - a line that is not a JSON object, a blank line between objects, and a line over [`MAX_LINE_BYTES`] are
//!   errors naming the line. Blank lines at the end are fine.
//!
//! Errors name lines, 1-based: the table's rows are numbered as a CSV file's with a header, so the row of
//! line n is n + 1, and [`IngestError::in_lines`] turns one into the other.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;
use serde_json::{Map, Value};

use crate::error::IngestError;
use crate::text_columns::{text_frame, Cells, TextTable};

/// The longest line read (64 MiB): a longer one is refused rather than held.
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// A JSON object of one line.
pub type Object = Map<String, Value>;

/// The lines of a JSON Lines file, as objects.
pub struct Objects {
    path: PathBuf,
    reader: BufReader<Box<dyn Read>>,
    /// Lines read so far.
    line: usize,
    /// The first blank line not yet followed by an object.
    blank: Option<usize>,
    buffer: Vec<u8>,
}

impl Objects {
    /// The objects of the file at `path`.
    pub fn open(path: &Path) -> Result<Objects, IngestError> {
        let text = crate::csv_stream::open(path)?;
        Ok(Objects {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 16, text.read),
            line: 0,
            blank: None,
            buffer: Vec::new(),
        })
    }

    /// The next object and its line (1-based), or None at the end.
    pub fn next_object(&mut self) -> Option<Result<(usize, Object), IngestError>> {
        loop {
            self.buffer.clear();
            let read = (&mut self.reader)
                .take(MAX_LINE_BYTES + 1)
                .read_until(b'\n', &mut self.buffer);
            match read {
                Err(e) => return Some(Err(IngestError::file(&self.path, e.to_string()))),
                Ok(0) => return None,
                Ok(_) => self.line += 1,
            }
            if self.buffer.len() as u64 > MAX_LINE_BYTES {
                return Some(Err(self.at_line(format!(
                    "the line is longer than {} MiB: refused",
                    MAX_LINE_BYTES >> 20
                ))));
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                self.blank.get_or_insert(self.line);
                continue;
            }
            if let Some(blank) = self.blank.take() {
                return Some(Err(IngestError {
                    row: Some(blank + 1),
                    ..IngestError::file(&self.path, "the line is blank, between objects: remove it")
                }
                .in_lines()));
            }
            return Some(match serde_json::from_slice::<Value>(&self.buffer) {
                Ok(Value::Object(object)) => Ok((self.line, object)),
                Ok(other) => Err(self.at_line(format!(
                    "the line holds {}, not a JSON object (one object per line)",
                    kind_of(&other)
                ))),
                Err(e) => Err(self.at_line(format!("not JSON: {e}"))),
            });
        }
    }

    fn at_line(&self, message: String) -> IngestError {
        IngestError {
            row: Some(self.line + 1),
            ..IngestError::file(&self.path, message)
        }
        .in_lines()
    }
}

/// "an object", "a list", "a string", … for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value's text as a table cell: a string as it is, a number as JSON writes it, true/false, null as empty;
/// None for an object or a list.
pub fn cell_text(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::Null => Some("".into()),
        Value::Bool(b) => Some(if *b { "true" } else { "false" }.into()),
        Value::Number(n) => Some(n.to_string().into()),
        Value::String(s) => Some(s.as_str().into()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A JSON Lines file checked whole (every line an object with the first line's columns) and read again a batch
/// of lines at a time.
pub struct JsonText {
    path: PathBuf,
    /// The columns: the first object's fields that hold values.
    names: Vec<String>,
    /// Objects in the file.
    rows: usize,
}

impl JsonText {
    /// Reads `path` through once and checks every line.
    pub fn load(path: &Path) -> Result<JsonText, IngestError> {
        let mut objects = Objects::open(path)?;
        let mut names: Option<Vec<String>> = None;
        let mut rows = 0;
        while let Some(next) = objects.next_object() {
            let (line, object) = next?;
            match &names {
                None => {
                    names = Some(
                        object
                            .iter()
                            .filter(|(_, v)| cell_text(v).is_some())
                            .map(|(k, _)| k.clone())
                            .collect(),
                    )
                }
                Some(names) => check_fields(path, line, names, &object)?,
            }
            rows += 1;
        }
        let names = names.unwrap_or_default();
        if rows > 0 && names.is_empty() {
            return Err(IngestError::file(
                path,
                "the first line has no field holding a value (only objects and lists): nothing to read as columns",
            ));
        }
        Ok(JsonText {
            path: path.to_path_buf(),
            names,
            rows,
        })
    }

    /// The objects `batch` at a time as frames of text columns, each with its first object's 0-based index, read
    /// again from the file (which must not change between passes).
    fn read_batches(
        &self,
        batch: usize,
    ) -> impl Iterator<Item = Result<(usize, DataFrame), IngestError>> + '_ {
        let mut objects = Objects::open(&self.path);
        let mut first = 0;
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            let objects = match objects.as_mut() {
                Ok(objects) => objects,
                Err(e) => {
                    done = true;
                    return Some(Err(e.clone()));
                }
            };
            let mut columns = vec![Cells::default(); self.names.len()];
            let mut read = 0;
            while read < batch.max(1) {
                let Some(next) = objects.next_object() else { break };
                let (line, object) = match next {
                    Ok(next) => next,
                    Err(e) => {
                        done = true;
                        return Some(Err(e));
                    }
                };
                if let Err(e) = check_fields(&self.path, line, &self.names, &object) {
                    done = true;
                    return Some(Err(e));
                }
                for (cells, name) in columns.iter_mut().zip(&self.names) {
                    let text = object.get(name).and_then(cell_text).unwrap_or_default();
                    cells.push(text.as_bytes());
                }
                read += 1;
            }
            if read == 0 {
                done = true;
                if first != self.rows {
                    return Some(Err(IngestError::file(
                        &self.path,
                        format!(
                            "the file changed while t2 read it (it had {} objects, now {first})",
                            self.rows
                        ),
                    )));
                }
                return None;
            }
            let at = first;
            first += read;
            Some(text_frame(&self.path, &self.names, columns).map(|frame| (at, frame)))
        })
    }
}

impl TextTable for JsonText {
    fn rows(&self) -> usize {
        self.rows
    }

    fn batches(
        &self,
        batch: usize,
    ) -> Box<dyn Iterator<Item = Result<(usize, DataFrame), IngestError>> + '_> {
        Box::new(self.read_batches(batch))
    }

    fn empty(&self) -> Result<DataFrame, IngestError> {
        text_frame(&self.path, &self.names, vec![Cells::default(); self.names.len()])
    }
}

/// Errors unless `object` (at `line`) has exactly the value fields `names`.
fn check_fields(path: &Path, line: usize, names: &[String], object: &Object) -> Result<(), IngestError> {
    let at = |name: &str, message: String| IngestError::cell(path, line + 1, name, message).in_lines();
    for name in names {
        match object.get(name) {
            None => {
                return Err(at(
                    name,
                    "the line lacks this field, which the first line has: every line needs the same fields"
                        .into(),
                ))
            }
            Some(value) if cell_text(value).is_none() => {
                return Err(at(
                    name,
                    format!(
                        "the field holds {} here but a value on the first line",
                        kind_of(value)
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    if let Some((extra, _)) = object
        .iter()
        .find(|(k, v)| cell_text(v).is_some() && !names.contains(k))
    {
        return Err(at(
            extra,
            "the first line lacks this field: every line needs the same fields".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<DataFrame, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, text).unwrap();
        JsonText::load(&path).and_then(|t| t.all()).map_err(|e| {
            let message = e.to_string();
            message[message.find("log.jsonl").unwrap()..].to_string()
        })
    }

    #[test]
    fn objects_become_rows_of_text_cells_and_lists_are_not_columns() {
        let frame = read(
            "{\"problem\": \"a\", \"correct\": true, \"n\": 3, \"note\": null, \"resps\": [[\"x\"]], \"doc\": {}}\n\
             {\"problem\": \"b\", \"correct\": false, \"n\": 1.5e3, \"note\": \"hi\", \"resps\": [], \"doc\": {\"q\": 1}}\n\n",
        )
        .unwrap();
        let names: Vec<&str> = frame.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, ["correct", "n", "note", "problem"]);
        let text = |name: &str| -> Vec<String> {
            let column = frame.column(name).unwrap().str().unwrap().clone();
            column.iter().map(|v| v.unwrap_or("?").to_string()).collect()
        };
        assert_eq!(text("correct"), ["true", "false"]);
        assert_eq!(text("n"), ["3", "1500.0"]);
        assert_eq!(text("note"), ["", "hi"]);
    }

    #[test]
    fn errors_name_the_line_and_the_field() {
        let first = "{\"problem\": \"a\", \"correct\": 1}\n";
        for (rest, expected) in [
            (
                "{\"problem\": \"b\"}\n",
                "log.jsonl, line 2, column 'correct': the line lacks this field",
            ),
            (
                "{\"problem\": \"b\", \"correct\": 1, \"x\": 2}\n",
                "line 2, column 'x': the first line lacks",
            ),
            (
                "{\"problem\": [1], \"correct\": 1}\n",
                "line 2, column 'problem': the field holds a list here",
            ),
            ("[1, 2]\n", "line 2: the line holds a list, not a JSON object"),
            ("{\"problem\": \"b\",\n", "line 2: not JSON: EOF while parsing"),
            (
                "\n{\"problem\": \"b\", \"correct\": 0}\n",
                "line 2: the line is blank, between objects",
            ),
        ] {
            let error = read(&format!("{first}{rest}")).unwrap_err();
            assert!(error.starts_with(expected) || error.contains(expected), "{error}");
        }
    }
}
