//! `t2`: Train-to-Test (T²) scaling laws from the command line. A thin layer over the t2 libraries: it parses
//! arguments into their option types, prints what they return, and shows progress.

/// `eprintln!` for the binary: the line goes through [`cmd::to_stderr`], which escapes control characters.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cmd::to_stderr(&(format!($($arg)*) + "\n"))
    };
}

mod cmd;
mod input;
mod progress;

use clap::{Parser, Subcommand};

/// Train-to-Test (T²) scaling laws: fit loss and pass@k of a model sweep jointly in parameters N, training
/// tokens D and test-time samples k, then plan compute-optimal N*, D*, k* against the Chinchilla baseline.
///
/// Exit codes: 0 done; 1 the job failed (a file could not be written), or with --strict a fit or plan is
/// `unreliable`; 2 bad input or usage (the message names the file, row and column).
#[derive(Parser)]
#[command(
    name = "t2",
    version,
    help_expected = true,
    after_help = "Examples:\n  \
        t2 run                                   # the whole job on the shipped example sweep\n  \
        t2 inspect data/example_sweep.csv\n  \
        t2 fit chinchilla ../shared/data/chinchilla_epoch_svg.csv --col params='Model Size' \\\n      \
        --col train_flops='Training FLOP' --drop-highest-loss 5 --out fits/epoch.json\n  \
        t2 plan fits/example_sweep.json --train-flops 1e21,1e23"
)]
struct Cli {
    /// Threads to use, as ripgrep's -j [default: one per core]. Results do not depend on it. Reading a CSV file
    /// also takes a thread each for its checking pass and its fingerprint, beside these.
    #[arg(long, short = 'j', global = true, value_name = "N")]
    threads: Option<usize>,

    #[command(subcommand)]
    command: Command,
}

/// The larger commands' arguments are boxed (the planning flags, the fit options).
#[derive(Subcommand)]
enum Command {
    Ingest(cmd::ingest::Args),
    Inspect(cmd::inspect::Args),
    #[command(subcommand)]
    Fit(Box<cmd::fit::FitCommand>),
    Simulate(cmd::simulate::Args),
    Plan(Box<cmd::plan::Args>),
    Design(Box<cmd::design::Args>),
    Plot(Box<cmd::plot::Args>),
    Compare(Box<cmd::compare::Args>),
    Report(Box<cmd::report::Args>),
    Run(Box<cmd::run::Args>),
    Completions(cmd::completions::Args),
    Man(cmd::completions::ManArgs),
}

fn main() {
    // One process, one command: nothing it read may be overwritten by what it writes.
    t2_ingest::files::track_reads(true);
    let cli = Cli::parse();
    let result = t2_pipeline::threads::install(cli.threads, || run(cli.command)).and_then(|r| r);
    std::process::exit(cmd::exit_code(result));
}

fn run(command: Command) -> cmd::CmdResult {
    match command {
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Fit(f) => cmd::fit::run(*f),
        Command::Simulate(a) => cmd::simulate::run(a),
        Command::Plan(a) => cmd::plan::run(*a),
        Command::Design(a) => cmd::design::run(*a),
        Command::Plot(a) => cmd::plot::run(*a),
        Command::Compare(a) => cmd::compare::run(*a),
        Command::Report(a) => cmd::report::run(*a),
        Command::Run(a) => cmd::run::run(*a),
        Command::Completions(a) => cmd::completions::run::<Cli>(a),
        Command::Man(a) => cmd::completions::man::<Cli>(a),
    }
}
