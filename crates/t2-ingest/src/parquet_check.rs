//! Checks what a Parquet file declares against what it holds, before polars decodes it: a decoder trusts the
//! footer's row counts and the page headers' sizes and value counts, and allocates by them (one corrupt byte
//! has asked for 2.3e18 bytes, which aborts the process: not a panic, not catchable). Every row group and column
//! chunk must lie inside the file; every page header must fit its chunk, declare at most the rows of its row
//! group and an uncompressed size its compressed bytes can hold; the pages must add up to the chunk's values.

use std::io::{BufReader, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use polars_parquet::parquet::compression::Compression;
use polars_parquet::parquet::metadata::FileMetadata;
use polars_parquet::parquet::read::read_metadata;
use polars_parquet_format::thrift::protocol::TCompactInputProtocol;
use polars_parquet_format::{PageHeader, PageType};
use t2_core::words::counted;

/// Largest expansion a compressed page may claim: 2^14 (deflate tops out near 1032:1, zstd and snappy on long
/// runs reach a few thousand).
const MAX_EXPANSION: usize = 1 << 14;

/// Largest uncompressed page t2 accepts: 2^31 bytes.
const MAX_PAGE_BYTES: usize = 1 << 31;

/// Checks `path` (see the module docs) and returns its footer (read once: every batch's reader reuses it); the
/// error says what is wrong, for a message naming the file.
pub fn check(path: &Path) -> Result<Arc<FileMetadata>, String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let length = file.metadata().map_err(|e| format!("cannot read: {e}"))?.len();
    let metadata = read_metadata(&mut file).map_err(|e| format!("not a readable Parquet file ({e})"))?;
    let rows: usize = metadata.row_groups.iter().map(|g| g.num_rows()).sum();
    if rows != metadata.num_rows {
        return Err(format!(
            "the footer declares {} but its row groups hold {rows}: truncated or corrupt",
            counted(metadata.num_rows, "row")
        ));
    }
    for (g, group) in metadata.row_groups.iter().enumerate() {
        for column in group.parquet_columns() {
            let range = column.byte_range();
            if range.start > range.end || range.end > length {
                return Err(format!(
                    "row group {g} reaches past the end of the file ({length} bytes): truncated or corrupt"
                ));
            }
            let flat = column.descriptor().descriptor.max_rep_level == 0;
            let values =
                usize::try_from(column.num_values()).map_err(|_| corrupt(g, "a negative value count"))?;
            if flat && values > group.num_rows() {
                return Err(corrupt(
                    g,
                    "a column with more values than the row group has rows",
                ));
            }
            let chunk = Chunk {
                range,
                values,
                uncompressed_codec: column.compression() == Compression::Uncompressed,
                rows: group.num_rows(),
                flat,
            };
            check_pages(&mut file, &chunk).map_err(|what| corrupt(g, &what))?;
        }
    }
    Ok(Arc::new(metadata))
}

fn corrupt(group: usize, what: &str) -> String {
    format!("row group {group} declares {what}: corrupt")
}

/// One column chunk as its footer declares it.
struct Chunk {
    range: std::ops::Range<u64>,
    values: usize,
    uncompressed_codec: bool,
    /// Rows of its row group.
    rows: usize,
    /// No repetition: at most one value per row.
    flat: bool,
}

/// The pages of one column chunk, read header by header from `file` (each page's data skipped): each must fit
/// the chunk, declare at most the row group's rows (a flat column) and an uncompressed size its compressed
/// bytes can hold; the data pages must add up to the chunk's values.
fn check_pages(file: &mut std::fs::File, chunk: &Chunk) -> Result<(), String> {
    let io = |e: std::io::Error| format!("a page that cannot be read ({e})");
    let mut reader = BufReader::new(file);
    reader.seek(SeekFrom::Start(chunk.range.start)).map_err(io)?;
    let mut at = chunk.range.start;
    let mut values = 0usize;
    while values < chunk.values {
        let left = chunk.range.end.saturating_sub(at);
        if left == 0 {
            return Err(format!("{} values but pages holding {values}", chunk.values));
        }
        let header = {
            let mut protocol = TCompactInputProtocol::new(&mut reader, left as usize);
            PageHeader::read_from_in_protocol(&mut protocol)
                .map_err(|e| format!("a page header that cannot be read ({e})"))?
        };
        let start = reader.stream_position().map_err(io)?;
        let size = |v: i32, what: &str| usize::try_from(v).map_err(|_| format!("a negative {what}"));
        let compressed = size(header.compressed_page_size, "page size")?;
        let uncompressed = size(header.uncompressed_page_size, "page size")?;
        if start + compressed as u64 > chunk.range.end {
            return Err(format!(
                "a page of {compressed} bytes where {} remain",
                chunk.range.end.saturating_sub(start)
            ));
        }
        let limit = if chunk.uncompressed_codec {
            compressed
        } else {
            compressed.saturating_mul(MAX_EXPANSION).max(1 << 16)
        };
        if uncompressed > limit.min(MAX_PAGE_BYTES) {
            return Err(format!("a page of {uncompressed} bytes stored in {compressed}"));
        }
        let count = match header.type_ {
            PageType::DATA_PAGE => header.data_page_header.map(|h| h.num_values),
            PageType::DATA_PAGE_V2 => header.data_page_header_v2.map(|h| h.num_values),
            PageType::DICTIONARY_PAGE => {
                let entries = header.dictionary_page_header.map_or(0, |h| h.num_values);
                if size(entries, "dictionary size")? > uncompressed.max(1) {
                    return Err("a dictionary with more entries than bytes".into());
                }
                Some(0)
            }
            _ => Some(0),
        }
        .ok_or("a data page without its header")?;
        let count = size(count, "value count")?;
        if chunk.flat && count > chunk.rows {
            return Err(format!(
                "a page of {count} values in a row group of {}",
                counted(chunk.rows, "row")
            ));
        }
        values += count;
        at = start + compressed as u64;
        reader.seek(SeekFrom::Start(at)).map_err(io)?;
    }
    if values != chunk.values {
        return Err(format!("{} values but pages holding {values}", chunk.values));
    }
    Ok(())
}
