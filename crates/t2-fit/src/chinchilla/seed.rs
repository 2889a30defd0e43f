//! Fast seeding: for fixed exponents (α, β) the law L = E + A·N^−α + B·D^−β is linear in (E, A, B), so each
//! (α, β) on a grid gets its best non-negative (E, A, B) by least squares in closed form; the candidates are
//! then ranked by the full objective and the best few are polished by L-BFGS.

use super::objective::{ChinchillaObjective, FitData, DIM};
use crate::objective::Objective;

/// Smallest share of the smallest loss a term of a start contributes on average. NNLS may return exact zeros,
/// whose logs are −∞, and a start with a negligible term sits on a plateau of the objective in log space (its
/// gradient in that term's coefficient and exponent vanishes) where L-BFGS stops at once.
const TERM_FLOOR: f64 = 1e-3;

/// Weighted least squares of L on (1, N^−α, D^−β) with (E, A, B) ≥ 0, rows weighted by w/L² so that the
/// squared error approximates the squared error on ln L. Returns x = (ln A, ln B, ln E, α, β) and the
/// least-squares score (the weighted squared error up to a constant: lower is better).
///
/// Exact NNLS for three unknowns: the constrained optimum is the unconstrained least-squares solution on its
/// support, so every non-empty support is solved (3×3 normal equations) and the best feasible one kept.
pub fn nnls_start(data: &FitData, alpha: f64, beta: f64, pow_n: &[f64], pow_d: &[f64]) -> ([f64; DIM], f64) {
    // Normal equations: G = Σ w v vᵀ, r = Σ w L v with v = (1, N^−α, D^−β).
    let mut gram = [[0.0; 3]; 3];
    let mut rhs = [0.0; 3];
    for i in 0..data.len() {
        let w = data.weight[i] / (data.loss[i] * data.loss[i]);
        let v = [1.0, pow_n[i], pow_d[i]];
        for j in 0..3 {
            rhs[j] += w * data.loss[i] * v[j];
            for k in j..3 {
                gram[j][k] += w * v[j] * v[k];
            }
        }
    }
    for (j, k) in [(1, 0), (2, 0), (2, 1)] {
        gram[j][k] = gram[k][j];
    }
    // Residual sum of squares up to a constant: cᵀGc − 2rᵀc.
    let score = |c: &[f64; 3]| {
        let mut s = 0.0;
        for j in 0..3 {
            s -= 2.0 * rhs[j] * c[j];
            for k in 0..3 {
                s += c[j] * gram[j][k] * c[k];
            }
        }
        s
    };
    let mut best = ([0.0; 3], 0.0);
    for support in 1..8u8 {
        let idx: Vec<usize> = (0..3).filter(|j| support & (1 << j) != 0).collect();
        let Some(sol) = solve_on_support(&gram, &rhs, &idx) else {
            continue;
        };
        if sol.iter().any(|&c| c < 0.0) {
            continue;
        }
        let s = score(&sol);
        if s < best.1 {
            best = (sol, s);
        }
    }
    // Each term at least TERM_FLOOR·min L at its weighted mean, Σ w·v_j / Σ w = G_0j / G_00.
    let min_loss = data.min_loss();
    let floored: Vec<f64> = (0..3)
        .map(|j| {
            let floor = TERM_FLOOR * min_loss * gram[0][0] / gram[0][j];
            best.0[j]
                .max(if floor.is_finite() && floor > 0.0 {
                    floor
                } else {
                    f64::MIN_POSITIVE
                })
                .ln()
        })
        .collect();
    let (e, a, b) = (floored[0], floored[1], floored[2]);
    ([a, b, e, alpha, beta], best.1)
}

/// Solves G_SS c_S = r_S on the support S (Cramer's rule), zero elsewhere; None when singular.
fn solve_on_support(gram: &[[f64; 3]; 3], rhs: &[f64; 3], idx: &[usize]) -> Option<[f64; 3]> {
    let n = idx.len();
    let m = |j: usize, k: usize| gram[idx[j]][idx[k]];
    let det3 = |c: &dyn Fn(usize, usize) -> f64| {
        c(0, 0) * (c(1, 1) * c(2, 2) - c(1, 2) * c(2, 1)) - c(0, 1) * (c(1, 0) * c(2, 2) - c(1, 2) * c(2, 0))
            + c(0, 2) * (c(1, 0) * c(2, 1) - c(1, 1) * c(2, 0))
    };
    let det = |c: &dyn Fn(usize, usize) -> f64| match n {
        1 => c(0, 0),
        2 => c(0, 0) * c(1, 1) - c(0, 1) * c(1, 0),
        _ => det3(c),
    };
    let d = det(&m);
    let scale: f64 = idx.iter().map(|&j| gram[j][j]).product();
    if d.is_nan() || d.abs() <= 1e-12 * scale {
        return None;
    }
    let mut out = [0.0; 3];
    for col in 0..n {
        let replaced = |j: usize, k: usize| if k == col { rhs[idx[j]] } else { m(j, k) };
        out[idx[col]] = det(&replaced) / d;
    }
    Some(out)
}

/// How the projected starts are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    /// By the fit's own objective at each start (exact, one objective evaluation per start).
    Objective,
    /// By the least-squares score of the projection (nearly free: no exponential per row and start).
    Projection,
}

/// One NNLS start per (α, β) in `alphas` × `betas`, ranked as `rank` says; returns the `keep` best (lowest
/// first, ties by grid order).
pub fn ranked_starts(
    objective: &ChinchillaObjective,
    alphas: &[f64],
    betas: &[f64],
    keep: usize,
    rank: Rank,
) -> Vec<[f64; DIM]> {
    let data = objective.data;
    let powers = |ln_x: &[f64], exponent: f64| ln_x.iter().map(|l| (-exponent * l).exp()).collect::<Vec<_>>();
    let pow_d: Vec<Vec<f64>> = betas.iter().map(|&b| powers(&data.ln_d, b)).collect();
    let mut scored: Vec<(f64, usize, [f64; DIM])> = Vec::with_capacity(alphas.len() * betas.len());
    for &alpha in alphas {
        let pow_n = powers(&data.ln_n, alpha);
        for (j, &beta) in betas.iter().enumerate() {
            let (x, score) = nnls_start(data, alpha, beta, &pow_n, &pow_d[j]);
            let value = match rank {
                Rank::Objective => objective.value(&x),
                Rank::Projection => score,
            };
            scored.push((value, scored.len(), x));
        }
    }
    scored.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
    scored.into_iter().take(keep).map(|(_, _, x)| x).collect()
}

#[cfg(test)]
mod tests {
    use super::super::objective::{x_of, Loss};
    use super::*;
    use t2_core::{ChinchillaParams, RunTable};

    /// Noise-free data at the true exponents: NNLS recovers E, A, B exactly.
    #[test]
    fn recovers_linear_coefficients_at_the_true_exponents() {
        let p = ChinchillaParams {
            e: 1.8,
            a: 480.0,
            b: 2100.0,
            alpha: 0.35,
            beta: 0.37,
        };
        let (mut params, mut tokens) = (vec![], vec![]);
        for n in [1e7, 1e8, 1e9, 1e10] {
            for d in [1e9, 1e10, 1e11] {
                params.push(n);
                tokens.push(d);
            }
        }
        let loss = params.iter().zip(&tokens).map(|(&n, &d)| p.loss(n, d)).collect();
        let table = RunTable {
            k: vec![1.0; params.len()],
            params,
            tokens,
            loss: Some(loss),
            ..Default::default()
        };
        let rows: Vec<usize> = (0..table.len()).collect();
        let data = FitData::new(&table, &rows).unwrap();
        let obj = ChinchillaObjective {
            data: &data,
            loss: Loss::default(),
        };
        let best = ranked_starts(&obj, &[0.3, 0.35, 0.4], &[0.3, 0.37, 0.45], 1, Rank::Objective)[0];
        let truth = x_of(&p);
        for j in 0..DIM {
            assert!(
                (best[j] - truth[j]).abs() < 1e-6,
                "{j}: {} vs {}",
                best[j],
                truth[j]
            );
        }
    }
}
