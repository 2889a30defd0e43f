//! Reading a CSV file into a frame of text columns, refusing what cannot be read as intended with an error that
//! names the row (and the line where it differs), never guessing:
//! - compressed files (gzip, zstd) are recognised by their first bytes, whatever their name, and decompressed;
//! - UTF-16 files (a byte-order mark, or NUL bytes) are refused with the advice to save as UTF-8; a UTF-8
//!   byte-order mark is skipped;
//! - a quote that is never closed is reported at the row where it opens; a blank line between rows is refused
//!   (blank lines at the end are fine); CR-only line endings are read as line ends;
//! - a row with fewer or more cells than the header, a byte sequence that is not UTF-8 (in a cell or the
//!   header), and a header that names a column twice are errors naming the row and column.
//!
//! Cells are kept as text: [`crate::columns`] parses them, so a bad cell is reported where it is.

use std::io::Read;
use std::path::Path;

use polars::prelude::{Column, DataFrame};

use crate::error::IngestError;

/// Bytes of a gzip stream's start.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// Bytes of a zstd frame's start.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// The file's bytes, decompressed when they are gzip or zstd.
pub fn file_bytes(path: &Path) -> Result<Vec<u8>, IngestError> {
    let raw = std::fs::read(path).map_err(|e| IngestError::file(path, format!("cannot read: {e}")))?;
    let decompress = |result: std::io::Result<usize>, what: &str, out: Vec<u8>| {
        result
            .map(|_| out)
            .map_err(|e| IngestError::file(path, format!("cannot decompress this {what} file: {e}")))
    };
    if raw.starts_with(&GZIP_MAGIC) {
        let mut out = Vec::new();
        let read = flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut out);
        return decompress(read, "gzip", out);
    }
    if raw.starts_with(&ZSTD_MAGIC) {
        let mut out = Vec::new();
        let read = zstd::stream::read::Decoder::new(raw.as_slice()).and_then(|mut d| d.read_to_end(&mut out));
        return decompress(read, "zstd", out);
    }
    Ok(raw)
}

/// Reads the CSV file `path` (see the module docs) as a frame of text columns named as in its header.
pub fn read_csv(path: &Path) -> Result<DataFrame, IngestError> {
    let bytes = file_bytes(path)?;
    let text = check_encoding(path, &bytes)?;
    check_layout(path, text)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text);
    let header = reader
        .byte_headers()
        .map_err(|e| IngestError::file(path, format!("cannot read the header: {e}")))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(j, name)| {
            std::str::from_utf8(name)
                .map(|s| s.trim().to_string())
                .map_err(|_| {
                    IngestError::file(
                        path,
                        format!(
                            "the header's cell {} is not UTF-8 text (save the file as UTF-8)",
                            j + 1
                        ),
                    )
                })
        })
        .collect::<Result<_, _>>()?;
    check_unique_names(path, &names)?;
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    for (index, record) in reader.byte_records().enumerate() {
        let row = crate::error::sheet_row(index);
        let record = record.map_err(|e| record_error(path, row, &e, names.len()))?;
        for (j, cell) in record.iter().enumerate() {
            let cell = std::str::from_utf8(cell).map_err(|_| {
                IngestError::cell(
                    path,
                    row,
                    &names[j],
                    "the cell is not UTF-8 text (save the file as UTF-8)",
                )
            })?;
            columns[j].push(cell.to_string());
        }
    }
    let height = columns.first().map_or(0, Vec::len);
    let columns: Vec<Column> = names
        .iter()
        .zip(columns)
        .map(|(name, values)| Column::new(name.as_str().into(), values))
        .collect();
    DataFrame::new(height, columns)
        .map_err(|e| IngestError::file(path, format!("cannot build the table: {e}")))
}

/// The bytes as text for the CSV reader: a UTF-8 byte-order mark skipped; UTF-16 refused.
fn check_encoding<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a [u8], IngestError> {
    let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    if utf16 || bytes.iter().take(4096).any(|&b| b == 0) {
        return Err(IngestError::file(
            path,
            "the file is UTF-16 (or binary), not UTF-8 text: save it as UTF-8 CSV",
        ));
    }
    Ok(bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes))
}

/// Checks what the CSV reader would silently accept: a quote left open, a blank line between rows. Rows are
/// counted as a spreadsheet shows them (header = row 1; a quoted cell may span lines).
fn check_layout(path: &Path, text: &[u8]) -> Result<(), IngestError> {
    // CR-only files end their lines with '\r'; all others with '\n' (a '\r' before it belongs to the end).
    let end = if text.contains(&b'\n') { b'\n' } else { b'\r' };
    let blank_between = |row: usize| {
        IngestError::file(
            path,
            format!("row {row} is blank, between rows of data: remove it"),
        )
    };
    let (mut row, mut quoted, mut quote_row) = (1usize, false, 0usize);
    let (mut content, mut field_start, mut just_closed) = (false, true, false);
    let mut blank_row: Option<usize> = None;
    for &byte in text {
        if quoted {
            if byte == b'"' {
                quoted = false;
                just_closed = true;
            }
            continue;
        }
        let closed = std::mem::take(&mut just_closed);
        match byte {
            // A quote opens a quoted cell at the start of a field, or is an escaped "" inside one.
            b'"' if field_start || closed => {
                quoted = true;
                if field_start {
                    quote_row = row;
                }
                content = true;
                field_start = false;
            }
            b if b == end => {
                if content {
                    if let Some(blank) = blank_row {
                        return Err(blank_between(blank));
                    }
                    row += 1;
                } else {
                    blank_row.get_or_insert(row);
                }
                content = false;
                field_start = true;
            }
            b'\r' => {}
            b',' => {
                content = true;
                field_start = true;
            }
            _ => {
                content = true;
                field_start = false;
            }
        }
    }
    if quoted {
        return Err(IngestError::file(
            path,
            format!("row {quote_row} opens a quote (\") that is never closed"),
        ));
    }
    match blank_row {
        Some(blank) if content => Err(blank_between(blank)),
        _ => Ok(()),
    }
}

/// A column named twice in the header (as written, not as polars would rename it).
fn check_unique_names(path: &Path, names: &[String]) -> Result<(), IngestError> {
    for (j, name) in names.iter().enumerate() {
        if names[..j].contains(name) {
            return Err(IngestError::column(
                path,
                name,
                "the header names this column more than once",
            ));
        }
    }
    if names.iter().all(|n| n.is_empty()) {
        return Err(IngestError::file(path, "the header is empty"));
    }
    Ok(())
}

/// The CSV reader's error at `row`: a row with the wrong number of cells, or another fault.
fn record_error(path: &Path, row: usize, error: &csv::Error, header_cells: usize) -> IngestError {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { len, .. } => IngestError {
            row: Some(row),
            ..IngestError::file(
                path,
                format!(
                    "{len} cell{} in this row but {header_cells} columns in the header{}",
                    if *len == 1 { "" } else { "s" },
                    if (*len as usize) < header_cells {
                        ": a cell is missing (an empty cell still needs its comma)"
                    } else {
                        ""
                    }
                ),
            )
        },
        _ => IngestError {
            row: Some(row),
            ..IngestError::file(path, format!("cannot read as CSV: {error}"))
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Result<DataFrame, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        read_csv(&path)
    }

    fn message(text: &[u8]) -> String {
        read(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_plain_crlf_cr_only_bom_and_trailing_blank_lines() {
        for text in [
            &b"a,b\n1,2\n3,4\n"[..],
            b"a,b\r\n1,2\r\n3,4\r\n",
            b"a,b\r1,2\r3,4\r",
            b"\xef\xbb\xbfa,b\n1,2\n3,4\n",
            b"a,b\n1,2\n3,4\n\n\n",
            b"a,b\n1,\"2\"\n\"3,5\",4",
        ] {
            let df = read(text).unwrap();
            assert_eq!((df.height(), df.width()), (2, 2), "{text:?}");
            assert_eq!(df.get_column_names()[0].as_str(), "a");
        }
    }

    #[test]
    fn errors_name_the_row() {
        assert!(message(b"a,b,c\n1,2,3\n4,5\n").contains("row 3: 2 cells in this row but 3 columns"));
        assert!(message(b"a,b\n1,2\n3,4,5\n").contains("row 3: 3 cells in this row but 2 columns"));
        assert!(message(b"a,b\n1,2\n\"3,4\n5,6\n").contains("row 3 opens a quote"));
        assert!(message(b"a,b\n1,2\n\n3,4\n").contains("row 3 is blank"));
        let e = message(b"a,b\n1,2\n3,\xff\n");
        assert!(e.contains("row 3, column 'b': the cell is not UTF-8"), "{e}");
        assert!(message(b"a,\xffb\n1,2\n").contains("header's cell 2 is not UTF-8"));
        assert!(message(b"\xff\xfea\x00,\x00b\x00").contains("UTF-16"));
        assert!(
            message(b"run,run\n1,2\n").contains("column 'run': the header names this column more than once")
        );
        // polars would rename the second `run` to `run_duplicated_0`: a genuine column of that name is fine.
        assert_eq!(read(b"run,run_duplicated_0\n1,2\n").unwrap().width(), 2);
    }

    #[test]
    fn compressed_files_are_read_whatever_their_name() {
        use std::io::Write;
        let text = b"a,b\n1,2\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text).unwrap();
        assert_eq!(read(&gz.finish().unwrap()).unwrap().height(), 1);
        let zst = zstd::encode_all(&text[..], 3).unwrap();
        assert_eq!(read(&zst).unwrap().height(), 1);
        assert!(message(&GZIP_MAGIC).contains("cannot decompress this gzip file"));
    }
}
