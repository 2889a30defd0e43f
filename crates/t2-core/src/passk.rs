//! pass@k and the task loss from per-problem results.
//!
//! Sampled generations (n samples, c correct) use the unbiased estimator of Chen et al. (2021);
//! per-question answer likelihoods use p = e^−NLL and are valid for real k.

/// Unbiased pass@k for one problem with `samples` = n generations of which `correct` = c are right:
/// pass@k = 1 − C(n−c, k)/C(n, k) = 1 − Π_{i=n−c+1..n} (1 − k/i), computed in log space
/// (Σ ln(1 − k/i), then −expm1) so n = 50,000 neither overflows nor cancels.
///
/// Returns `None` when the estimate does not exist: k > n, k < 1, or c > n. Never 1.0 for such a problem.
pub fn unbiased_pass_at_k(samples: u64, correct: u64, k: u64) -> Option<f64> {
    if k == 0 || k > samples || correct > samples {
        return None;
    }
    if samples - correct < k {
        return Some(1.0);
    }
    let kf = k as f64;
    let log_fail: f64 = (samples - correct + 1..=samples)
        .map(|i| (-kf / i as f64).ln_1p())
        .sum();
    Some(-log_fail.exp_m1())
}

/// pass@k of one question from its answer NLL: 1 − (1 − p)^k with p = e^−NLL, for real k ≥ 1,
/// computed as −expm1(k·ln1p(−p)) so tiny p keeps full precision.
pub fn likelihood_pass_at_k(nll: f64, k: f64) -> f64 {
    let p = (-nll).exp();
    -(k * (-p).ln_1p()).exp_m1()
}

/// Task loss of one question under k tries: −ln(1 − (1 − p)^k) with p = e^−NLL (equals NLL at k = 1).
pub fn likelihood_task_loss(nll: f64, k: f64) -> f64 {
    -likelihood_pass_at_k(nll, k).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Direct binomial-coefficient form for small n, as a reference.
    fn direct(n: u64, c: u64, k: u64) -> f64 {
        let choose = |n: u64, k: u64| -> f64 {
            if k > n {
                return 0.0;
            }
            (0..k).map(|i| (n - i) as f64 / (i + 1) as f64).product()
        };
        1.0 - choose(n - c, k) / choose(n, k)
    }

    #[test]
    fn unbiased_matches_binomial_form() {
        for n in 1..=20u64 {
            for c in 0..=n {
                for k in 1..=n {
                    let got = unbiased_pass_at_k(n, c, k).unwrap();
                    assert!((got - direct(n, c, k)).abs() < 1e-12, "n={n} c={c} k={k}");
                }
            }
        }
    }

    #[test]
    fn unbiased_undefined_cases_are_none_not_one() {
        assert_eq!(unbiased_pass_at_k(10, 10, 11), None);
        assert_eq!(unbiased_pass_at_k(10, 3, 0), None);
        assert_eq!(unbiased_pass_at_k(10, 11, 1), None);
    }

    #[test]
    fn unbiased_is_stable_at_fifty_thousand_samples() {
        // pass@1 is exactly c/n; pass@k for c = 1 is exactly k/n.
        let p1 = unbiased_pass_at_k(50_048, 17, 1).unwrap();
        assert!((p1 - 17.0 / 50_048.0).abs() < 1e-15);
        let pk = unbiased_pass_at_k(50_048, 1, 4096).unwrap();
        assert!((pk - 4096.0 / 50_048.0).abs() < 1e-13);
    }

    #[test]
    fn likelihood_forms() {
        // k = 1: pass = p, loss = NLL.
        assert!((likelihood_pass_at_k(2.0, 1.0) - (-2.0f64).exp()).abs() < 1e-15);
        assert!((likelihood_task_loss(2.0, 1.0) - 2.0).abs() < 1e-13);
        // Tiny p: 1 − (1 − p)^k ≈ k·p to first order.
        let got = likelihood_pass_at_k(40.0, 8.0);
        assert!((got / (8.0 * (-40.0f64).exp()) - 1.0).abs() < 1e-12);
        assert!((likelihood_task_loss(40.0, 8.0) - (40.0 - 8f64.ln())).abs() < 1e-9);
    }
}
