//! The public reference data beside the project (`../shared/data`, see the README), for tests. Tests that read
//! it are marked `#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]`: the crate's
//! build script sets `no_shared_data` when the folder is missing, so such tests show as ignored, with the
//! reason, instead of passing without checking anything.

use std::path::PathBuf;

/// Path of `name` in the reference data folder; panics with a clear message when it is missing.
pub fn shared_data(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    assert!(
        path.is_file(),
        "reference data file {} is missing: put the shared folder beside the project (see README, \"Tests\")",
        path.display()
    );
    path
}
