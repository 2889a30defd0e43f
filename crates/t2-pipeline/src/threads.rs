//! How many cores a job uses (`--threads`, Python's `threads=`), as ripgrep's `-j`: all of them by default.
//! Results do not depend on it: every parallel step of the libraries gathers its results in a fixed order.

use crate::error::Error;
use crate::setting::Setting;

/// The most threads a job may ask for.
pub const MAX_THREADS: usize = 1024;

/// Runs `job` on `threads` threads (None: rayon's default, one per core).
///
/// # Errors
///
/// [`Error::Option`] ([`Setting::Threads`]) for 0 or more than [`MAX_THREADS`], or a pool that cannot start.
///
/// # Examples
///
/// ```
/// use t2_pipeline::threads::install;
///
/// assert_eq!(install(Some(2), || rayon::current_num_threads()).unwrap(), 2);
/// assert!(install(Some(0), || ()).is_err());
/// ```
pub fn install<T: Send>(threads: Option<usize>, job: impl FnOnce() -> T + Send) -> Result<T, Error> {
    let Some(n) = threads else {
        return Ok(job());
    };
    if !(1..=MAX_THREADS).contains(&n) {
        return Err(Error::option(
            Setting::Threads,
            format!("{n} threads: give 1 to {MAX_THREADS} (or leave it out for one per core)"),
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| Error::option(Setting::Threads, format!("cannot start {n} threads: {e}")))?;
    Ok(pool.install(job))
}
