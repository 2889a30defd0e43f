//! `t2`: Train-to-Test (T²) scaling laws from the command line. A thin layer over t2-core (math), t2-ingest
//! (reading data), t2-fit (fitting) and t2-plot (figures).

mod cmd;
mod estimates_table;
mod fitfile;
mod input;
mod progress;

use clap::{Parser, Subcommand};

/// Train-to-Test (T²) scaling laws: fit loss and pass@k of a model sweep jointly in parameters N, training
/// tokens D and test-time samples k, then plan compute-optimal N*, D*, k* against the Chinchilla baseline.
#[derive(Parser)]
#[command(
    name = "t2",
    version,
    after_help = "Examples:\n  \
        t2 inspect data/example_sweep.csv\n  \
        t2 fit chinchilla ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' \\\n      \
        --col train_flops='Training FLOP' --drop-highest-loss 5 --bootstrap 1000 --seed 0 --out fits/epoch.json\n  \
        t2 run   # the whole job on the shipped example sweep: fits/ and plots/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Ingest(cmd::ingest::Args),
    Inspect(cmd::inspect::Args),
    #[command(subcommand)]
    Fit(cmd::fit::FitCommand),
    Simulate(cmd::simulate::Args),
    Plan(cmd::plan::Args),
    Plot(cmd::plot::Args),
    Compare(cmd::compare::Args),
    Run(cmd::run::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Fit(f) => cmd::fit::run(f),
        Command::Simulate(a) => cmd::simulate::run(a),
        Command::Plan(a) => cmd::plan::run(a),
        Command::Plot(a) => cmd::plot::run(a),
        Command::Compare(a) => cmd::compare::run(a),
        Command::Run(a) => cmd::run::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
