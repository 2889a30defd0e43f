//! Reading a CSV file as frames of text columns, a batch of rows at a time, refusing what cannot be read as
//! intended with an error that names the row (and the line where it differs), never guessing:
//! - the text streams from the file ([`crate::csv_stream`]: decompressed, capped, UTF-16 refused), so neither the
//!   file nor its cells are ever whole in memory;
//! - a quote that is never closed is reported at the row where it opens; a blank line between rows is refused
//!   (blank lines at the end are fine) ([`crate::csv_layout`]);
//! - a row with fewer or more cells than the header, a byte sequence that is not UTF-8 (in a cell or the
//!   header), and a header that names a column twice are errors naming the row and column.
//!
//! Cells are kept as text: [`crate::columns`] parses them, so a bad cell is reported where it is.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;

use crate::csv_layout::Watched;
use crate::error::IngestError;
use crate::text_columns::{text_frame, Cells, TextTable};

/// Bytes the CSV reader asks for at a time.
const READ_BUFFER: usize = 1 << 16;

/// A CSV file checked whole (encoding, layout, header, every row's cell count and UTF-8) and read again, from
/// the file, a batch of rows at a time: a per-problem log needs one batch in memory, not the file (a string per
/// cell for every row took about ten times the file).
pub struct CsvText {
    path: PathBuf,
    /// The header's names.
    names: Vec<String>,
    /// Data rows.
    rows: usize,
    /// For a file that is not compressed, the file's byte offset of every [`SEEK_STRIDE`]-th data row (row 0,
    /// row SEEK_STRIDE, …): any batch of rows can then be read on its own ([`CsvText::rows_at`]), by any thread.
    seek_points: Option<Vec<u64>>,
}

/// Data rows between two recorded seek points (8 bytes per 1,024 rows).
const SEEK_STRIDE: usize = 1 << 10;

impl CsvText {
    /// Reads `path` through once and checks it: its encoding, its layout, its header, and every row (cell count
    /// and UTF-8), so a bad row is reported before anything else is done.
    pub fn load(path: &Path) -> Result<CsvText, IngestError> {
        let text = crate::csv_stream::open(path)?;
        let file_offset = text.file_offset;
        let mut reader = csv_reader(Watched::new(text.read));
        // A layout fault explains whatever the CSV reader then makes of the text: it comes first.
        let fail = |reader: &mut csv::Reader<Watched<Box<dyn Read>>>, error: IngestError| {
            let watched = reader.get_mut();
            if let Err(e) = std::io::copy(watched, &mut std::io::sink()) {
                return IngestError::file(path, e.to_string());
            }
            match watched.layout.finish() {
                Err(fault) => IngestError::file(path, fault),
                Ok(()) => error,
            }
        };
        let header = match reader.byte_headers() {
            Ok(header) => header.clone(),
            Err(e) => {
                let error = read_error(path, None, &e, 0);
                return Err(fail(&mut reader, error));
            }
        };
        let names = match header_names(path, &header) {
            Ok(names) => names,
            Err(error) => return Err(fail(&mut reader, error)),
        };
        let mut record = csv::ByteRecord::new();
        let mut rows = 0;
        let mut seek_points = file_offset.map(|_| Vec::new());
        loop {
            let row = crate::error::sheet_row(rows);
            let error = match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => not_utf8(&record).map(|j| {
                    IngestError::cell(
                        path,
                        row,
                        &names[j],
                        "the cell is not UTF-8 text (save the file as UTF-8)",
                    )
                }),
                Err(e) => Some(read_error(path, Some(row), &e, names.len())),
            };
            if let Some(error) = error {
                return Err(fail(&mut reader, error));
            }
            if let Some(fault) = reader.get_ref().layout.fault() {
                return Err(IngestError::file(path, fault));
            }
            if let (Some(points), Some(start)) = (seek_points.as_mut(), file_offset) {
                if rows % SEEK_STRIDE == 0 {
                    points.push(start + record.position().map_or(0, |p| p.byte()));
                }
            }
            rows += 1;
        }
        reader
            .get_ref()
            .layout
            .finish()
            .map_err(|fault| IngestError::file(path, fault))?;
        Ok(CsvText {
            path: path.to_path_buf(),
            names,
            rows,
            seek_points,
        })
    }

    /// The rows `batch` at a time, each with the file's 0-based index of its first data row, read again from the
    /// file (which must not change between passes: a different row count is an error).
    fn read_batches(
        &self,
        batch: usize,
    ) -> impl Iterator<Item = Result<(usize, DataFrame), IngestError>> + '_ {
        let mut reader = crate::csv_stream::open(&self.path).map(|text| csv_reader(text.read));
        let mut first = 0;
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            let reader = match reader.as_mut() {
                Ok(reader) => reader,
                Err(e) => {
                    done = true;
                    return Some(Err(e.clone()));
                }
            };
            let (columns, read) = match self.read_rows(reader, first, batch.max(1)) {
                Ok(read) => read,
                Err(e) => {
                    done = true;
                    return Some(Err(e));
                }
            };
            if read == 0 || first + read > self.rows {
                done = true;
                if first + read != self.rows {
                    return Some(Err(self.changed(first + read, read > 0)));
                }
                return None;
            }
            let at = first;
            first += read;
            Some(self.frame(columns).map(|frame| (at, frame)))
        })
    }

    /// Whether [`CsvText::rows_at`] can read any batch on its own (the file is not compressed).
    pub fn seekable(&self) -> bool {
        self.seek_points.is_some()
    }

    /// Data rows `first..first + count` (0-based), read from the nearest seek point before them. None when the
    /// file is compressed (it can only be read in order: [`CsvText::batches`]).
    pub fn rows_at(&self, first: usize, count: usize) -> Option<Result<DataFrame, IngestError>> {
        let points = self.seek_points.as_ref()?;
        let point = first / SEEK_STRIDE;
        let &offset = points.get(point)?;
        Some((|| {
            let fail = |e: std::io::Error| IngestError::file(&self.path, format!("cannot read: {e}"));
            let mut file = std::fs::File::open(&self.path).map_err(fail)?;
            file.seek(SeekFrom::Start(offset)).map_err(fail)?;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(false)
                .buffer_capacity(READ_BUFFER)
                .from_reader(file);
            let skip = first - point * SEEK_STRIDE;
            let (_, skipped) = self.read_rows(&mut reader, point * SEEK_STRIDE, skip)?;
            let (columns, read) = self.read_rows(&mut reader, first, count)?;
            if skipped != skip || read != count || first + count > self.rows {
                return Err(self.changed(first + skipped.min(skip) + read, true));
            }
            self.frame(columns)
        })())
    }

    /// Up to `count` rows from `reader`, the first being data row `first` (for messages): their cells, by
    /// column, and how many were read.
    fn read_rows<R: Read>(
        &self,
        reader: &mut csv::Reader<R>,
        first: usize,
        count: usize,
    ) -> Result<(Vec<Cells>, usize), IngestError> {
        let mut columns: Vec<Cells> = vec![Cells::default(); self.names.len()];
        let mut record = csv::ByteRecord::new();
        let mut read = 0;
        while read < count {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let row = crate::error::sheet_row(first + read);
                    return Err(read_error(&self.path, Some(row), &e, self.names.len()));
                }
            }
            for (j, cell) in record.iter().enumerate() {
                columns[j].push(cell);
            }
            read += 1;
        }
        Ok((columns, read))
    }

    /// The error for a file whose rows differ from those the first pass counted (`at_least`: it has at least
    /// `rows` now).
    fn changed(&self, rows: usize, at_least: bool) -> IngestError {
        IngestError::file(
            &self.path,
            format!(
                "the file changed while t2 read it (it had {} data rows, now {}{rows})",
                self.rows,
                if at_least { "at least " } else { "" },
            ),
        )
    }

    /// A frame of `columns` (text cells) named as the header.
    fn frame(&self, columns: Vec<Cells>) -> Result<DataFrame, IngestError> {
        text_frame(&self.path, &self.names, columns)
    }
}

impl TextTable for CsvText {
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
        self.frame(vec![Cells::default(); self.names.len()])
    }
}

/// The first cell of `record` that is not UTF-8 text. The row is checked whole (one call, not one per cell),
/// then cell by cell only when it fails or a cell boundary splits a character.
fn not_utf8(record: &csv::ByteRecord) -> Option<usize> {
    if let Ok(text) = std::str::from_utf8(record.as_slice()) {
        let ends = (0..record.len()).filter_map(|j| record.range(j)).map(|r| r.end);
        if ends.into_iter().all(|end| text.is_char_boundary(end)) {
            return None;
        }
    }
    record.iter().position(|cell| std::str::from_utf8(cell).is_err())
}

/// A CSV reader of `text` (a header, then rows) with the project's settings: every row as long as the header.
fn csv_reader<R: Read>(text: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(READ_BUFFER)
        .from_reader(text)
}

/// The header's cells as trimmed names, each UTF-8 and none twice.
fn header_names(path: &Path, header: &csv::ByteRecord) -> Result<Vec<String>, IngestError> {
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
    Ok(names)
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

/// The CSV reader's error at `row`: a row with the wrong number of cells, a failed read (its message whole:
/// the decompression cap explains itself), or another fault.
fn read_error(path: &Path, row: Option<usize>, error: &csv::Error, header_cells: usize) -> IngestError {
    match error.kind() {
        csv::ErrorKind::Io(e) => IngestError::file(path, e.to_string()),
        csv::ErrorKind::UnequalLengths { len, .. } => IngestError {
            row,
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
            row,
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
        // A character split across two cells: the row's bytes without the comma are UTF-8, its cells are not.
        let e = message(b"a,b\n1,2\n3\xc3,\xa94\n");
        assert!(e.contains("row 3, column 'a': the cell is not UTF-8"), "{e}");
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
        assert!(message(&[0x1f, 0x8b]).contains("cannot decompress this gzip file"));
    }
}
