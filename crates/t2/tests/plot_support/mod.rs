//! Running the t2 binary from the plan and plot tests, on the known-parameter fixture.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `t2 ARGS…` and returns its output.
pub fn t2(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_t2"))
        .args(args)
        .output()
        .expect("the t2 binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes the fixture fit file `name` into `dir` (see `plot_fixture::write_fit_file`) and returns its path.
pub fn fixture_file(dir: &Path, name: &str, draws: usize, shift: f64) -> PathBuf {
    let path = dir.join(name);
    crate::plot_fixture::write_fit_file(&path, draws, shift);
    path
}
