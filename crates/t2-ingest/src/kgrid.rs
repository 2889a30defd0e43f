//! The k grid on which per-problem results are aggregated.

use std::path::Path;

use crate::error::IngestError;

/// Largest k of the default grid for likelihood inputs (any real k is valid there): 2^10.
pub const LIKELIHOOD_DEFAULT_MAX_K: f64 = 1024.0;

/// The powers of two 1, 2, 4, … that are ≤ `max_k` (empty when `max_k` < 1).
pub fn powers_of_two(max_k: f64) -> Vec<f64> {
    std::iter::successors(Some(1.0f64), |k| Some(k * 2.0))
        .take_while(|&k| k <= max_k)
        .collect()
}

/// A user-given k grid, sorted and deduplicated. Every k must be finite and ≥ 1, and a whole number when
/// `whole` (the unbiased estimator of sampled inputs needs whole k).
pub fn checked_grid(path: &Path, grid: &[f64], whole: bool) -> Result<Vec<f64>, IngestError> {
    if grid.is_empty() {
        return Err(IngestError::file(path, "--k: the k grid is empty"));
    }
    if let Some(bad) = grid.iter().find(|k| !k.is_finite() || **k < 1.0) {
        return Err(IngestError::file(
            path,
            format!("--k: k = {bad} is not allowed (k must be ≥ 1)"),
        ));
    }
    if whole {
        if let Some(bad) = grid.iter().find(|k| k.fract() != 0.0) {
            return Err(IngestError::file(
                path,
                format!(
                    "--k: k = {bad} is not a whole number; the unbiased pass@k estimator of sampled results \
                     needs whole k (answer likelihoods allow real k)"
                ),
            ));
        }
    }
    let mut sorted = grid.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    Ok(sorted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_up_to_max() {
        assert_eq!(
            powers_of_two(128.0),
            vec![1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]
        );
        assert_eq!(powers_of_two(100.0).last(), Some(&64.0));
        assert!(powers_of_two(0.5).is_empty());
    }

    #[test]
    fn grid_checks() {
        let p = Path::new("x.csv");
        assert_eq!(
            checked_grid(p, &[10.0, 1.0, 10.0], true).unwrap(),
            vec![1.0, 10.0]
        );
        assert!(checked_grid(p, &[2.5], true)
            .unwrap_err()
            .message
            .contains("whole"));
        assert_eq!(checked_grid(p, &[2.5], false).unwrap(), vec![2.5]);
        assert!(checked_grid(p, &[0.0], false).is_err());
        assert!(checked_grid(p, &[], false).is_err());
    }
}
