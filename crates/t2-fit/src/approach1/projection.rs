//! Variable-projection starts of an Approach 1 fit: for fixed exponents (α, β, γ) the law
//! L̂ = E + A·N^−α + B·D^−β + G·k^−γ is linear in (E, A, B, G), so each point of an exponent grid gets its best
//! non-negative scales by least squares in closed form ([`crate::nnls`]). For the SSE objective the
//! least-squares score is the objective itself (less a constant), so the grid's scores are the profile of the
//! objective over the exponents; the best grid point of each basin of that profile (its local minima) are the
//! starts, lowest first.
//!
//! Every Gram entry depends on at most two exponents (Σ w·N^−α·D^−β, …), so the sums over rows are made once
//! per pair of grid values, and each of the grid's 40³ points costs one 4-unknown NNLS, not a pass over the
//! rows.

use super::data::Approach1Data;
use super::objective::LossObjective;
use crate::nnls::{NormalEquations, TERM_FLOOR};
use crate::starts;

/// The exponent grid of every axis: 0.05 to 2 in steps of 0.05.
pub const GRID: (f64, f64, f64) = (0.05, 2.0, 0.05);

/// The three exponent axes of the law: α on N, β on D, γ on k.
const AXES: usize = 3;

/// When NNLS sets a term to zero, a second start has every term at least this share of the smallest loss,
/// besides the start with the floor ([`TERM_FLOOR`]). From the floor a polish can only reach optima with that term near zero: the objective is
/// flat in a vanishing term's log scale. Seen on a simulated sweep with three k values: the floored start ended
/// at E = 0 with an objective 1e-3 above the optimum at E = 0.04.
pub const ZERO_TERM_SHARE: f64 = 0.25;

/// Starts x = (ln E, ln A, ln B, ln G, α, β, γ) from the local minima of the projected score over the exponent
/// grid (lower than every neighbour, ties to the earlier point), the `keep` lowest, lowest first; a minimum
/// with a zero scale gives a second start with every term at least [`ZERO_TERM_SHARE`] of the smallest loss. Rows are
/// weighted by w for SSE and by w/L² for Huber on ln L (whose squared error it then approximates).
pub fn projected_starts(data: &Approach1Data, objective: LossObjective, keep: usize) -> Vec<Vec<f64>> {
    let grid = starts::range(GRID.0, GRID.1, GRID.2);
    let sums = PairSums::new(data, objective, &grid);
    let m = grid.len();
    let at = |i: usize, j: usize, l: usize| (i * m + j) * m + l;
    let mut scores = vec![0.0; m * m * m];
    for i in 0..m {
        for j in 0..m {
            for l in 0..m {
                scores[at(i, j, l)] = sums.normal_equations([i, j, l]).solve().1;
            }
        }
    }
    let is_local_minimum = |p: usize, (i, j, l): (usize, usize, usize)| {
        let near = |v: usize| v.saturating_sub(1)..=(v + 1).min(m - 1);
        near(i).all(|a| {
            near(j).all(|b| {
                near(l).all(|c| {
                    let q = at(a, b, c);
                    q == p || scores[p] < scores[q] || (scores[p] == scores[q] && p < q)
                })
            })
        })
    };
    let mut minima: Vec<(f64, usize, [usize; AXES])> = Vec::new();
    for i in 0..m {
        for j in 0..m {
            for l in 0..m {
                let p = at(i, j, l);
                if scores[p].is_finite() && is_local_minimum(p, (i, j, l)) {
                    minima.push((scores[p], p, [i, j, l]));
                }
            }
        }
    }
    minima.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut out = Vec::new();
    for (_, _, g) in minima.into_iter().take(keep) {
        let normal = sums.normal_equations(g);
        let (c, _) = normal.solve();
        let exponents = [grid[g[0]], grid[g[1]], grid[g[2]]];
        let mut floors = vec![TERM_FLOOR];
        if c.contains(&0.0) {
            floors.push(ZERO_TERM_SHARE);
        }
        for share in floors {
            let mut x = normal.floored_logs(&c, share * sums.min_loss).to_vec();
            x.extend_from_slice(&exponents);
            out.push(x);
        }
    }
    out
}

/// The weighted sums over rows that the normal equations of every grid point are made of.
struct PairSums {
    /// Σ w and Σ w·L.
    total: (f64, f64),
    /// Per axis and grid value: Σ w·v, Σ w·v², Σ w·L·v for v = N^−α (axis 0), D^−β (1), k^−γ (2).
    single: [Vec<[f64; 3]>; AXES],
    /// Per pair of axes (0, 1), (0, 2), (1, 2) and pair of grid values: Σ w·v_a·v_b, row-major.
    cross: [Vec<f64>; AXES],
    /// Grid size.
    m: usize,
    /// The smallest loss (the floor of the starts' terms).
    min_loss: f64,
}

impl PairSums {
    fn new(data: &Approach1Data, objective: LossObjective, grid: &[f64]) -> PairSums {
        let weight = |loss: f64, w: f64| match objective {
            LossObjective::Sse => w,
            LossObjective::HuberLn { .. } => w / (loss * loss),
        };
        // powers[axis][g][row] = e^{−grid[g]·ln x} of the row's N, D or k.
        let logs: [Vec<f64>; AXES] = [
            data.rows.iter().map(|r| data.ln_params[r.checkpoint]).collect(),
            data.rows.iter().map(|r| data.ln_tokens[r.checkpoint]).collect(),
            data.rows.iter().map(|r| data.ln_k[r.k_index]).collect(),
        ];
        let powers: Vec<Vec<Vec<f64>>> = logs
            .iter()
            .map(|ln_x| {
                grid.iter()
                    .map(|&e| ln_x.iter().map(|l| (-e * l).exp()).collect())
                    .collect()
            })
            .collect();
        let w: Vec<f64> = data.rows.iter().map(|r| weight(r.loss, r.weight)).collect();
        let y: Vec<f64> = data.rows.iter().map(|r| r.loss).collect();
        let total = (w.iter().sum(), w.iter().zip(&y).map(|(w, y)| w * y).sum());
        let single = std::array::from_fn(|axis| {
            powers[axis]
                .iter()
                .map(|v| {
                    let mut s = [0.0; 3];
                    for r in 0..w.len() {
                        s[0] += w[r] * v[r];
                        s[1] += w[r] * v[r] * v[r];
                        s[2] += w[r] * y[r] * v[r];
                    }
                    s
                })
                .collect()
        });
        let pairs = [(0, 1), (0, 2), (1, 2)];
        let cross = std::array::from_fn(|p| {
            let (a, b) = pairs[p];
            let mut out = Vec::with_capacity(grid.len() * grid.len());
            for va in &powers[a] {
                for vb in &powers[b] {
                    out.push((0..w.len()).map(|r| w[r] * va[r] * vb[r]).sum());
                }
            }
            out
        });
        PairSums {
            total,
            single,
            cross,
            m: grid.len(),
            min_loss: data.loss_range().0,
        }
    }

    /// The normal equations of the columns (1, N^−α, D^−β, k^−γ) at grid indices `g` = (α, β, γ).
    fn normal_equations(&self, g: [usize; AXES]) -> NormalEquations<4> {
        let mut n = NormalEquations::<4>::default();
        n.gram[0][0] = self.total.0;
        n.rhs[0] = self.total.1;
        for (axis, &index) in g.iter().enumerate() {
            let [sum, square, with_loss] = self.single[axis][index];
            n.gram[0][axis + 1] = sum;
            n.gram[axis + 1][0] = sum;
            n.gram[axis + 1][axis + 1] = square;
            n.rhs[axis + 1] = with_loss;
        }
        for (p, (a, b)) in [(0, 1), (0, 2), (1, 2)].into_iter().enumerate() {
            let v = self.cross[p][g[a] * self.m + g[b]];
            n.gram[a + 1][b + 1] = v;
            n.gram[b + 1][a + 1] = v;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_core::simulate::{isoflop_checkpoints, simulate_runs, SimulationSpec, TaskTruth};
    use t2_core::Approach1Params;

    /// Noise-free rows whose exponents lie on the grid: the best projected start is the truth (scales to 1e-9,
    /// exponents to the grid's rounding), the profile has one basin, and no term is zero, so no second start.
    #[test]
    fn the_best_start_is_the_truth_on_noise_free_rows() {
        let truth = Approach1Params {
            e: 0.3,
            a: 60.0,
            b: 400.0,
            g: 1.5,
            alpha: 0.3,
            beta: 0.35,
            gamma: 0.4,
        };
        let spec = SimulationSpec {
            checkpoints: isoflop_checkpoints(6, 6)
                .iter()
                .map(|&(n, d, _)| (n, d))
                .collect(),
            k_grid: vec![1.0, 2.0, 4.0, 8.0, 16.0, 32.0],
            tasks: vec![TaskTruth {
                name: "sim".into(),
                approach1: Some(truth),
                approach2: None,
            }],
            noise: 0.0,
            problems: None,
            seed: 0,
        };
        let table = simulate_runs(&spec).unwrap().table;
        let data = Approach1Data::new(&table, &(0..table.len()).collect::<Vec<_>>()).unwrap();
        let starts = projected_starts(&data, LossObjective::Sse, 8);
        assert_eq!(starts.len(), 1, "{starts:?}");
        let x = &starts[0];
        let want = [truth.e, truth.a, truth.b, truth.g];
        for j in 0..4 {
            assert!(
                (x[j].exp() / want[j] - 1.0).abs() < 1e-9,
                "{j}: {} vs {}",
                x[j].exp(),
                want[j]
            );
        }
        for (got, want) in x[4..].iter().zip([truth.alpha, truth.beta, truth.gamma]) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
    }
}
