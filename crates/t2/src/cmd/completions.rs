//! `t2 completions SHELL` and `t2 man`: shell completions (clap_complete) and the man page (clap_mangen),
//! printed to stdout.

use clap::CommandFactory;

use super::{print, CmdResult, Status};

/// Print shell completions for t2.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 completions bash > t2.bash   # then: source t2.bash, or copy it to ~/.local/share/bash-completion/completions/t2\n  \
    t2 completions zsh > _t2        # then: put it in a folder of your $fpath")]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the man page of t2 (roff).
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 man > t2.1   # then: man ./t2.1")]
pub struct ManArgs {}

pub fn run<C: CommandFactory>(args: Args) -> CmdResult {
    let mut command = C::command();
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut command, "t2", &mut bytes);
    print(&String::from_utf8_lossy(&bytes));
    Ok(Status::default())
}

pub fn man<C: CommandFactory>(_args: ManArgs) -> CmdResult {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(C::command())
        .render(&mut bytes)
        .map_err(|e| super::bad(format!("cannot render the man page: {e}")))?;
    print(&String::from_utf8_lossy(&bytes));
    Ok(Status::default())
}
