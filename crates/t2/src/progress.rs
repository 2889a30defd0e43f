//! Progress bars for long loops (bootstrap resamples, multi-start fits): indicatif on stderr, hidden when
//! stderr is not a terminal (pipes, CI logs and tests stay clean).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar over `total` steps labelled `message` (e.g. "bootstrap") counting `unit` (e.g. "resamples").
/// `ProgressBar` is `Sync`: tick it with `inc(1)` from any rayon thread, and call `finish_and_clear()` at the end.
pub fn bar(total: u64, message: &str, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = format!("{{msg}} [{{bar:40}}] {{pos}}/{{len}} {unit}, {{elapsed}} elapsed, ETA {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_string());
    bar
}

#[cfg(test)]
mod tests {
    #[test]
    fn bar_counts_whatever_the_terminal() {
        let b = super::bar(10, "test", "steps");
        b.inc(3);
        assert_eq!(b.position(), 3);
        b.finish_and_clear();
    }
}
