//! `t2 fit`: the Chinchilla baseline alone, or all T² forms together.

mod chinchilla;
mod t2;

use super::CmdResult;

#[derive(clap::Subcommand)]
pub enum FitCommand {
    Chinchilla(chinchilla::Args),
    T2(t2::Args),
}

pub fn run(command: FitCommand) -> CmdResult {
    match command {
        FitCommand::Chinchilla(a) => chinchilla::run(a),
        FitCommand::T2(a) => t2::run(a),
    }
}
