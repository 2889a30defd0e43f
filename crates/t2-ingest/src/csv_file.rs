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
use std::path::{Path, PathBuf};

use polars::prelude::{Column, DataFrame};

use crate::error::IngestError;

/// Bytes of a gzip stream's start.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// Bytes of a zstd frame's start.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// The least a compressed CSV may inflate to before it is refused (256 MiB), whatever its size.
pub const MIN_INFLATED_CAP: u64 = 256 << 20;
/// A compressed CSV may inflate to this many times its own size (or [`MIN_INFLATED_CAP`], the larger): real
/// CSVs compress 5–50×; a decompression bomb inflates thousands of times (122 KB to 4.35 GB).
pub const INFLATION_RATIO_CAP: u64 = 200;
/// The environment variable that sets the cap in bytes instead (for a log that truly inflates further).
pub const MAX_INFLATED_ENV: &str = "T2_MAX_INFLATED_BYTES";

/// The inflated size a compressed file of `compressed` bytes may reach: [`MAX_INFLATED_ENV`] when set, else the
/// larger of [`MIN_INFLATED_CAP`] and [`INFLATION_RATIO_CAP`] times its size.
pub fn inflated_cap(compressed: u64) -> u64 {
    std::env::var(MAX_INFLATED_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| MIN_INFLATED_CAP.max(INFLATION_RATIO_CAP.saturating_mul(compressed)))
}

/// The file's bytes, decompressed when they are gzip or zstd (up to [`inflated_cap`]).
pub fn file_bytes(path: &Path) -> Result<Vec<u8>, IngestError> {
    let raw = std::fs::read(path).map_err(|e| IngestError::file(path, format!("cannot read: {e}")))?;
    let cap = inflated_cap(raw.len() as u64);
    inflate(path, raw, cap)
}

/// `raw`, decompressed when it is gzip or zstd, streamed and stopped past `cap` bytes with an error.
fn inflate(path: &Path, raw: Vec<u8>, cap: u64) -> Result<Vec<u8>, IngestError> {
    let read_capped = |reader: &mut dyn Read, what: &str| -> Result<Vec<u8>, IngestError> {
        let mut out = Vec::new();
        reader
            .take(cap.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| IngestError::file(path, format!("cannot decompress this {what} file: {e}")))?;
        if out.len() as u64 > cap {
            return Err(IngestError::file(
                path,
                format!(
                    "this {what} file inflates to more than {cap} bytes ({} times its size, or {} MiB, whichever \
                     is larger): refused as a likely decompression bomb; set {MAX_INFLATED_ENV}=BYTES to read it",
                    INFLATION_RATIO_CAP,
                    MIN_INFLATED_CAP >> 20
                ),
            ));
        }
        Ok(out)
    };
    if raw.starts_with(&GZIP_MAGIC) {
        return read_capped(&mut flate2::read::MultiGzDecoder::new(raw.as_slice()), "gzip");
    }
    if raw.starts_with(&ZSTD_MAGIC) {
        let mut decoder = zstd::stream::read::Decoder::new(raw.as_slice())
            .map_err(|e| IngestError::file(path, format!("cannot decompress this zstd file: {e}")))?;
        return read_capped(&mut decoder, "zstd");
    }
    Ok(raw)
}

/// A CSV file checked and held as its bytes (the text after any byte-order mark), its rows parsed into frames
/// of text columns a batch at a time: a per-problem log needs the file's bytes and one batch in memory, not a
/// string per cell for every row (which took about ten times the file).
pub struct CsvText {
    path: PathBuf,
    bytes: Vec<u8>,
    /// Where the text starts in `bytes` (after a UTF-8 byte-order mark).
    start: usize,
    /// The header's names.
    names: Vec<String>,
    /// Byte offset of the first data row in the text.
    body: usize,
    /// Data rows.
    rows: usize,
}

impl CsvText {
    /// Reads, decompresses and checks `path`: its encoding, its layout, its header, and every row (cell count
    /// and UTF-8), so a bad row is reported before anything else is done.
    pub fn load(path: &Path) -> Result<CsvText, IngestError> {
        let bytes = file_bytes(path)?;
        let text = check_encoding(path, &bytes)?;
        let start = bytes.len() - text.len();
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
        let mut record = csv::ByteRecord::new();
        let mut rows = 0;
        let mut body = text.len();
        loop {
            let row = crate::error::sheet_row(rows);
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(record_error(path, row, &e, names.len())),
            }
            if rows == 0 {
                body = record.position().map_or(text.len(), |p| p.byte() as usize);
            }
            if let Some(j) = record.iter().position(|cell| std::str::from_utf8(cell).is_err()) {
                return Err(IngestError::cell(
                    path,
                    row,
                    &names[j],
                    "the cell is not UTF-8 text (save the file as UTF-8)",
                ));
            }
            rows += 1;
        }
        Ok(CsvText {
            path: path.to_path_buf(),
            start,
            names,
            body,
            rows,
            bytes,
        })
    }

    /// Data rows in the file.
    pub fn rows(&self) -> usize {
        self.rows
    }

    fn text(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    /// Every row as one frame.
    pub fn all(&self) -> Result<DataFrame, IngestError> {
        match self.batches(usize::MAX).next() {
            Some(whole) => whole.map(|(_, frame)| frame),
            None => self.frame(Vec::new()),
        }
    }

    /// The rows `batch` at a time, each with the file's 0-based index of its first data row.
    pub fn batches(
        &self,
        batch: usize,
    ) -> impl Iterator<Item = Result<(usize, DataFrame), IngestError>> + '_ {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(false)
            .from_reader(&self.text()[self.body.min(self.text().len())..]);
        let mut first = 0;
        std::iter::from_fn(move || {
            let mut columns: Vec<Vec<String>> = vec![Vec::new(); self.names.len()];
            let mut record = csv::ByteRecord::new();
            let mut read = 0;
            while read < batch.max(1) {
                match reader.read_byte_record(&mut record) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => {
                        let row = crate::error::sheet_row(first + read);
                        return Some(Err(record_error(&self.path, row, &e, self.names.len())));
                    }
                }
                for (j, cell) in record.iter().enumerate() {
                    // Checked by `load`.
                    columns[j].push(String::from_utf8_lossy(cell).into_owned());
                }
                read += 1;
            }
            if read == 0 {
                return None;
            }
            let at = first;
            first += read;
            Some(self.frame(columns).map(|frame| (at, frame)))
        })
    }

    /// A frame of `columns` (text cells) named as the header.
    fn frame(&self, columns: Vec<Vec<String>>) -> Result<DataFrame, IngestError> {
        let height = columns.first().map_or(0, Vec::len);
        let columns: Vec<Column> = if columns.is_empty() {
            self.names
                .iter()
                .map(|name| Column::new(name.as_str().into(), Vec::<String>::new()))
                .collect()
        } else {
            self.names
                .iter()
                .zip(columns)
                .map(|(name, values)| Column::new(name.as_str().into(), values))
                .collect()
        };
        DataFrame::new(height, columns)
            .map_err(|e| IngestError::file(&self.path, format!("cannot build the table: {e}")))
    }
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
    // A set, not a search per name: a header of 80,000 columns took 8 s.
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    for name in names {
        if !seen.insert(name.as_str()) {
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
        CsvText::load(&path)?.all()
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
        // A bomb: 64 MiB of one byte in a few KB, stopped at the cap, not inflated whole.
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 19).unwrap();
        for _ in 0..64 {
            encoder.write_all(&vec![b'1'; 1 << 20]).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        assert!(bomb.len() < 64 << 10, "{}", bomb.len());
        let error = inflate(Path::new("bomb.csv"), bomb.clone(), 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("decompression bomb") && error.contains(MAX_INFLATED_ENV),
            "{error}"
        );
        assert_eq!(
            inflate(Path::new("bomb.csv"), bomb, 64 << 20).unwrap().len(),
            64 << 20
        );
        assert_eq!(inflated_cap(10), MIN_INFLATED_CAP);
        assert_eq!(inflated_cap(10 << 20), 2000 << 20);
        assert!(message(&GZIP_MAGIC).contains("cannot decompress this gzip file"));
    }
}
