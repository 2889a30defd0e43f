//! One module per subcommand; each has an `Args` (clap) and a `run`.

pub mod compare;
pub mod fit;
pub mod ingest;
pub mod inspect;
pub mod plan;
pub mod plot;
pub mod run;
pub mod simulate;

/// The error type of every subcommand: a message for the user.
pub type CmdResult = Result<(), Box<dyn std::error::Error>>;
