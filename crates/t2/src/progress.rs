//! Progress of long fits on stderr: an indicatif bar on a terminal; elsewhere (logs, CI, notebooks) a line
//! every few seconds with the steps done and the time elapsed, so a long fit is never silent.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use t2_pipeline::sweep::Progress;

/// Seconds between progress lines when stderr is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// Progress on stderr (see the module docs).
pub struct Stderr {
    bar: Mutex<Option<ProgressBar>>,
    terminal: bool,
    done: AtomicU64,
    total: AtomicU64,
    label: Mutex<String>,
    started: Mutex<Instant>,
    last_line: Mutex<Instant>,
}

impl Stderr {
    pub fn new() -> Stderr {
        Stderr {
            bar: Mutex::new(None),
            terminal: std::io::stderr().is_terminal(),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            label: Mutex::new(String::new()),
            started: Mutex::new(Instant::now()),
            last_line: Mutex::new(Instant::now()),
        }
    }
}

impl Progress for Stderr {
    fn begin(&self, total: u64, label: &str) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        *self.label.lock().unwrap_or_else(|e| e.into_inner()) = label.to_string();
        let now = Instant::now();
        *self.started.lock().unwrap_or_else(|e| e.into_inner()) = now;
        *self.last_line.lock().unwrap_or_else(|e| e.into_inner()) = now;
        if self.terminal && total > 0 {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let template = format!("{{bar:40}} {{pos}}/{{len}} {label}, {{elapsed}} elapsed, ETA {{eta}}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            *self.bar.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            bar.inc(1);
            return;
        }
        let mut last = self.last_line.lock().unwrap_or_else(|e| e.into_inner());
        if last.elapsed() >= LINE_EVERY {
            *last = Instant::now();
            let elapsed = self.started.lock().unwrap_or_else(|e| e.into_inner()).elapsed();
            say!(
                "{done}/{} {} done, {:.0} s elapsed",
                self.total.load(Ordering::Relaxed),
                self.label.lock().unwrap_or_else(|e| e.into_inner()),
                elapsed.as_secs_f64()
            );
        }
    }

    fn end(&self) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
        }
    }
}
