//! `t2 simulate` (being built).

use super::CmdResult;

/// (being built)
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> CmdResult {
    Err("t2 simulate is not implemented yet".into())
}
