//! Special functions: ln Γ and the Beta-mixture pass@k ratio used by Approach 2.

use std::f64::consts::PI;

const LANCZOS_G: f64 = 7.0;
const LANCZOS_COEFFS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; reflection ln Γ(x) = ln(π / sin πx) − ln Γ(1 − x) below 0.5).
/// Relative accuracy about 1e-15 over (0, 1e15).
pub fn ln_gamma(x: f64) -> f64 {
    if x < 0.5 {
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let z = x - 1.0;
    let mut series = LANCZOS_COEFFS[0];
    for (i, c) in LANCZOS_COEFFS.iter().enumerate().skip(1) {
        series += c / (z + i as f64);
    }
    let t = z + LANCZOS_G + 0.5;
    0.5 * (2.0 * PI).ln() + (z + 0.5) * t.ln() - t + series.ln()
}

/// Probability that at least one of k independent samples succeeds when the per-question success rate is
/// p ~ Beta(a, b): pass@k = E[1 − (1 − p)^k] = 1 − B(a, b + k) / B(a, b)
/// = 1 − exp(ln Γ(b + k) + ln Γ(a + b) − ln Γ(b) − ln Γ(a + b + k)), valid for real k ≥ 0.
pub fn beta_pass_at_k(a: f64, b: f64, k: f64) -> f64 {
    let log_fail = ln_gamma(b + k) + ln_gamma(a + b) - ln_gamma(b) - ln_gamma(a + b + k);
    -log_fail.exp_m1()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_known_values() {
        // Γ(n) = (n−1)! and Γ(1/2) = √π.
        assert!((ln_gamma(1.0)).abs() < 1e-14);
        assert!((ln_gamma(2.0)).abs() < 1e-14);
        assert!((ln_gamma(10.0) - 362_880f64.ln()).abs() < 1e-12);
        assert!((ln_gamma(0.5) - PI.sqrt().ln()).abs() < 1e-14);
        // ln Γ(1e-3) = 6.907_178_885_383_853_7 (Wolfram), ln Γ(1e4) = 82_099.717_496_442_36.
        assert!((ln_gamma(1e-3) - 6.907_178_885_383_854).abs() < 1e-12);
        assert!((ln_gamma(1e4) / 82_099.717_496_442_36 - 1.0).abs() < 1e-14);
    }

    #[test]
    fn beta_pass_at_one_is_the_mean() {
        // pass@1 = E[p] = a / (a + b).
        for &(a, b) in &[(0.3, 2.0), (2.0, 5.0), (0.01, 40.0)] {
            assert!((beta_pass_at_k(a, b, 1.0) - a / (a + b)).abs() < 1e-13);
        }
    }
}
