//! `t2 fit t2` (being built).

use crate::cmd::CmdResult;

/// (being built)
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> CmdResult {
    Err("t2 fit t2 is not implemented yet".into())
}
