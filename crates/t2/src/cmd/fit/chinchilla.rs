//! `t2 fit chinchilla` (being built).

use crate::cmd::CmdResult;

/// (being built)
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> CmdResult {
    Err("t2 fit chinchilla is not implemented yet".into())
}
