//! Files t2 writes, written so that a reader never sees half of one: the bytes go to a temporary file in the
//! same folder, are flushed to disk, and the temporary file is renamed over the target (a rename within one
//! file system is atomic). A full disk, a crash or `kill -9` leaves the old file as it was; two writers never
//! interleave (the last rename wins). Every writer goes through [`write_atomically`], which also refuses:
//! - an output that is a file this process has read ([`note_read`]: same device and inode, whatever the path
//!   that names it; recorded once [`track_reads`] is on, as the `t2` binary turns it), so no command destroys
//!   its own input;
//! - an output that exists and is not a regular file (a FIFO, a device such as /dev/null, a folder): t2 writes
//!   regular files only. A symbolic link to a regular file is written through (its target is replaced).
//!
//! The temporary file is created exclusively (O_EXCL) under a name no other process can guess, gets the mode of
//! the file it replaces, and temporaries left by killed writers of the same target are removed. Also: the FNV-1a
//! fingerprint of a file, and the check that an output is not one of the inputs.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// A file's identity: device, inode, size and modification time (so that a later file that reuses a deleted
/// input's inode is not mistaken for it).
type Identity = (u64, u64, u64, i64, i64);

/// The files this process has read.
fn read_files() -> &'static Mutex<HashSet<Identity>> {
    static READ: OnceLock<Mutex<HashSet<Identity>>> = OnceLock::new();
    READ.get_or_init(Default::default)
}

/// The identity of the file at `path`, following links; None when it does not exist.
fn identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((
            meta.dev(),
            meta.ino(),
            meta.size(),
            meta.mtime(),
            meta.mtime_nsec(),
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

static TRACKING: AtomicBool = AtomicBool::new(false);

/// Whether [`note_read`] records files: off by default, since a library's caller may read and rewrite a file
/// on purpose; the `t2` binary, whose process is one command, turns it on first thing. Hosts whose calls are
/// separate commands (the Python package) leave it off and name each write's inputs themselves
/// ([`refuse_overwriting_inputs`]).
pub fn track_reads(on: bool) {
    TRACKING.store(on, Ordering::Relaxed);
}

/// Records that this process read `path`: [`write_atomically`] will never replace it. Every reader of t2
/// calls it.
pub fn note_read(path: &Path) {
    if !TRACKING.load(Ordering::Relaxed) {
        return;
    }
    if let Some(id) = identity(path) {
        if let Ok(mut read) = read_files().lock() {
            read.insert(id);
        }
    }
}

/// The file `path` names for writing: a symbolic link is followed to its target; an existing target must be a
/// regular file this process has not read.
fn target_of(path: &Path) -> io::Result<PathBuf> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)
            .map_err(|e| refused(format!("is a symbolic link whose target cannot be written ({e})")))?,
        _ => path.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => Err(refused(format!(
            "is not a regular file ({}): t2 writes regular files only; choose another output path",
            if meta.is_dir() {
                "a folder"
            } else {
                "a FIFO, socket or device"
            }
        ))),
        Ok(_) if identity(&target).is_some_and(|id| read_files().lock().is_ok_and(|r| r.contains(&id))) => {
            Err(refused(
                "is a file this command read: writing it would destroy its input; choose another output path",
            ))
        }
        _ => Ok(target),
    }
}

/// An output path t2 will not write, as an error of kind [`io::ErrorKind::InvalidInput`] (bad usage, unlike a
/// write that failed).
fn refused(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.into())
}

/// Creates `dir` and its parents; a file where a folder must be is refused naming it (the system says only
/// "File exists").
pub fn create_folder(dir: &Path) -> io::Result<()> {
    if let Some(file) = dir.ancestors().find(|a| a.exists()).filter(|a| !a.is_dir()) {
        return Err(refused(format!(
            "{} is a file, not a folder: the output cannot go inside it",
            file.display()
        )));
    }
    std::fs::create_dir_all(dir)
}

/// Writes `path` through `write`, atomically (see the module docs), creating its folder.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let target = target_of(path)?;
    let dir = match target.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => {
            create_folder(dir)?;
            dir.to_path_buf()
        }
        None => PathBuf::from("."),
    };
    remove_abandoned_temporaries(&dir, &target);
    let mode = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let (temporary, file) = create_temporary(&dir, &target)?;
    let result = (|| {
        if let Some(mode) = mode {
            file.set_permissions(mode)?;
        }
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temporary, &target)
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

/// The temporaries of `target`: `.<file name>.<pid>.<random>.tmp`.
fn temporary_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map_or("t2".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.")
}

/// A new temporary file beside `target`, created exclusively under a name with 64 unpredictable bits.
fn create_temporary(dir: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        let path = dir.join(format!(
            "{}{}.{:016x}.tmp",
            temporary_prefix(target),
            std::process::id(),
            hasher.finish()
        ));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Removes the temporaries of `target` whose writer is gone (its process no longer runs: a kill or a crash);
/// where processes cannot be looked up, nothing is removed.
fn remove_abandoned_temporaries(dir: &Path, target: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = temporary_prefix(target);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".tmp")) else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Longest slug [`file_slug`] makes, before its hash.
pub const SLUG_MAX: usize = 48;

/// A file-name part made from untrusted text (a task name from the data): ASCII letters, digits, `-` and `_`
/// kept, every other character (`/`, `.`, spaces, control characters, non-ASCII) a `-`, at most [`SLUG_MAX`]
/// characters; when that changed the text (or left it empty), `-` and 8 hex digits of its hash follow, so two
/// names never share a slug by accident. The result never holds a path separator or starts with a dot.
pub fn file_slug(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(SLUG_MAX)
        .collect();
    if kept == text && !kept.is_empty() {
        kept
    } else {
        format!("{kept}-{:08x}", fnv1a64(FNV_OFFSET, text.as_bytes()) as u32)
    }
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
    let hash = fingerprint_unless_stopped(path, &AtomicBool::new(false))?;
    Ok(hash.expect("never stopped"))
}

/// [`fingerprint`], given up (`None`) as soon as `stop` is set.
pub fn fingerprint_unless_stopped(path: &Path, stop: &AtomicBool) -> io::Result<Option<String>> {
    let mut file = File::open(path)?;
    note_read(path);
    let mut buffer = vec![0u8; 1 << 16];
    let mut hash = FNV_OFFSET;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(Some(format!("{hash:016x}")));
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
    fn a_file_this_process_read_is_never_replaced_whatever_its_name() {
        track_reads(true);
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("sweep.csv");
        std::fs::write(&input, "data").unwrap();
        let other_name = dir.path().join("link.csv");
        std::fs::hard_link(&input, &other_name).unwrap();
        note_read(&input);
        let error = write_bytes(&other_name, b"overwritten").unwrap_err();
        assert!(error.to_string().contains("this command read"), "{error}");
        assert_eq!(std::fs::read(&input).unwrap(), b"data");
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_links_written_through_and_the_mode_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let error = write_bytes(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        assert!(write_bytes(dir.path(), b"x").is_err());
        // A link to a regular file: the target is replaced, the link stays a link.
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_bytes(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn temporaries_of_dead_writers_are_removed_and_new_ones_are_not_predictable() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("fit.json");
        // A writer killed mid-write left this (pid 0x7fffffff runs nowhere).
        let abandoned = dir.path().join(format!(
            "{}{}.0123456789abcdef.tmp",
            temporary_prefix(&target),
            i32::MAX
        ));
        std::fs::write(&abandoned, "half").unwrap();
        let (first, _) = create_temporary(dir.path(), &target).unwrap();
        let (second, _) = create_temporary(dir.path(), &target).unwrap();
        assert_ne!(first, second);
        std::fs::remove_file(&first).unwrap();
        std::fs::remove_file(&second).unwrap();
        write_bytes(&target, b"whole").unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["fit.json".to_string()]);
    }

    #[test]
    fn slugs_of_hostile_names_stay_in_their_folder_and_keep_plain_names() {
        assert_eq!(file_slug("arith"), "arith");
        assert_eq!(file_slug("code_v2-b"), "code_v2-b");
        for hostile in [
            "../../../../x",
            "a/b",
            "..",
            ".hidden",
            "",
            "a\u{1b}[2Jb",
            "naïve",
            &"x".repeat(500),
        ] {
            let slug = file_slug(hostile);
            assert!(!slug.contains(['/', '\\', '.']), "{slug}");
            assert!(slug.len() <= SLUG_MAX + 9 && !slug.is_empty(), "{slug}");
            assert_ne!(slug, hostile);
        }
        // Names that differ only in replaced characters get different slugs.
        assert_ne!(file_slug("a/b"), file_slug("a b"));
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
