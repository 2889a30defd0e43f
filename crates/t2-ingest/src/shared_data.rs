//! Locating the public reference data (`../shared/data` beside the project) for tests.

use std::path::PathBuf;

/// Path of `name` in the reference data folder `../shared/data` (relative to the workspace root).
///
/// Returns `None`, after printing a notice, when the file is absent outside CI, so a developer without the data
/// can still run the rest. Under CI (`CI=true`) a missing file is a hard failure with a clear message, so a CI run
/// can never pass by skipping the reference checks.
pub fn shared_data(name: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let path = root.join(name);
    if path.is_file() {
        return Some(path);
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !in_ci,
        "reference data file {} is missing: CI must run with ../shared/data beside the project",
        path.display()
    );
    eprintln!(
        "notice: skipping a reference-data check, {} is missing",
        path.display()
    );
    None
}
