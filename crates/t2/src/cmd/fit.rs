//! `t2 fit`: the Chinchilla baseline alone, or all T² forms together.

pub mod args;
mod chinchilla;
mod t2;

pub use args::SweepArgs;

use super::CmdResult;

/// Fit scaling laws to a sweep with bootstrap intervals: `t2 fit chinchilla` (the baseline L(N, D), Epoch
/// compatible) or `t2 fit t2` (Chinchilla, Approach 1 and Approach 2 together, per task).
#[derive(clap::Subcommand)]
#[command(after_help = "Examples:\n  \
    t2 fit t2 data/example_sweep.csv --bootstrap 100 --seed 0 --out fits/example_t2.json\n  \
    t2 fit chinchilla ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' \\\n      \
    --col train_flops='Training FLOP' --drop-highest-loss 5 --out fits/epoch.json")]
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
