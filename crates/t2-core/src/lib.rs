//! t2-core: the mathematics of Train-to-Test (T²) scaling laws, with no I/O.
//!
//! - [`table`]: the normalised run table every other crate speaks; [`columns`]: typed column tables (results).
//! - [`chinchilla`], [`approach1`], [`approach2`]: the three parametric forms.
//! - [`special`]: ln Γ and the Beta-binomial pass@k ratio.
//! - [`passk`]: pass@k and task loss from per-problem samples or answer likelihoods.
//! - [`compute`]: the training and inference compute identities.
//! - [`filter`]: row filter expressions such as `tokens <= 7e10 and k == 1`.
//! - [`plan`]: compute-optimal N*, D*, k* for training and inference budgets.
//! - [`simulate`]: draw sweeps from known parameters, for recovery tests and example data.
//! - [`real`]: serde helpers that write NaN and infinities readably.
//! - [`rng`]: a seedable, thread-independent random number generator (bootstrap, simulation).

#![warn(missing_docs)]

pub mod approach1;
pub mod approach2;
pub mod beta_mixture;
pub mod chinchilla;
pub mod columns;
pub mod compute;
pub mod filter;
pub mod model;
pub mod passk;
pub mod plan;
pub mod real;
pub mod rng;
pub mod rowset;
pub mod simulate;
pub mod special;
pub mod table;
pub mod vocabulary;
pub mod words;

pub use approach1::Approach1Params;
pub use approach2::Approach2Params;
pub use chinchilla::ChinchillaParams;
pub use model::{Form, ModelParams};
pub use table::RunTable;
