//! Why a fit could not be made, in words a user can act on.

use std::fmt;

/// A fit that cannot be attempted or whose data cannot identify the form (e.g. a single k for Approach 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitError(pub String);

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FitError {}
