//! Running the `t2` binary from the command-line tests.

use std::process::{Command, Output};

/// Runs the `t2` binary of this build with `args`.
pub fn t2(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_t2"))
        .args(args)
        .output()
        .expect("the t2 binary runs")
}

/// Bytes a command printed, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
