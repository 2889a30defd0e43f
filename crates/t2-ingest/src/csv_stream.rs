//! A CSV file's text as a stream, never whole in memory:
//! - compressed files (gzip, zstd) are recognised by their first bytes, whatever their name, and decompressed as
//!   they are read, stopped with an error past [`inflated_cap`] bytes (a decompression bomb);
//! - UTF-16 files (a byte-order mark, or NUL bytes near the start) are refused with the advice to save as UTF-8;
//!   a UTF-8 byte-order mark is skipped.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::IngestError;

/// Bytes of a gzip stream's start.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// Bytes of a zstd frame's start.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// Bytes at the text's start searched for NUL (a UTF-16 or binary file).
const ENCODING_PROBE: usize = 4096;

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

/// A CSV file's text as a stream.
pub struct Text {
    /// The text, decompressed and past any byte-order mark.
    pub read: Box<dyn Read + Send>,
    /// For a file that is not compressed, where the text starts in the file (past the byte-order mark): a
    /// position in the text plus this is a position in the file, so a reader can seek to a row.
    pub file_offset: Option<u64>,
}

/// The text of the CSV file at `path`, decompressed and past any byte-order mark, as a stream. A read past the
/// inflation cap fails with an I/O error whose message is the whole explanation.
pub fn open(path: &Path) -> Result<Text, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::file(path, format!("cannot read: {e}")))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let (text, compressed) = decompressed(path, BufReader::with_capacity(1 << 16, file), inflated_cap(size))?;
    let (read, bom) = checked_encoding(path, text)?;
    Ok(Text {
        read,
        file_offset: (!compressed).then_some(bom),
    })
}

/// `reader`'s bytes, decompressed when they start as gzip or zstd (then `true`), and stopped past `cap` inflated
/// bytes.
fn decompressed<R: BufRead + Send + 'static>(
    path: &Path,
    mut reader: R,
    cap: u64,
) -> Result<(Box<dyn Read + Send>, bool), IngestError> {
    let start = reader
        .fill_buf()
        .map_err(|e| IngestError::file(path, format!("cannot read: {e}")))?;
    if start.starts_with(&GZIP_MAGIC) {
        let decoder = flate2::bufread::MultiGzDecoder::new(reader);
        return Ok((Box::new(Capped::new(decoder, cap, "gzip")), true));
    }
    if start.starts_with(&ZSTD_MAGIC) {
        let decoder = zstd::stream::read::Decoder::with_buffer(reader)
            .map_err(|e| IngestError::file(path, format!("cannot decompress this zstd file: {e}")))?;
        return Ok((Box::new(Capped::new(decoder, cap, "zstd")), true));
    }
    Ok((Box::new(reader), false))
}

/// `text`, refused when it is UTF-16 or binary, past a UTF-8 byte-order mark (and the mark's length).
fn checked_encoding(
    path: &Path,
    mut text: Box<dyn Read + Send>,
) -> Result<(Box<dyn Read + Send>, u64), IngestError> {
    let mut head = Vec::with_capacity(ENCODING_PROBE);
    (&mut text)
        .take(ENCODING_PROBE as u64)
        .read_to_end(&mut head)
        .map_err(|e| IngestError::file(path, e.to_string()))?;
    let utf16 = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
    if utf16 || head.contains(&0) {
        return Err(IngestError::file(
            path,
            "the file is UTF-16 (or binary), not UTF-8 text: save it as UTF-8 CSV",
        ));
    }
    let bom = if head.starts_with(&[0xef, 0xbb, 0xbf]) {
        3
    } else {
        0
    };
    head.drain(..bom);
    Ok((Box::new(std::io::Cursor::new(head).chain(text)), bom as u64))
}

/// A decompressing reader stopped with an error once it has given more than its cap.
struct Capped<R> {
    inner: R,
    left: u64,
    cap: u64,
    what: &'static str,
}

impl<R> Capped<R> {
    fn new(inner: R, cap: u64, what: &'static str) -> Self {
        Capped {
            inner,
            left: cap,
            cap,
            what,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // Reads one byte past the cap, so a file of exactly `cap` bytes passes.
        let room = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self
            .inner
            .read(&mut buf[..room])
            .map_err(|e| std::io::Error::other(format!("cannot decompress this {} file: {e}", self.what)))?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(format!(
                "this {what} file inflates to more than {cap} bytes ({ratio} times its size, or {min} MiB, \
                 whichever is larger): refused as a likely decompression bomb; set {MAX_INFLATED_ENV}=BYTES to \
                 read it",
                what = self.what,
                cap = self.cap,
                ratio = INFLATION_RATIO_CAP,
                min = MIN_INFLATED_CAP >> 20
            )));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn inflate(bytes: Vec<u8>, cap: u64) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        decompressed(Path::new("x.csv"), std::io::Cursor::new(bytes), cap)
            .map_err(|e| e.to_string())?
            .0
            .read_to_end(&mut out)
            .map_err(|e| e.to_string())?;
        Ok(out)
    }

    #[test]
    fn a_bomb_is_stopped_at_the_cap_without_inflating_whole() {
        // 64 MiB of one byte in a few KB.
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 19).unwrap();
        for _ in 0..64 {
            encoder.write_all(&vec![b'1'; 1 << 20]).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        assert!(bomb.len() < 64 << 10, "{}", bomb.len());
        let error = inflate(bomb.clone(), 1 << 20).unwrap_err();
        assert!(
            error.contains("decompression bomb") && error.contains(MAX_INFLATED_ENV),
            "{error}"
        );
        assert_eq!(inflate(bomb.clone(), 64 << 20).unwrap().len(), 64 << 20);
        assert!(inflate(bomb, (64 << 20) - 1).is_err());
        assert_eq!(inflated_cap(10), MIN_INFLATED_CAP);
        assert_eq!(inflated_cap(10 << 20), 2000 << 20);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&[b'2'; 5000]).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(inflate(gz.clone(), 5000).unwrap().len(), 5000);
        assert!(inflate(gz, 4999)
            .unwrap_err()
            .contains("gzip file inflates to more than 4999 bytes"));
    }
}
