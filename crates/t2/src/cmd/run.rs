//! `t2 run` (being built).

use super::CmdResult;

/// (being built)
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> CmdResult {
    Err("t2 run is not implemented yet".into())
}
