//! Running the t2 binary from the plan and plot tests, on the known-parameter fixture.

use std::path::{Path, PathBuf};

pub use crate::cli_support::{t2, text};

/// Writes the fixture fit file `name` into `dir` (see `plot_fixture::write_fit_file`) and returns its path.
pub fn fixture_file(dir: &Path, name: &str, draws: usize, shift: f64) -> PathBuf {
    let path = dir.join(name);
    crate::plot_fixture::write_fit_file(&path, draws, shift);
    path
}
