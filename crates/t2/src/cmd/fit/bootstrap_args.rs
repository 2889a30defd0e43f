//! The bootstrap options every `t2 fit` subcommand takes: resamples, seed and interval level.

use t2_fit::bootstrap::BootstrapOptions;

/// How many bootstrap resamples, from which seed, at which interval level.
#[derive(clap::Args, Debug, Clone)]
pub struct BootstrapArgs {
    /// Bootstrap resamples (0: none).
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,

    /// Seed of the bootstrap (resample i draws from stream i of this seed) and of seeded random starts.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Central level of the percentile intervals.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
}

impl BootstrapArgs {
    /// The bootstrap to run, None for `--bootstrap 0`; an error for a level outside (0, 1).
    pub fn options(&self) -> Result<Option<BootstrapOptions>, String> {
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(format!("--level must be between 0 and 1, got {}", self.level));
        }
        Ok((self.bootstrap > 0).then_some(BootstrapOptions {
            resamples: self.bootstrap,
            seed: self.seed,
            level: self.level,
        }))
    }
}
