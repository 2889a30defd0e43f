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

/// Arguments below this are shifted up by the recurrences Γ(x + 1) = x·Γ(x) and ψ(x + 1) = ψ(x) + 1/x before
/// the asymptotic (Stirling) series is used; at x ≥ 10 the 7-term series below is exact to about 3e-17.
pub(crate) const ASYMPTOTIC_FROM: f64 = 10.0;

/// Stirling-series coefficients c_n = B_{2n} / (2n·(2n − 1)), n = 1..7 (B_{2n} the Bernoulli numbers).
const STIRLING: [f64; 7] = [
    1.0 / 12.0,
    -1.0 / 360.0,
    1.0 / 1260.0,
    -1.0 / 1680.0,
    1.0 / 1188.0,
    -691.0 / 360_360.0,
    1.0 / 156.0,
];

/// Stirling's error φ(x) = ln Γ(x) − [(x − ½)·ln x − x + ½·ln 2π] = Σ_n c_n·x^(1−2n), for x ≥ 10.
pub(crate) fn stirling_error(x: f64) -> f64 {
    let r2 = 1.0 / (x * x);
    STIRLING.iter().rev().fold(0.0, |acc, c| acc * r2 + c) / x
}

/// φ'(x) = −Σ_n (2n − 1)·c_n·x^(−2n), for x ≥ 10 (so ψ(x) = ln x − 1/(2x) + φ'(x)).
pub(crate) fn stirling_error_slope(x: f64) -> f64 {
    let r2 = 1.0 / (x * x);
    let series = STIRLING
        .iter()
        .enumerate()
        .rev()
        .fold(0.0, |acc, (i, c)| acc * r2 + (2 * i + 1) as f64 * c);
    -series * r2
}

/// Digamma ψ(x) = d ln Γ(x)/dx for x > 0 (NaN otherwise): shifted to x + n ≥ 10 by ψ(x) = ψ(x + n) − Σ_{j<n}
/// 1/(x + j), then ψ(y) = ln y − 1/(2y) + φ'(y). Absolute accuracy about 1e-15 (relative, away from the root
/// at x ≈ 1.4616).
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let (mut y, mut shift) = (x, 0.0);
    while y < ASYMPTOTIC_FROM {
        shift += 1.0 / y;
        y += 1.0;
    }
    y.ln() - 0.5 / y + stirling_error_slope(y) - shift
}

/// ψ(x + h) − ψ(x) for x > 0, h ≥ 0, without the cancellation of subtracting two digammas when h ≪ x:
/// Σ_{j<n} h/((x + j)(x + j + h)) shifts x to y = x + n ≥ 10, then
/// ψ(y + h) − ψ(y) = ln(1 + h/y) + h/(2y(y + h)) + φ'(y + h) − φ'(y).
pub fn digamma_difference(x: f64, h: f64) -> f64 {
    if !(x > 0.0 && h >= 0.0) {
        return f64::NAN;
    }
    let (mut y, mut sum) = (x, 0.0);
    while y < ASYMPTOTIC_FROM {
        sum += h / (y * (y + h));
        y += 1.0;
    }
    digamma_difference_asymptotic(sum, y, h, (h / y).ln_1p())
}

/// `shift` + ψ(y + h) − ψ(y) for y ≥ 10, given ln(1 + h/y): shift + ln(1 + h/y) + h/(2y(y + h)) + φ'(y + h)
/// − φ'(y), summed left to right.
fn digamma_difference_asymptotic(shift: f64, y: f64, h: f64, ln_1p_h_over_y: f64) -> f64 {
    shift + ln_1p_h_over_y + 0.5 * h / (y * (y + h)) + stirling_error_slope(y + h) - stirling_error_slope(y)
}

/// Δ(a, b, k) = ln[B(a, b + k) / B(a, b)] = ln Γ(b + k) + ln Γ(a + b) − ln Γ(b) − ln Γ(a + b + k) ≤ 0, for
/// a, b, k ≥ 0: the log of E[(1 − p)^k] under p ~ Beta(a, b).
///
/// Computed without subtracting large log-Gammas, so Δ keeps its relative accuracy (about 1e-12 or better) even
/// when it is tiny (a ≪ 1, or b ≫ a·k): with h(x) = ln Γ(x + a) − ln Γ(x), Δ = h(b) − h(b + k);
/// - shift: h(b) − h(b + k) = h(y) − h(y + k) − Σ_{j<n} ln(1 + a·k / ((b + j)(a + b + k + j))), y = b + n ≥ 10
///   (each term is exact: (1 + a/x)/(1 + a/(x + k)) = 1 + a·k/(x(x + a + k)));
/// - Stirling for y ≥ 10: h(x) = a·ln x + (x + a − ½)·ln(1 + a/x) − a + φ(x + a) − φ(x), so
///   h(y) − h(y + k) = −a·ln(1 + k/y) + [v(y) − v(y + k)] + [φ(y + a) − φ(y) − φ(y + a + k) + φ(y + k)],
///   v(x) = (x + a − ½)·ln(1 + a/x) − a = x·[ln(1 + a/x) − a/x] + (a − ½)·ln(1 + a/x) (small terms, no
///   cancellation against a).
pub fn ln_beta_ratio(a: f64, b: f64, k: f64) -> f64 {
    ln_beta_ratio_shifted(a, b, k, false).0
}

/// Δ(a, b, k) of [`ln_beta_ratio`] and, when `with_digamma`, ψ(b + k) − ψ(b) (else NaN): both shift b up to
/// y = b + n ≥ 10 in the same steps and share ln(1 + k/y), so the gradient's hot path does one shift, not two.
fn ln_beta_ratio_shifted(a: f64, b: f64, k: f64, with_digamma: bool) -> (f64, f64) {
    if !(a >= 0.0 && b >= 0.0 && k >= 0.0) {
        return (f64::NAN, f64::NAN);
    }
    // Σ ln(1 + t_j) = ln(1 + q) with q = Π(1 + t_j) − 1 accumulated as q ← q + t + q·t (no cancellation, one
    // logarithm instead of one per term); Σ k/((b + j)(b + j + k)) is the digamma difference's shift.
    let (mut y, mut q, mut digamma_shift) = (b, 0.0, 0.0);
    while y < ASYMPTOTIC_FROM {
        let t = a * k / (y * (y + a + k));
        q += t + q * t;
        if with_digamma {
            digamma_shift += k / (y * (y + k));
        }
        y += 1.0;
    }
    let shift = q.ln_1p();
    let ln_1p_k_over_y = (k / y).ln_1p();
    let v = |x: f64| {
        let (ln_1p, ln_1p_minus) = ln_1p_and_minus(a / x);
        x * ln_1p_minus + (a - 0.5) * ln_1p
    };
    let stirling =
        stirling_error(y + a) - stirling_error(y) - stirling_error(y + a + k) + stirling_error(y + k);
    let delta = -a * ln_1p_k_over_y + (v(y) - v(y + k)) + stirling - shift;
    let digamma = if with_digamma && b > 0.0 {
        digamma_difference_asymptotic(digamma_shift, y, k, ln_1p_k_over_y)
    } else {
        f64::NAN
    };
    (delta, digamma)
}

/// 1/(2m + 1) for m = 1..=20: the atanh series' coefficients.
const ODD_RECIPROCALS: [f64; 20] = {
    let mut r = [0.0; 20];
    let mut m = 0;
    while m < 20 {
        r[m] = 1.0 / (2 * m + 3) as f64;
        m += 1;
    }
    r
};

/// (ln(1 + t), ln(1 + t) − t) for t ≥ 0, both accurate also for small t, with at most one logarithm: for t ≤ 1,
/// z = t/(2 + t) ≤ 1/3 and ln(1 + t) = 2·atanh z = 2z + 2·S, S = Σ_{m≥1} z^(2m+1)/(2m + 1), so
/// ln(1 + t) − t = −t²/(2 + t) + 2·S (no cancellation against t; 20 terms reach 1e-17 at z = 1/3); above t = 1
/// directly.
pub(crate) fn ln_1p_and_minus(t: f64) -> (f64, f64) {
    if t > 1.0 {
        let l = t.ln_1p();
        return (l, l - t);
    }
    let z = t / (2.0 + t);
    let z2 = z * z;
    let (mut power, mut series) = (z * z2, 0.0);
    for c in ODD_RECIPROCALS {
        let term = power * c;
        series += term;
        if term <= 1e-17 * series {
            break;
        }
        power *= z2;
    }
    (2.0 * z + 2.0 * series, -t * t / (2.0 + t) + 2.0 * series)
}

/// Δ(a, b, k) of [`ln_beta_ratio`] with its partial derivatives (Δ, ∂Δ/∂a, ∂Δ/∂b):
/// ∂Δ/∂a = ψ(a + b) − ψ(a + b + k), ∂Δ/∂b = [ψ(b + k) − ψ(b)] − [ψ(a + b + k) − ψ(a + b)],
/// ψ(b + k) − ψ(b) from the same upward shift as Δ, ψ(a + b + k) − ψ(a + b) by [`digamma_difference`].
pub fn ln_beta_ratio_grad(a: f64, b: f64, k: f64) -> (f64, f64, f64) {
    let (delta, digamma_b) = ln_beta_ratio_shifted(a, b, k, true);
    let shifted = digamma_difference(a + b, k);
    (delta, -shifted, digamma_b - shifted)
}

/// Probability that at least one of k independent samples succeeds when the per-question success rate is
/// p ~ Beta(a, b): pass@k = E[1 − (1 − p)^k] = 1 − B(a, b + k) / B(a, b) = −expm1(Δ(a, b, k)), valid for real
/// k ≥ 0 (Δ from [`ln_beta_ratio`], so small pass@k keeps its relative accuracy).
pub fn beta_pass_at_k(a: f64, b: f64, k: f64) -> f64 {
    -ln_beta_ratio(a, b, k).exp_m1()
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

    /// ψ against 40-digit values (mpmath) and against central differences of ln Γ.
    #[test]
    fn digamma_known_values_and_slope_of_ln_gamma() {
        let known = [
            (1e-3, -1_000.575_571_931_810_3),
            (0.5, -1.963_510_026_021_423_5),
            (1.0, -0.577_215_664_901_532_9),
            (3.7, 1.167_153_539_361_511_4),
            (1e4, 9.210_290_371_142_849),
        ];
        for (x, psi) in known {
            assert!(
                (digamma(x) - psi).abs() <= 1e-14 * psi.abs().max(1.0),
                "ψ({x}) = {}",
                digamma(x)
            );
        }
        for x in [2e-3, 0.07, 0.9, 2.5, 9.99, 10.0, 37.0, 812.0, 2.5e4] {
            let h = 1e-5 * x;
            let numeric = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            let tol = 1e-7 * digamma(x).abs().max(1.0) + 1e-15 * ln_gamma(x).abs() / h;
            assert!(
                (numeric - digamma(x)).abs() <= tol,
                "x={x}: {numeric} vs {}",
                digamma(x)
            );
        }
        assert!(digamma(0.0).is_nan() && digamma(-1.0).is_nan());
    }

    /// ψ(x + n) − ψ(x) = Σ_{j<n} 1/(x + j) for whole n, including n ≪ x where two digammas would cancel.
    #[test]
    fn digamma_difference_matches_the_recurrence() {
        for x in [1e-3, 0.4, 3.0, 11.5, 1e4, 1e7] {
            for n in [1usize, 2, 9, 40, 500] {
                let sum: f64 = (0..n).map(|j| 1.0 / (x + j as f64)).sum();
                let d = digamma_difference(x, n as f64);
                assert!((d / sum - 1.0).abs() < 1e-12, "x={x} n={n}: {d} vs {sum}");
            }
        }
        assert_eq!(digamma_difference(2.0, 0.0), 0.0);
    }

    /// For whole k, B(a, b + k)/B(a, b) = Π_{j<k} (b + j)/(a + b + j), so Δ = −Σ ln(1 + a/(b + j)), an
    /// independent formula without any Gamma function, over the whole range a, b ∈ [1e-3, 1e4].
    #[test]
    fn ln_beta_ratio_matches_the_product_for_whole_k() {
        let shapes = [1e-3, 0.3, 1.0, 7.5, 50.0, 2e3, 1e4];
        for &a in &shapes {
            for &b in &shapes {
                for k in [1usize, 2, 7, 100, 3000] {
                    let exact: f64 = -(0..k).map(|j| (a / (b + j as f64)).ln_1p()).sum::<f64>();
                    let got = ln_beta_ratio(a, b, k as f64);
                    assert!(
                        (got / exact - 1.0).abs() < 1e-11,
                        "a={a} b={b} k={k}: {got} vs {exact}"
                    );
                }
            }
        }
    }

    /// Closed forms for real k: a = 1 gives E[(1 − p)^k] = b/(b + k), a = 2 gives b(b + 1)/((b + k)(b + k + 1)).
    #[test]
    fn pass_at_k_closed_forms_for_real_k() {
        for b in [1e-3, 0.25, 1.0, 12.0, 1e4] {
            for k in [1.0, 1.37, 2.5, 64.0, 1e3 + 0.5, 1e6] {
                let p1 = beta_pass_at_k(1.0, b, k);
                assert!((p1 / (k / (b + k)) - 1.0).abs() < 1e-12, "a=1 b={b} k={k}: {p1}");
                let fail2 = b * (b + 1.0) / ((b + k) * (b + k + 1.0));
                let f2 = ln_beta_ratio(2.0, b, k).exp();
                assert!(
                    (f2 / fail2 - 1.0).abs() < 1e-12,
                    "a=2 b={b} k={k}: {f2} vs {fail2}"
                );
            }
        }
    }

    /// Values at extreme shapes against mpmath at 40 digits (ln Γ differences in arbitrary precision).
    #[test]
    fn pass_at_k_known_values() {
        // (a, b, k, pass@k, Δ = ln(1 − pass@k))
        let known = [
            (1e-3, 1e4, 1.0, 9.999_999_000_000_1e-8, -9.999_999_500_000_033e-8),
            (
                1e-3,
                1e4,
                1e6,
                4.604_536_440_986_084e-3,
                -4.615_169_973_117_557e-3,
            ),
            (1e-3, 1e-3, 2.5, 0.500_638_912_925_391, -0.694_425_823_526_341_6),
            (1e4, 1e-3, 3.3, 0.999_999_999_999_999_8, -36.313_548_330_338_15),
            (0.37, 12.5, 1e6, 0.984_801_792_574_987, -4.186_577_790_649_431),
            (
                2.5e3,
                1e4,
                0.5,
                0.105_575_045_065_264_27,
                -0.111_574_275_657_102_34,
            ),
            (
                5e-3,
                2e3,
                128.0,
                3.102_036_554_938_575e-4,
                -3.102_517_786_000_313e-4,
            ),
            (1e4, 1e4, 1e6, 1.0, -42_337.945_580_693_47),
        ];
        for (a, b, k, pass, delta) in known {
            let d = ln_beta_ratio(a, b, k);
            assert!(
                (d / delta - 1.0).abs() < 1e-11,
                "Δ({a}, {b}, {k}) = {d}, expected {delta}"
            );
            let p = beta_pass_at_k(a, b, k);
            assert!(
                (p / pass - 1.0).abs() < 1e-11,
                "pass@k({a}, {b}, {k}) = {p}, expected {pass}"
            );
        }
    }

    /// Δ(a, b, k₁ + k₂) = Δ(a, b, k₁) + Δ(a, b + k₁, k₂) for real k (different shift paths through the code).
    #[test]
    fn ln_beta_ratio_is_additive_in_k() {
        for (a, b) in [(1e-3, 0.02), (0.4, 3.3), (20.0, 1e4), (1e4, 0.5)] {
            for (k1, k2) in [(0.3, 1.7), (2.5, 1e6), (9.75, 0.125)] {
                let whole = ln_beta_ratio(a, b, k1 + k2);
                let parts = ln_beta_ratio(a, b, k1) + ln_beta_ratio(a, b + k1, k2);
                assert!((whole / parts - 1.0).abs() < 1e-11, "a={a} b={b} k={k1}+{k2}");
            }
        }
    }

    /// pass@k against direct numerical integration of E[1 − (1 − p)^k] = ∫ (1 − (1 − p)^k)·p^(a−1)(1 − p)^(b−1)
    /// dp / ∫ p^(a−1)(1 − p)^(b−1) dp. The endpoint singularities are removed by substitution: on [0, ½],
    /// p = s^(1/a) (p^(a−1) dp = ds/a); on [½, 1], 1 − p = r^(1/b) ((1 − p)^(b−1) dp = −dr/b). Both pieces by
    /// adaptive Simpson to a relative 1e-12.
    #[test]
    fn pass_at_k_matches_numerical_integration() {
        let cases: [(f64, f64, f64); 7] = [
            (0.3, 2.0, 2.5),
            (1e-3, 1.0, 10.5),
            (2.0, 0.05, 3.7),
            (50.0, 5e3, 17.25),
            (0.02, 300.0, 1000.0),
            (1e-3, 1e4, 1.0),
            (4.0, 9.0, 1.0),
        ];
        for (a, b, k) in cases {
            let beta_integral = |h: &dyn Fn(f64, f64) -> f64| {
                // h(p, 1 − p), so both halves evaluate it without cancellation. Substituting p = s^(1/m),
                // m = min(a, 1): p^(a−1) dp = s^(a/m − 1) ds / m (no substitution when a ≥ 1); same for 1 − p.
                let (m, n) = (a.min(1.0), b.min(1.0));
                let left = |s: f64| {
                    let p = s.powf(1.0 / m);
                    h(p, 1.0 - p) * s.powf(a / m - 1.0) * ((b - 1.0) * (-p).ln_1p()).exp() / m
                };
                let right = |r: f64| {
                    let q = r.powf(1.0 / n);
                    h(1.0 - q, q) * r.powf(b / n - 1.0) * ((a - 1.0) * (-q).ln_1p()).exp() / n
                };
                integrate(&left, 0.0, 0.5f64.powf(m)) + integrate(&right, 0.0, 0.5f64.powf(n))
            };
            let norm = beta_integral(&|_, _| 1.0);
            let success = beta_integral(&|p, q| {
                if p < 0.5 {
                    -(k * (-p).ln_1p()).exp_m1()
                } else {
                    -(k * q.ln()).exp_m1()
                }
            });
            let expected = success / norm;
            let got = beta_pass_at_k(a, b, k);
            assert!(
                (got / expected - 1.0).abs() < 1e-8,
                "a={a} b={b} k={k}: {got} vs {expected}"
            );
        }
    }

    /// ∂Δ/∂a and ∂Δ/∂b against central differences of Δ.
    #[test]
    fn ln_beta_ratio_gradient_matches_finite_differences() {
        for (a, b, k) in [
            (1e-3, 1e4, 1.0),
            (0.3, 2.0, 2.5),
            (5.0, 0.02, 128.0),
            (1e3, 40.0, 1e6),
            (0.05, 9.9, 7.0),
        ] {
            let (d, da, db) = ln_beta_ratio_grad(a, b, k);
            assert_eq!(d, ln_beta_ratio(a, b, k));
            let (ha, hb) = (1e-4 * a, 1e-4 * b);
            let na = (ln_beta_ratio(a + ha, b, k) - ln_beta_ratio(a - ha, b, k)) / (2.0 * ha);
            let nb = (ln_beta_ratio(a, b + hb, k) - ln_beta_ratio(a, b - hb, k)) / (2.0 * hb);
            assert!((na / da - 1.0).abs() < 1e-6, "a={a} b={b} k={k}: ∂a {na} vs {da}");
            assert!((nb / db - 1.0).abs() < 1e-6, "a={a} b={b} k={k}: ∂b {nb} vs {db}");
        }
    }

    /// Adaptive Simpson on 64 panels, each refined until the Richardson error estimate is below `rel` of the
    /// whole integral's magnitude (estimated first on a fine composite rule).
    fn integrate(f: &dyn Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
        if hi <= lo {
            return 0.0;
        }
        let rel = 1e-12;
        let fine = 4096;
        let h = (hi - lo) / fine as f64;
        let rough: f64 = (0..fine).map(|i| f(lo + (i as f64 + 0.5) * h) * h).sum();
        let tol = rel * rough.abs().max(f64::MIN_POSITIVE) / 64.0;
        let panels = 64;
        let w = (hi - lo) / panels as f64;
        (0..panels)
            .map(|i| {
                let (a, b) = (lo + i as f64 * w, lo + (i + 1) as f64 * w);
                let (fa, fm, fb) = (f(a), f(0.5 * (a + b)), f(b));
                let whole = (b - a) / 6.0 * (fa + 4.0 * fm + fb);
                simpson(f, a, b, fa, fm, fb, whole, tol, 48)
            })
            .sum()
    }

    #[allow(clippy::too_many_arguments)]
    fn simpson(
        f: &dyn Fn(f64) -> f64,
        a: f64,
        b: f64,
        fa: f64,
        fm: f64,
        fb: f64,
        whole: f64,
        tol: f64,
        depth: u32,
    ) -> f64 {
        let m = 0.5 * (a + b);
        let (lm, rm) = (0.5 * (a + m), 0.5 * (m + b));
        let (flm, frm) = (f(lm), f(rm));
        let left = (m - a) / 6.0 * (fa + 4.0 * flm + fm);
        let right = (b - m) / 6.0 * (fm + 4.0 * frm + fb);
        let err = left + right - whole;
        if depth == 0 || err.abs() <= 15.0 * tol {
            return left + right + err / 15.0;
        }
        simpson(f, a, m, fa, flm, fm, left, tol / 2.0, depth - 1)
            + simpson(f, m, b, fm, frm, fb, right, tol / 2.0, depth - 1)
    }

    #[test]
    fn beta_pass_at_one_is_the_mean() {
        // pass@1 = E[p] = a / (a + b).
        for &(a, b) in &[(0.3, 2.0), (2.0, 5.0), (0.01, 40.0)] {
            assert!((beta_pass_at_k(a, b, 1.0) - a / (a + b)).abs() < 1e-13);
        }
    }
}
