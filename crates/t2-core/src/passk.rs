//! pass@k and the task loss from per-problem results.
//!
//! Sampled generations (n samples, c correct) use the unbiased estimator of Chen et al. (2021);
//! per-question answer likelihoods use p = e^−NLL and are valid for real k.

/// Largest sample count the estimator accepts: 2^53, above which counts are not exact integers in f64 (ingest
/// refuses such counts with an error naming the cell).
pub const MAX_EXACT_COUNT: u64 = 1 << 53;

/// Below this many factors the product form is used (it is exact to rounding); above, the Beta-ratio form.
const PRODUCT_TERMS: u64 = 64;

/// Unbiased pass@k for one problem with `samples` = n generations of which `correct` = c are right
/// (Chen et al. 2021): pass@k = 1 − C(n−c, k)/C(n, k), in log space so n = 50,000 neither overflows nor
/// cancels, in O(1) time whatever n, c and k. With m = min(c, k) and M = max(c, k):
/// - m ≤ 64: the product C(n−c, k)/C(n, k) = Π_{i=n−c+1..n} (1 − k/i) = Π_{j=0..k−1} (1 − c/(n − j)) over the
///   m-term side, as Σ ln(1 − ·) (exact to rounding);
/// - otherwise ln C(n−c, k)/C(n, k) = lnΓ(n−c+1) + lnΓ(n−k+1) − lnΓ(n−c−k+1) − lnΓ(n+1) = Δ(m, n − c − k + 1, M)
///   of [`crate::special::ln_beta_ratio`] (symmetric in c and k; computed without subtracting large
///   log-Gammas, relative error about ε·m/M ≤ ε·1 beyond Δ's own 1e-12).
///
/// Returns `None` when the estimate does not exist (k > n, k < 1, or c > n) or the counts are above
/// [`MAX_EXACT_COUNT`]. Never 1.0 for such a problem.
pub fn unbiased_pass_at_k(samples: u64, correct: u64, k: u64) -> Option<f64> {
    if k == 0 || k > samples || correct > samples || samples > MAX_EXACT_COUNT {
        return None;
    }
    if samples - correct < k {
        return Some(1.0);
    }
    let (fewer, more) = (correct.min(k), correct.max(k));
    let log_fail = if fewer <= PRODUCT_TERMS {
        // Π_{j<m} (1 − M/(n − j)): the m-term side of the product.
        let (n, big) = (samples as f64, more as f64);
        (0..fewer).map(|j| (-big / (n - j as f64)).ln_1p()).sum::<f64>()
    } else {
        let b = (samples - correct - k + 1) as f64;
        crate::special::ln_beta_ratio(fewer as f64, b, more as f64)
    };
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

    /// The Beta-ratio branch (more than 64 factors on both sides) agrees with the product it replaces, and huge
    /// counts take constant time and stay exact: pass@1 = c/n, pass@k of one correct sample = k/n.
    #[test]
    fn beta_ratio_branch_matches_the_product_and_scales() {
        let product = |n: u64, c: u64, k: u64| {
            let log_fail: f64 = (n - c + 1..=n).map(|i| (-(k as f64) / i as f64).ln_1p()).sum();
            -log_fail.exp_m1()
        };
        for (n, c, k) in [
            (5000, 1000, 1000),
            (300, 65, 65),
            (50_048, 17_000, 4096),
            (1_000_000, 100, 200),
        ] {
            let (got, want) = (unbiased_pass_at_k(n, c, k).unwrap(), product(n, c, k));
            assert!(
                (got - want).abs() <= 1e-12 * want,
                "n={n} c={c} k={k}: {got} vs {want}"
            );
        }
        // 1 − (1 − c/n)^… for n = 1e10, c = 5e9: pass@1 = 1/2; pass@2 = 1 − (n−c)(n−c−1)/(n(n−1)).
        let n = 10_000_000_000u64;
        assert_eq!(unbiased_pass_at_k(n, n / 2, 1), Some(0.5));
        let exact2 = 1.0 - (5e9 * (5e9 - 1.0)) / (1e10 * (1e10 - 1.0));
        assert!((unbiased_pass_at_k(n, n / 2, 2).unwrap() - exact2).abs() < 1e-15);
        let big_k = unbiased_pass_at_k(n, n / 2, 1 << 33).unwrap();
        assert_eq!(big_k, 1.0);
        // c = 1: exactly k/n, through the product branch even for k = 2^30.
        let k = 1u64 << 30;
        assert!((unbiased_pass_at_k(n, 1, k).unwrap() / (k as f64 / n as f64) - 1.0).abs() < 1e-12);
        assert_eq!(unbiased_pass_at_k(MAX_EXACT_COUNT + 2, 1, 1), None);
    }

    /// mpmath, 50 digits: 1 − C(n−c, k)/C(n, k) for n = 1e9, c = 3e5, k = 2e3 and n = 2^53, c = 2^40, k = 2^10.
    #[test]
    fn beta_ratio_branch_matches_high_precision_values() {
        let cases = [
            (1_000_000_000u64, 300_000u64, 2_000u64, MPMATH_A),
            (MAX_EXACT_COUNT, 1 << 40, 1 << 10, MPMATH_B),
        ];
        for (n, c, k, want) in cases {
            let got = unbiased_pass_at_k(n, c, k).unwrap();
            assert!(
                (got / want - 1.0).abs() < 1e-11,
                "n={n} c={c} k={k}: {got} vs {want}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 512,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0),
            ..Default::default()
        })]

        /// Fuzz target of the estimator: for small counts it equals the product 1 − Π (1 − k/i) to 1e-12; for any
        /// counts up to 2^53 it is a probability, grows with k and with c, and is None exactly when k > n.
        #[test]
        fn estimator_is_exact_small_and_a_monotone_probability_large(
            n in 1u64..300, c_frac in 0.0f64..1.0, k_frac in 0.0f64..1.0,
            big_n in 1u64..MAX_EXACT_COUNT, big_c in 0.0f64..1.0, big_k in 0.0f64..1.0,
        ) {
            let (c, k) = ((n as f64 * c_frac) as u64, 1 + ((n - 1) as f64 * k_frac) as u64);
            let product = 1.0 - (n - c + 1..=n).map(|i| 1.0 - k as f64 / i as f64).product::<f64>();
            let got = unbiased_pass_at_k(n, c, k).unwrap();
            proptest::prop_assert!((got - product).abs() < 1e-12, "n={} c={} k={}: {} vs {}", n, c, k, got, product);
            let (c, k) = ((big_n as f64 * big_c) as u64, 1 + ((big_n - 1) as f64 * big_k.powi(8)) as u64);
            let p = unbiased_pass_at_k(big_n, c, k).unwrap();
            proptest::prop_assert!((0.0..=1.0).contains(&p));
            if k < big_n {
                proptest::prop_assert!(unbiased_pass_at_k(big_n, c, k + 1).unwrap() >= p - 1e-12);
            }
            if c < big_n {
                proptest::prop_assert!(unbiased_pass_at_k(big_n, c + 1, k).unwrap() >= p - 1e-12);
            }
            proptest::prop_assert_eq!(unbiased_pass_at_k(big_n, c, big_n + 1), None);
        }
    }

    const MPMATH_A: f64 = 0.451_238_093_802_355_1;
    const MPMATH_B: f64 = 0.117_509_830_854_741_5;

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
