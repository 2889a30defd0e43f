//! Fast seeding: for fixed exponents (α, β) the law L = E + A·N^−α + B·D^−β is linear in (E, A, B), so each
//! (α, β) on a grid gets its best non-negative (E, A, B) by least squares in closed form ([`crate::nnls`]); the
//! candidates are then ranked by the full objective and the best few are polished.

use super::objective::{ChinchillaObjective, FitData, DIM};
use crate::nnls::{NormalEquations, TERM_FLOOR};
use crate::objective::Objective;

/// Weighted least squares of L on (1, N^−α, D^−β) with (E, A, B) ≥ 0 ([`NormalEquations`]), rows weighted by
/// w/L² so that the squared error approximates the squared error on ln L. Returns x = (ln A, ln B, ln E, α, β)
/// (each term floored at [`TERM_FLOOR`] of the smallest loss) and the least-squares score (lower
/// is better).
pub fn nnls_start(data: &FitData, alpha: f64, beta: f64, pow_n: &[f64], pow_d: &[f64]) -> ([f64; DIM], f64) {
    let mut normal = NormalEquations::<3>::default();
    for i in 0..data.len() {
        let w = data.weight[i] / (data.loss[i] * data.loss[i]);
        let v = [1.0, pow_n[i], pow_d[i]];
        for j in 0..3 {
            normal.rhs[j] += w * data.loss[i] * v[j];
            for k in j..3 {
                normal.gram[j][k] += w * v[j] * v[k];
            }
        }
    }
    for (j, k) in [(1, 0), (2, 0), (2, 1)] {
        normal.gram[j][k] = normal.gram[k][j];
    }
    let (c, score) = normal.solve();
    let [e, a, b] = normal.floored_logs(&c, TERM_FLOOR * data.min_loss());
    ([a, b, e, alpha, beta], score)
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
