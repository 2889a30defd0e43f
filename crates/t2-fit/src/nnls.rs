//! Exact non-negative least squares for a handful of unknowns, from the normal equations: min over c ≥ 0 of
//! Σ_i w_i·(y_i − v_iᵀc)², given G = Σ w·v·vᵀ and r = Σ w·y·v. The constrained optimum is the unconstrained
//! least-squares solution on its support, so every non-empty support (2^K − 1 of them) is solved and the best
//! feasible one kept. The variable-projection starts of the Chinchilla and Approach 1 fits use it: for fixed
//! exponents their laws are linear in the non-negative scales.

/// Smallest share of the smallest loss a term of a start contributes on average. NNLS may return exact zeros,
/// whose logs are −∞, and a start with a negligible term sits on a plateau of the objective in log space (its
/// gradient in that term's coefficient and exponent vanishes) where a local solver stops at once.
pub const TERM_FLOOR: f64 = 1e-3;

/// Normal equations of a K-unknown weighted least-squares problem, accumulated row by row.
#[derive(Debug, Clone, Copy)]
pub struct NormalEquations<const K: usize> {
    /// G = Σ w·v·vᵀ.
    pub gram: [[f64; K]; K],
    /// r = Σ w·y·v.
    pub rhs: [f64; K],
}

impl<const K: usize> Default for NormalEquations<K> {
    fn default() -> Self {
        NormalEquations {
            gram: [[0.0; K]; K],
            rhs: [0.0; K],
        }
    }
}

impl<const K: usize> NormalEquations<K> {
    /// The best non-negative c and its score cᵀGc − 2rᵀc (the weighted squared error less Σ w·y²: lower is
    /// better). All zeros, score 0, when no support has a feasible solution.
    pub fn solve(&self) -> ([f64; K], f64) {
        let all = (1u32 << K) - 1;
        // The problem is convex: a feasible unconstrained optimum is the constrained one.
        if let Some(c) = self.solve_on(all).filter(|c| c.iter().all(|&v| v >= 0.0)) {
            return (c, self.score(&c));
        }
        let mut best = ([0.0; K], 0.0);
        for support in 1..all {
            let Some(c) = self.solve_on(support) else {
                continue;
            };
            if c.iter().any(|&v| v < 0.0) {
                continue;
            }
            let score = self.score(&c);
            if score < best.1 {
                best = (c, score);
            }
        }
        best
    }

    /// cᵀGc − 2rᵀc.
    pub fn score(&self, c: &[f64; K]) -> f64 {
        let mut s = 0.0;
        for j in 0..K {
            s -= 2.0 * self.rhs[j] * c[j];
            for k in 0..K {
                s += c[j] * self.gram[j][k] * c[k];
            }
        }
        s
    }

    /// The logs of c with each coefficient floored so that its term is at least `floor` at its weighted mean
    /// (Σ w·v_j / Σ w = G_0j / G_00; unknown 0 must be the constant column), e.g. [`TERM_FLOOR`]·min L.
    pub fn floored_logs(&self, c: &[f64; K], floor: f64) -> [f64; K] {
        std::array::from_fn(|j| {
            let floor = floor * self.gram[0][0] / self.gram[0][j];
            let floor = if floor.is_finite() && floor > 0.0 {
                floor
            } else {
                f64::MIN_POSITIVE
            };
            c[j].max(floor).ln()
        })
    }

    /// G_SS·c_S = r_S on the support S (the bits of `support`) by Cholesky, zero elsewhere; None when the
    /// system is singular (det G_SS ≤ 1e-12·Π diag G_SS) or not positive definite.
    fn solve_on(&self, support: u32) -> Option<[f64; K]> {
        let mut idx = [0usize; K];
        let mut n = 0;
        for j in 0..K {
            if support & (1 << j) != 0 {
                idx[n] = j;
                n += 1;
            }
        }
        let mut l = [[0.0; K]; K];
        let mut det_ratio = 1.0;
        for a in 0..n {
            for b in 0..=a {
                let v = self.gram[idx[a]][idx[b]] - (0..b).map(|k| l[a][k] * l[b][k]).sum::<f64>();
                if a == b {
                    let diagonal = self.gram[idx[a]][idx[a]];
                    if v.is_nan() || v <= 0.0 || diagonal <= 0.0 {
                        return None;
                    }
                    det_ratio *= v / diagonal;
                    l[a][a] = v.sqrt();
                } else {
                    l[a][b] = v / l[b][b];
                }
            }
        }
        if det_ratio <= 1e-12 {
            return None;
        }
        let mut y = [0.0; K];
        for a in 0..n {
            y[a] = self.rhs[idx[a]];
            for k in 0..a {
                y[a] -= l[a][k] * y[k];
            }
            y[a] /= l[a][a];
        }
        for a in (0..n).rev() {
            for k in a + 1..n {
                y[a] -= l[k][a] * y[k];
            }
            y[a] /= l[a][a];
        }
        let mut c = [0.0; K];
        for slot in 0..n {
            c[idx[slot]] = y[slot];
        }
        c.iter().all(|v| v.is_finite()).then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows on y = 2 + 3·v₁ + 0·v₂ − 1·v₃: the unconstrained fit needs a negative c₃; NNLS drops it and gets
    /// the best fit on the other columns, which is checked against every other feasible support.
    #[test]
    fn finds_the_best_non_negative_fit() {
        let rows: Vec<[f64; 4]> = (0..12)
            .map(|i| {
                let t = i as f64;
                [1.0, (0.3 * t).sin() + 1.5, t / 12.0, (0.2 * t).cos()]
            })
            .collect();
        let mut normal = NormalEquations::<4>::default();
        for v in &rows {
            let y = 2.0 + 3.0 * v[1] - v[3];
            for a in 0..4 {
                normal.rhs[a] += y * v[a];
                for b in 0..4 {
                    normal.gram[a][b] += v[a] * v[b];
                }
            }
        }
        let (c, score) = normal.solve();
        assert!(c.iter().all(|&v| v >= 0.0) && c[3] == 0.0, "{c:?}");
        let unconstrained = normal.solve_on(0b1111).unwrap();
        assert!((unconstrained[0] - 2.0).abs() < 1e-9 && (unconstrained[3] + 1.0).abs() < 1e-9);
        for support in 1..16u32 {
            if let Some(other) = normal.solve_on(support).filter(|o| o.iter().all(|&v| v >= 0.0)) {
                assert!(score <= normal.score(&other) + 1e-12, "{support:b}: {other:?}");
            }
        }
        // The score is the squared error less Σ y².
        let sse: f64 = rows
            .iter()
            .map(|v| {
                let y = 2.0 + 3.0 * v[1] - v[3];
                let fit: f64 = (0..4).map(|a| c[a] * v[a]).sum();
                (y - fit).powi(2) - y * y
            })
            .sum();
        assert!((sse - score).abs() < 1e-9 * sse.abs(), "{sse} vs {score}");
    }
}
