//! `t2 inspect` (being built).

use super::CmdResult;

/// (being built)
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> CmdResult {
    Err("t2 inspect is not implemented yet".into())
}
