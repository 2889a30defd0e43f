//! The Beta-mixture failure probability at one shape and many k: E[(1 − p)^k] = B(a, b + k)/B(a, b) under
//! p ~ Beta(a, b), as Δ(k) = ln B(a, b + k) − ln B(a, b) with its gradient in (a, b), where the parts that do
//! not depend on k are computed once. Approach 2 evaluates every k of a checkpoint at the same (a, b), so its
//! objective builds one [`BetaMixture`] per checkpoint.
//!
//! With h(x) = ln Γ(x + a) − ln Γ(x), Δ(k) = h(b) − h(b + k), and for x ≥ 10 (the asymptotic range of
//! [`crate::special`]) h(x) = a·ln x + v(x) + φ(x + a) − φ(x), v(x) = x·[ln(1 + a/x) − a/x] + (a − ½)·ln(1 + a/x),
//! φ Stirling's error; below, h(x) = h(x + n) − Σ_{j<n} ln(1 + a/(x + j)). So h(b) is computed once, and each k
//! needs h(b + k) only: one shift when b + k < 10, one asymptotic evaluation. The digammas of the gradient,
//! ψ(b), ψ(a + b) once and ψ(b + k), ψ(a + b + k) per k, the same way.
//!
//! The once-per-shape split subtracts h(b + k) from h(b), which loses a few digits when they nearly cancel: so it
//! is used where they cannot (b < 10, a ≤ 10, k ≥ 1: |Δ| ≥ a·(ψ(b + 1) − ψ(b)) = a/b, at most a factor ~25
//! below the terms), and elsewhere [`ln_beta_ratio`]'s paired shift is used per k. Both agree to 1e-13
//! relative, and the gradient to 1e-12 of |∂Δ/∂a| + |∂Δ/∂b| (tested).

use crate::special::{
    ln_1p_and_minus, ln_beta_ratio, ln_beta_ratio_grad, stirling_error, stirling_error_slope, ASYMPTOTIC_FROM,
};

/// Largest a for which the once-per-shape split is used.
const SPLIT_MAX_A: f64 = 10.0;

/// Smallest k for which the once-per-shape split is used.
const SPLIT_MIN_K: f64 = 1.0;

/// The k-free parts of Δ at one shape (a, b).
#[derive(Debug, Clone, Copy)]
pub struct BetaMixture {
    a: f64,
    b: f64,
    /// h(b), ψ(b) and ψ(a + b) when the split applies.
    split: Option<(f64, f64, f64)>,
}

impl BetaMixture {
    /// The shape (a, b), a, b ≥ 0.
    pub fn new(a: f64, b: f64) -> BetaMixture {
        let split = (a > 0.0 && a <= SPLIT_MAX_A && b > 0.0 && b < ASYMPTOTIC_FROM).then(|| {
            let (h, psi) = shifted(a, b, 0.0);
            (h, psi, digamma_shifted(a + b))
        });
        BetaMixture { a, b, split }
    }

    /// Δ(k) = ln B(a, b + k) − ln B(a, b), as [`ln_beta_ratio`].
    pub fn ln_fail(&self, k: f64) -> f64 {
        match self.split {
            Some((h_b, _, _)) if k >= SPLIT_MIN_K => h_b - shifted(self.a, self.b, k).0,
            _ => ln_beta_ratio(self.a, self.b, k),
        }
    }

    /// (Δ, ∂Δ/∂a, ∂Δ/∂b) at k, as [`ln_beta_ratio_grad`]: ∂Δ/∂a = ψ(a + b) − ψ(a + b + k),
    /// ∂Δ/∂b = [ψ(b + k) − ψ(b)] − [ψ(a + b + k) − ψ(a + b)].
    pub fn ln_fail_grad(&self, k: f64) -> (f64, f64, f64) {
        match self.split {
            Some((h_b, psi_b, psi_ab)) if k >= SPLIT_MIN_K => {
                let (h_bk, psi_bk) = shifted(self.a, self.b, k);
                let psi_abk = if self.a + self.b + k >= ASYMPTOTIC_FROM {
                    digamma_asymptotic(self.a + self.b + k)
                } else {
                    digamma_shifted(self.a + self.b + k)
                };
                let d_a = psi_ab - psi_abk;
                (h_b - h_bk, d_a, (psi_bk - psi_b) + d_a)
            }
            _ => ln_beta_ratio_grad(self.a, self.b, k),
        }
    }
}

/// (h(b + k), ψ(b + k)): shifted up to y ≥ 10 by h(x) = h(x + 1) − ln(1 + a/x) and ψ(x) = ψ(x + 1) − 1/x (the
/// shift's logarithms as one, ln Π(1 + a/x_j) = ln(1 + q) with q ← q + t + q·t), then asymptotic.
fn shifted(a: f64, b: f64, k: f64) -> (f64, f64) {
    let (mut y, mut q, mut psi_shift) = (b + k, 0.0, 0.0);
    while y < ASYMPTOTIC_FROM {
        let r = 1.0 / y;
        let t = a * r;
        q += t + q * t;
        psi_shift += r;
        y += 1.0;
    }
    let (ln_1p, ln_1p_minus) = ln_1p_and_minus(a / y);
    let ln_y = y.ln();
    let v = y * ln_1p_minus + (a - 0.5) * ln_1p;
    let h = a * ln_y + v + stirling_error(y + a) - stirling_error(y) - q.ln_1p();
    let psi = ln_y - 0.5 / y + stirling_error_slope(y) - psi_shift;
    (h, psi)
}

/// ψ(x) for x ≥ 10: ln x − 1/(2x) + φ'(x).
fn digamma_asymptotic(x: f64) -> f64 {
    x.ln() - 0.5 / x + stirling_error_slope(x)
}

/// ψ(x) for x > 0, shifted up to ≥ 10.
fn digamma_shifted(x: f64) -> f64 {
    let (mut y, mut shift) = (x, 0.0);
    while y < ASYMPTOTIC_FROM {
        shift += 1.0 / y;
        y += 1.0;
    }
    digamma_asymptotic(y) - shift
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split agrees with the paired shift of [`ln_beta_ratio`] and its gradient across shapes and k,
    /// including the boundaries of the split (b just below 10, a = 10, k = 1).
    #[test]
    fn agrees_with_the_paired_shift() {
        let shapes = [1e-3, 0.05, 0.3, 1.0, 2.7, 7.5, 9.99, 10.0, 40.0, 1e4];
        let ks = [0.5, 1.0, 1.5, 2.0, 4.0, 7.0, 16.0, 64.0, 256.0, 4096.0, 1e6];
        for &a in &shapes {
            for &b in &shapes {
                let mixture = BetaMixture::new(a, b);
                for &k in &ks {
                    let paired = ln_beta_ratio_grad(a, b, k);
                    let split = mixture.ln_fail_grad(k);
                    assert_eq!(mixture.ln_fail(k), split.0, "a={a} b={b} k={k}");
                    assert!(
                        (split.0 / paired.0 - 1.0).abs() < 1e-13,
                        "Δ a={a} b={b} k={k}: {} vs {}",
                        split.0,
                        paired.0
                    );
                    // ∂Δ/∂b is a difference of digamma differences of the size of ∂Δ/∂a: both paths lose the
                    // same digits to it, so the gradient is compared on that scale.
                    let scale = paired.1.abs() + paired.2.abs();
                    for (s, p, what) in [(split.1, paired.1, "∂a"), (split.2, paired.2, "∂b")] {
                        assert!(
                            (s - p).abs() <= 1e-12 * scale,
                            "{what} a={a} b={b} k={k}: {s} vs {p}"
                        );
                    }
                }
            }
        }
    }
}
