//! Running code that may panic (polars on a malformed file) without the panic reaching the user: the panic is
//! caught at this boundary, its message kept for the error, and nothing is printed (no "thread panicked at",
//! no backtrace). Panics elsewhere keep the default report.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

/// How many guarded calls are running (their panics, on any thread, are silenced).
static GUARDED: AtomicUsize = AtomicUsize::new(0);
/// The message of the last silenced panic.
static LAST: Mutex<Option<String>> = Mutex::new(None);
static HOOK: Once = Once::new();

/// Runs `f`; a panic inside it (or in the threads it waits on) becomes `Err(message)`, printed nowhere.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.load(Ordering::SeqCst) > 0 {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic without a message".into());
                *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some(message);
            } else {
                previous(info);
            }
        }));
    });
    GUARDED.fetch_add(1, Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.fetch_sub(1, Ordering::SeqCst);
    result.map_err(|_| {
        let message = LAST.lock().unwrap_or_else(|e| e.into_inner()).take();
        let first = message.unwrap_or_else(|| "unknown failure".into());
        first.lines().next().unwrap_or("").to_string()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_its_message() {
        assert_eq!(super::quietly(|| 3), Ok(3));
        let caught = super::quietly(|| -> u8 { panic!("bad page\nsecond line") });
        assert_eq!(caught, Err("bad page".to_string()));
    }
}
