//! One module per subcommand; each has an `Args` (clap) and a `run` that turns the arguments into the
//! libraries' options, calls them, and prints.

pub mod budget;
pub mod choice;
pub mod compare;
pub mod completions;
pub mod design;
pub mod fit;
pub mod ingest;
pub mod inspect;
pub mod plan;
pub mod plot;
pub mod report;
pub mod run;
pub mod simulate;

use std::io::Write;

use t2_fit::Verdict;
use t2_pipeline::setting::Setting;
use t2_pipeline::Error;

/// How a command prints its results (`--format`): text for people, or JSON for machines.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrintFormat {
    /// Aligned text.
    #[default]
    Text,
    /// Pretty-printed JSON.
    Json,
}

/// `value` as pretty JSON with a final newline. serde_json escapes the C0 control characters; DEL, the C1
/// controls and bidirectional overrides ([`t2_core::words::hostile`], which it leaves raw, and which only occur
/// inside strings) are escaped here as JSON escapes (`\u009b`), so the JSON prints unchanged through [`print`]
/// and still parses.
pub fn json(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default() + "\n";
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hostile =
            (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if hostile {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// How a command ended when it did not fail: whether `--strict` found an `unreliable` result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Status {
    pub strict_failure: bool,
}

impl Status {
    /// The status of results with these verdicts, `strict` or not.
    pub fn of(strict: bool, verdicts: impl IntoIterator<Item = Verdict>) -> Status {
        Status {
            strict_failure: strict && verdicts.into_iter().any(|v| v == Verdict::Unreliable),
        }
    }
}

/// The result of every subcommand.
pub type CmdResult = Result<Status, Error>;

/// The process exit code of a command's result, after printing its error: 0 done, 1 failed or strict
/// failure, 2 bad input.
pub fn exit_code(result: CmdResult) -> i32 {
    match result {
        Ok(Status {
            strict_failure: false,
        }) => 0,
        Ok(Status { strict_failure: true }) => {
            say!("error: --strict: a result is unreliable (see its verdict)");
            1
        }
        Err(e) => {
            say!("error: {}", e.spelled(flag));
            if e.is_bad_input() {
                2
            } else {
                1
            }
        }
    }
}

/// The flag that sets `setting` (an exhaustive match: a new option must be given its flag here).
pub fn flag(setting: Setting) -> &'static str {
    match setting {
        Setting::Bootstrap => "--bootstrap",
        Setting::Level => "--level",
        Setting::HoldoutShare => "--holdout-share",
        Setting::TrainWhere => "--train-where",
        Setting::HoldoutWhere => "--holdout-where",
        Setting::HuberDelta => "--huber-delta",
        Setting::Delta => "--delta",
        Setting::Starts => "--starts",
        Setting::GridAxis => "--grid-axis",
        Setting::Constraints => "--pin/--bound",
        Setting::Budgets => "--budgets",
        Setting::Task => "--task",
        Setting::Cluster => "--cluster",
        Setting::Points => "--points",
        Setting::TrainFlops => "--train-flops",
        Setting::InferenceFlops => "--inference-flops",
        Setting::TotalFlops => "--total-flops",
        Setting::Queries => "--queries",
        Setting::PromptTokens => "--prompt-tokens",
        Setting::TokensPerSample => "--tokens-per-sample",
        Setting::UniqueTokens => "--unique-tokens",
        Setting::RepetitionHorizon => "--repetition-horizon",
        Setting::Params => "--params",
        Setting::Tokens => "--tokens",
        Setting::TargetLoss => "--target-loss",
        Setting::TargetPassAtK => "--target-pass-at-k",
        Setting::DesignBudget => "--budget",
        Setting::MaxRunFlops => "--max-run-flops",
        Setting::TargetTrainFlops => "--target-train-flops",
        Setting::Threads => "--threads",
        Setting::Out => "--out",
        Setting::FitsChosen => "--form/--task",
    }
}

/// Writes `text` to stderr with control characters escaped ([`t2_core::words::printable`]): names and cells from
/// the data never reach the terminal raw. What the binary says on stderr goes through `say!` and this.
pub fn to_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(t2_core::words::printable(text).as_bytes());
}

/// Prints `text` to stdout. A closed stdout (e.g. `| head`) ends the program quietly with status 0, as
/// ripgrep does: every file the command writes is written before it prints.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let text = t2_core::words::printable(text);
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        say!("error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
}

/// A request error (exit code 2).
pub fn bad(message: impl Into<String>) -> Error {
    Error::Request(message.into())
}
