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
use std::sync::Arc;

use polars::prelude::DataFrame;

use crate::csv_check::{explained, read_error, Check, SEEK_STRIDE};
use crate::csv_layout::Watched;
use crate::error::IngestError;
use crate::text_columns::{text_frame, Cells, TextTable};

/// Bytes the CSV reader asks for at a time.
const READ_BUFFER: usize = 1 << 16;

/// A CSV file whose rows are checked (encoding, layout, header, every row's cell count and UTF-8) in one pass on
/// a thread of its own ([`crate::csv_check`]), and read again from the file a batch of rows at a time: a
/// per-problem log needs one batch in memory, not the file (a string per cell for every row took about ten times
/// the file). The rows the pass has passed can be read while it goes on; a fault it finds is the error reported
/// for any read of the file ([`CsvText::settle`]).
pub struct CsvText {
    path: PathBuf,
    /// The header's names.
    names: Vec<String>,
    /// The checking pass (running, or ended).
    check: Arc<Check>,
    /// The file is not compressed: any batch of rows can be read on its own, from the nearest seek point the
    /// pass recorded before it ([`CsvText::rows_at`]), by any thread.
    seekable: bool,
}

impl CsvText {
    /// Opens `path`, checks its encoding and header, and starts the pass that checks its rows. Errors: an
    /// unreadable file, a bad encoding, a header that cannot be read (or a layout fault that explains it).
    pub fn load(path: &Path) -> Result<CsvText, IngestError> {
        let text = crate::csv_stream::open(path)?;
        let file_offset = text.file_offset;
        let mut reader = csv_reader(Watched::new(text.read));
        let header = match reader.byte_headers() {
            Ok(header) => header.clone(),
            Err(e) => {
                let error = read_error(path, None, &e, 0);
                return Err(explained(path, &mut reader, error));
            }
        };
        let names = header_names(path, &header).map_err(|error| explained(path, &mut reader, error))?;
        Ok(CsvText {
            path: path.to_path_buf(),
            check: Check::start(path, reader, names.clone(), file_offset),
            names,
            seekable: file_offset.is_some(),
        })
    }

    /// Whether the file has a data row, once the pass has passed one or ended (then its fault, if any).
    pub fn has_rows(&self) -> Result<bool, IngestError> {
        Ok(self.passed(1)? > 0)
    }

    /// The error to report for a read of this file that failed with `error`: the pass's fault, if it finds one
    /// (waiting for the pass to end), else `error`.
    pub fn settle(&self, error: IngestError) -> IngestError {
        self.check.settle(error)
    }

    /// Data rows the pass has passed when at least `rows` are (or all of them, fewer, once it has ended well);
    /// waits until then. Errors: the pass's fault, when it ends with one before `rows`.
    pub fn passed(&self, rows: usize) -> Result<usize, IngestError> {
        let passed = self.check.wait_for(rows);
        match passed.end {
            Some(Err(fault)) if passed.rows < rows => Err(fault),
            _ => Ok(passed.rows),
        }
    }

    /// The rows `batch` at a time, each with the file's 0-based index of its first data row, read again from the
    /// file in order once the pass has ended well (the file must not change meanwhile: a different row count is
    /// an error).
    fn read_batches(
        &self,
        batch: usize,
    ) -> impl Iterator<Item = Result<(usize, DataFrame), IngestError>> + '_ {
        let mut opened = self.check.finished().and_then(|total| {
            let text = crate::csv_stream::open(&self.path)?;
            Ok((csv_reader(text.read), total))
        });
        let mut first = 0;
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            let (reader, total) = match opened.as_mut() {
                Ok((reader, total)) => (reader, *total),
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
            if read == 0 || first + read > total {
                done = true;
                if first + read != total {
                    let now = format!("{}{}", if read > 0 { "at least " } else { "" }, first + read);
                    return Some(Err(self.changed(format!("it had {total} data rows, now {now}"))));
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
        self.seekable
    }

    /// Data rows `first..first + count` (0-based), read from the nearest seek point before them once the pass
    /// has passed them. None when the file is compressed (it can only be read in order: [`CsvText::batches`]).
    pub fn rows_at(&self, first: usize, count: usize) -> Option<Result<DataFrame, IngestError>> {
        if !self.seekable {
            return None;
        }
        Some((|| {
            let passed = self.passed(first + count)?;
            let point = first / SEEK_STRIDE;
            let offset = match self.check.seek_point(point) {
                Some(offset) if passed >= first + count => offset,
                _ => return Err(self.changed(format!("data row {} is no longer there", first + count))),
            };
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
            if skipped != skip || read != count {
                let gone = first + skipped.min(skip) + read;
                return Err(self.changed(format!("data row {gone} is no longer there")));
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

    /// The error for a file whose rows differ from those the checking pass read (`what`: how).
    fn changed(&self, what: String) -> IngestError {
        IngestError::file(&self.path, format!("the file changed while t2 read it ({what})"))
    }

    /// A frame of `columns` (text cells) named as the header.
    fn frame(&self, columns: Vec<Cells>) -> Result<DataFrame, IngestError> {
        text_frame(&self.path, &self.names, columns)
    }
}

impl TextTable for CsvText {
    /// Data rows in the file, once the pass has ended (the rows it passed, if it found a fault).
    fn rows(&self) -> usize {
        self.check.wait_for(usize::MAX).rows
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

    /// The first row, once the pass has passed it (not waiting for the rest).
    fn head(&self) -> Result<DataFrame, IngestError> {
        if !self.has_rows()? {
            return self.empty();
        }
        let mut reader = csv_reader(crate::csv_stream::open(&self.path)?.read);
        let (columns, _) = self.read_rows(&mut reader, 0, 1)?;
        self.frame(columns)
    }
}

impl Drop for CsvText {
    /// The pass stops when no one needs it (a read that failed on a cell need not wait for it).
    fn drop(&mut self) {
        self.check.stop();
    }
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
