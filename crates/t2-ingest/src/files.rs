//! Files t2 writes, written so that a reader never sees half of one: the bytes go to a temporary file in the
//! same folder, are flushed to disk, and the temporary file is renamed over the target (a rename within one
//! file system is atomic). A full disk, a crash or `kill -9` leaves the old file as it was; two writers never
//! interleave (the last rename wins). Also: the FNV-1a fingerprint of a file, and the check that an output is
//! not one of the inputs.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `path` through `write`, atomically (see the module docs), creating its folder.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.to_path_buf()
        }
        None => PathBuf::from("."),
    };
    let temporary = temporary_path(&dir, path);
    let result = (|| {
        let file = File::create(&temporary)?;
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically(path, |out| out.write_all(bytes))
}

/// A name in `dir` no other writer uses: `.<file name>.<pid>.<counter>.tmp`.
fn temporary_path(dir: &Path, path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or("t2".into(), |n| n.to_string_lossy().into_owned());
    dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// An error when `output` is the same file as one of `inputs` (writing it would destroy the input).
pub fn refuse_overwriting_inputs(output: &Path, inputs: &[&Path]) -> Result<(), String> {
    let Some(out) = canonical_target(output) else {
        return Ok(());
    };
    match inputs
        .iter()
        .find(|i| std::fs::canonicalize(i).is_ok_and(|i| i == out))
    {
        Some(input) => Err(format!(
            "the output {} is the input {}: writing it would destroy the input; choose another output path",
            output.display(),
            input.display()
        )),
        None => Ok(()),
    }
}

/// The canonical path `output` would have (its folder canonicalised, its name kept); None when the folder does
/// not exist yet (then it cannot be an input).
fn canonical_target(output: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::fs::canonicalize(output) {
        return Some(path);
    }
    let dir = match output.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => std::fs::canonicalize(d).ok()?,
        None => std::env::current_dir().ok()?,
    };
    Some(dir.join(output.file_name()?))
}

/// FNV-1a 64-bit hash of the file's bytes, as 16 hex digits (a content fingerprint, not a security hash), read
/// in chunks.
pub fn fingerprint(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut buffer = vec![0u8; 1 << 16];
    let mut hash = FNV_OFFSET;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(format!("{hash:016x}"));
        }
        hash = fnv1a64(hash, &buffer[..read]);
    }
}

/// [`fingerprint`] of bytes in memory.
pub fn fingerprint_bytes(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a64(FNV_OFFSET, bytes))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a64(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_known_vectors() {
        assert_eq!(format!("{:016x}", fnv1a64(FNV_OFFSET, b"")), "cbf29ce484222325");
        assert_eq!(format!("{:016x}", fnv1a64(FNV_OFFSET, b"a")), "af63dc4c8601ec8c");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fit.json");
        write_bytes(&path, b"old").unwrap();
        let failed = write_atomically(&path, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "the temporary file is removed");
        write_bytes(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn an_output_that_is_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("d.csv");
        std::fs::write(&input, "x").unwrap();
        let same = dir.path().join(".").join("d.csv");
        assert!(refuse_overwriting_inputs(&same, &[&input]).is_err());
        assert!(refuse_overwriting_inputs(&dir.path().join("e.csv"), &[&input]).is_ok());
        assert!(refuse_overwriting_inputs(&dir.path().join("new/e.csv"), &[&input]).is_ok());
    }
}
