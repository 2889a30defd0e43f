//! Variable projection for stage 1: with E, α and β held, the loss law L̂ = E + A·u + B·v (u = N^−α, v = D^−β)
//! is linear in (A, B), so the best (A, B) ≥ 0 and its weighted squared error come in closed form from seven
//! sums over the rows. The sums do not depend on E:
//!
//!   G = Σ w·[u², u·v; u·v, v²],  r(E) = Σ w·(L − E)·(u, v) = Σ w·L·(u, v) − E·Σ w·(u, v),
//!
//! so they are taken once per (α, β) of the exponent grid, and every E of the profile scores the whole grid at
//! O(1) a pair. The score is the SSE up to a constant of E: cᵀGc − 2·r(E)ᵀc.

use super::super::chinchilla::{FitData, ALPHA, BETA, DIM, LN_A, LN_B, LN_E};

/// Smallest share of the smallest loss a term of a start contributes on average (as in the Chinchilla seeding:
/// a zero coefficient's log is −∞, and a negligible term puts the start on a plateau of the objective).
const TERM_FLOOR: f64 = 1e-3;

/// The E-free sums of one (α, β).
#[derive(Debug, Clone, Copy)]
struct PairSums {
    alpha: f64,
    beta: f64,
    suu: f64,
    suv: f64,
    svv: f64,
    sul: f64,
    svl: f64,
    su: f64,
    sv: f64,
}

impl PairSums {
    fn new(data: &FitData, alpha: f64, beta: f64, u: &[f64], v: &[f64]) -> PairSums {
        let mut s = PairSums {
            alpha,
            beta,
            suu: 0.0,
            suv: 0.0,
            svv: 0.0,
            sul: 0.0,
            svl: 0.0,
            su: 0.0,
            sv: 0.0,
        };
        for i in 0..data.len() {
            let (w, l, u, v) = (data.weight[i], data.loss[i], u[i], v[i]);
            s.suu += w * u * u;
            s.suv += w * u * v;
            s.svv += w * v * v;
            s.sul += w * u * l;
            s.svl += w * v * l;
            s.su += w * u;
            s.sv += w * v;
        }
        s
    }

    /// The best (A, B) ≥ 0 at E and its score cᵀGc − 2rᵀc: the joint solution of the 2×2 normal equations when
    /// both coefficients are non-negative, else the better one-term fit.
    fn solve(&self, e: f64) -> (f64, f64, f64) {
        let (ruy, rvy) = (self.sul - e * self.su, self.svl - e * self.sv);
        let score = |a: f64, b: f64| {
            a * a * self.suu + 2.0 * a * b * self.suv + b * b * self.svv - 2.0 * (a * ruy + b * rvy)
        };
        let mut best = (0.0, 0.0, 0.0);
        let mut consider = |a: f64, b: f64| {
            if a.is_finite() && b.is_finite() {
                let s = score(a, b);
                if s < best.2 {
                    best = (a, b, s);
                }
            }
        };
        consider((ruy / self.suu).max(0.0), 0.0);
        consider(0.0, (rvy / self.svv).max(0.0));
        let det = self.suu * self.svv - self.suv * self.suv;
        if det > 1e-12 * self.suu * self.svv {
            let (a, b) = (
                (ruy * self.svv - rvy * self.suv) / det,
                (rvy * self.suu - ruy * self.suv) / det,
            );
            if a >= 0.0 && b >= 0.0 {
                consider(a, b);
            }
        }
        best
    }

    /// The start at E, each term floored at `floor` (TERM_FLOOR·min L times Σw) over its weighted sum.
    fn start(&self, e: f64, floor: f64) -> ([f64; DIM], f64) {
        let (a, b, score) = self.solve(e);
        let at_least = |c: f64, sum: f64| {
            let f = floor / sum;
            c.max(if f.is_finite() && f > 0.0 {
                f
            } else {
                f64::MIN_POSITIVE
            })
            .ln()
        };
        let mut x = [0.0; DIM];
        x[LN_A] = at_least(a, self.su);
        x[LN_B] = at_least(b, self.sv);
        x[LN_E] = e.ln();
        x[ALPHA] = self.alpha;
        x[BETA] = self.beta;
        (x, score)
    }
}

/// The projected starts of a data set over an α × β grid.
#[derive(Debug, Clone)]
pub struct ProjectedStarts {
    pairs: Vec<PairSums>,
    /// TERM_FLOOR·min L·Σw: a term's weighted sum at the floor.
    floor: f64,
}

impl ProjectedStarts {
    /// The sums of every (α, β) in `exponents` × `exponents` (α-major).
    pub fn new(data: &FitData, exponents: &[f64]) -> ProjectedStarts {
        let powers =
            |ln_x: &[f64], exponent: f64| ln_x.iter().map(|l| (-exponent * l).exp()).collect::<Vec<_>>();
        let v: Vec<Vec<f64>> = exponents.iter().map(|&b| powers(&data.ln_d, b)).collect();
        let mut pairs = Vec::with_capacity(exponents.len() * exponents.len());
        for &alpha in exponents {
            let u = powers(&data.ln_n, alpha);
            for (j, &beta) in exponents.iter().enumerate() {
                pairs.push(PairSums::new(data, alpha, beta, &u, &v[j]));
            }
        }
        let weight: f64 = data.weight.iter().sum();
        ProjectedStarts {
            pairs,
            floor: TERM_FLOOR * data.min_loss() * weight,
        }
    }

    /// Pairs in the grid.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no starts.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The `keep` best starts x = (ln A, ln B, ln E, α, β) at E (lowest score first, ties by grid order).
    pub fn best(&self, e: f64, keep: usize) -> Vec<Vec<f64>> {
        let mut scored: Vec<(f64, usize, [f64; DIM])> = self
            .pairs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (x, score) = p.start(e, self.floor);
                (score, i, x)
            })
            .collect();
        scored.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
        scored
            .into_iter()
            .take(keep)
            .map(|(_, _, x)| x.to_vec())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_core::ChinchillaParams;

    /// On exact data the pair at the true exponents scores best and its (A, B) are the truth's.
    #[test]
    fn the_true_exponents_score_best_with_the_true_coefficients() {
        let truth = ChinchillaParams {
            e: 1.7,
            a: 400.0,
            b: 2000.0,
            alpha: 0.35,
            beta: 0.3,
        };
        let mut data = FitData {
            ln_n: vec![],
            ln_d: vec![],
            loss: vec![],
            ln_loss: vec![],
            weight: vec![],
        };
        for i in 0..6 {
            for j in 0..6 {
                let (n, d) = (1e7 * 4f64.powi(i), 1e9 * 3f64.powi(j));
                let l = truth.loss(n, d);
                data.ln_n.push(n.ln());
                data.ln_d.push(d.ln());
                data.loss.push(l);
                data.ln_loss.push(l.ln());
                data.weight.push(1.0);
            }
        }
        let starts = ProjectedStarts::new(&data, &[0.2, 0.3, 0.35, 0.5]);
        assert_eq!(starts.len(), 16);
        let best = &starts.best(truth.e, 1)[0];
        assert_eq!((best[ALPHA], best[BETA]), (0.35, 0.3));
        assert!(
            (best[LN_A].exp() / truth.a - 1.0).abs() < 1e-8,
            "A {}",
            best[LN_A].exp()
        );
        assert!(
            (best[LN_B].exp() / truth.b - 1.0).abs() < 1e-8,
            "B {}",
            best[LN_B].exp()
        );
    }
}
