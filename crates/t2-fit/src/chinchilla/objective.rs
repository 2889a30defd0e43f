//! The Chinchilla fit objective in the log-sum-exp parameterisation (Hoffmann et al. 2022; Epoch 2024).
//!
//! Parameters x = (a, b, e, α, β) with A = e^a, B = e^b, E = e^e, and
//!   ln L̂(N, D) = LSE(a − α·ln N, b − β·ln D, e)  ⇔  L̂ = E + A/N^α + B/D^β.
//! The objective is a weighted SUM over rows of ρ(residual) (see [`Loss`]).

use serde::{Deserialize, Serialize};
use t2_core::{ChinchillaParams, Form, RunTable};

use crate::error::FitError;
use crate::objective::{GaussNewtonMatrix, Objective};

/// Index of a (log) parameter in x.
pub const LN_A: usize = 0;
/// Index of ln B in x.
pub const LN_B: usize = 1;
/// Index of ln E in x.
pub const LN_E: usize = 2;
/// Index of α in x.
pub const ALPHA: usize = 3;
/// Index of β in x.
pub const BETA: usize = 4;
/// Number of parameters.
pub const DIM: usize = 5;

/// Model parameters from x = (a, b, e, α, β).
pub fn params_of(x: &[f64]) -> ChinchillaParams {
    ChinchillaParams {
        a: x[LN_A].exp(),
        b: x[LN_B].exp(),
        e: x[LN_E].exp(),
        alpha: x[ALPHA],
        beta: x[BETA],
    }
}

/// x = (ln A, ln B, ln E, α, β) from model parameters.
pub fn x_of(p: &ChinchillaParams) -> [f64; DIM] {
    [p.a.ln(), p.b.ln(), p.e.ln(), p.alpha, p.beta]
}

/// The per-row penalty ρ, summed over rows (times the row weight).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Loss {
    /// Huber on u = ln L − ln L̂: ρ(u) = u²/2 for |u| ≤ δ, δ·(|u| − δ/2) otherwise (scipy.special.huber).
    Huber {
        /// δ, where the penalty turns from quadratic to linear.
        delta: f64,
    },
    /// Squared error on the log: ρ = (ln L − ln L̂)².
    SquaredLog,
    /// Squared error on the loss itself: ρ = (L − L̂)².
    Squared,
}

impl Default for Loss {
    fn default() -> Self {
        Loss::Huber { delta: 1e-3 }
    }
}

impl Loss {
    /// Huber on ln L with half-width `delta` > 0.
    pub fn huber(delta: f64) -> Result<Loss, FitError> {
        if delta > 0.0 && delta.is_finite() {
            Ok(Loss::Huber { delta })
        } else {
            Err(FitError::BadOptions {
                what: "Huber delta",
                message: format!("must be positive and finite, got {delta}"),
            })
        }
    }

    /// A description for reports, e.g. "huber(delta=0.001) on ln L, summed".
    pub fn describe(&self) -> String {
        match self {
            Loss::Huber { delta } => format!("huber(delta={delta}) on ln L, summed"),
            Loss::SquaredLog => "squared error on ln L, summed".into(),
            Loss::Squared => "squared error on L, summed".into(),
        }
    }

    /// ρ at the row, dρ/d(ln L̂) and the row's Gauss–Newton weight c, given ln L, L and ln L̂: the quadratic
    /// model ρ(ln L̂ + h) ≈ ρ + ρ′·h + c·h² that Levenberg–Marquardt steps on. For the squared losses c is
    /// (∂r/∂ln L̂)² of the residual r (1 for r = ln L − ln L̂, L̂² for r = L − L̂); for Huber it is ρ″/2: ½ in
    /// the quadratic zone |u| ≤ δ and 0 beyond it, where ρ is linear in u (so only the rows within δ of the law
    /// give the model curvature, as in Newton's method for Huber regression).
    #[inline]
    fn penalty(&self, ln_l: f64, l: f64, ln_pred: f64) -> (f64, f64, f64) {
        match *self {
            Loss::Huber { delta } => {
                let u = ln_l - ln_pred;
                if u.abs() <= delta {
                    (0.5 * u * u, -u, 0.5)
                } else {
                    (delta * (u.abs() - 0.5 * delta), -delta * u.signum(), 0.0)
                }
            }
            Loss::SquaredLog => {
                let u = ln_l - ln_pred;
                (u * u, -2.0 * u, 1.0)
            }
            Loss::Squared => {
                let pred = ln_pred.exp();
                let r = l - pred;
                (r * r, -2.0 * r * pred, pred * pred)
            }
        }
    }
}

/// The rows of a fit, preprocessed: ln N, ln D, L, ln L and the weight of each row.
#[derive(Debug, Clone, PartialEq)]
pub struct FitData {
    /// ln N of each row.
    pub ln_n: Vec<f64>,
    /// ln D of each row.
    pub ln_d: Vec<f64>,
    /// The observed loss of each row.
    pub loss: Vec<f64>,
    /// Its logarithm.
    pub ln_loss: Vec<f64>,
    /// Each row's weight.
    pub weight: Vec<f64>,
}

impl FitData {
    /// The rows `rows` of `table` (repeats allowed). Needs a loss column with positive, finite losses on those
    /// rows.
    pub fn new(table: &RunTable, rows: &[usize]) -> Result<FitData, FitError> {
        let loss = table.loss.as_ref().ok_or(FitError::MissingColumn {
            form: Form::Chinchilla,
            column: "loss",
            hint: "map one with --col loss=NAME",
        })?;
        if let Some(&bad) = rows.iter().find(|&&i| !(loss[i] > 0.0 && loss[i].is_finite())) {
            return Err(FitError::BadValue {
                form: Form::Chinchilla,
                row: bad,
                column: "loss",
                value: loss[bad],
                need: "positive and finite (the fit is in log space)",
            });
        }
        let pick = |v: &[f64], f: fn(f64) -> f64| rows.iter().map(|&i| f(v[i])).collect::<Vec<f64>>();
        Ok(FitData {
            ln_n: pick(&table.params, f64::ln),
            ln_d: pick(&table.tokens, f64::ln),
            loss: pick(loss, |v| v),
            ln_loss: pick(loss, f64::ln),
            weight: match &table.weight {
                Some(w) => pick(w, |v| v),
                None => vec![1.0; rows.len()],
            },
        })
    }

    /// The rows at `indices` of this data (repeats allowed), e.g. a bootstrap resample.
    pub fn subset(&self, indices: &[usize]) -> FitData {
        let pick = |v: &[f64]| indices.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        FitData {
            ln_n: pick(&self.ln_n),
            ln_d: pick(&self.ln_d),
            loss: pick(&self.loss),
            ln_loss: pick(&self.ln_loss),
            weight: pick(&self.weight),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.loss.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.loss.is_empty()
    }

    /// The smallest loss.
    pub fn min_loss(&self) -> f64 {
        self.loss.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Σ_i w_i·ρ(row i) over x = (a, b, e, α, β).
pub struct ChinchillaObjective<'a> {
    /// The rows.
    pub data: &'a FitData,
    /// The per-row penalty.
    pub loss: Loss,
}

impl ChinchillaObjective<'_> {
    /// The objective, and its gradient when `grad` is given. With terms t₁ = a − α ln N, t₂ = b − β ln D,
    /// t₃ = e and softmax weights p_j = e^{t_j − LSE}: ∂LSE/∂(a, α) = p₁·(1, −ln N), ∂LSE/∂(b, β) = p₂·(1, −ln D),
    /// ∂LSE/∂e = p₃; the chain rule multiplies by w·dρ/dLSE. With `jtj`, the Gauss–Newton matrix
    /// Σ w·c·∇LSE·∇LSEᵀ, c each row's weight from [`Loss`]'s penalty (for the squared losses this is JᵀJ of the
    /// residuals √w·r).
    #[inline]
    fn evaluate(&self, x: &[f64], grad: Option<&mut [f64]>, jtj: Option<&mut [f64]>) -> f64 {
        let d = self.data;
        let (a, b, e, alpha, beta) = (x[LN_A], x[LN_B], x[LN_E], x[ALPHA], x[BETA]);
        let mut total = 0.0;
        let mut g = [0.0; DIM];
        let mut h = GaussNewtonMatrix::<DIM>::default();
        let gauss_newton = jtj.is_some();
        for i in 0..d.len() {
            let t1 = a - alpha * d.ln_n[i];
            let t2 = b - beta * d.ln_d[i];
            // Softmax numerators q_j = e^{t_j − max}; the largest term is exactly 1 (saves one exp per row).
            let (q1, q2, q3, m) = if t1 >= t2 && t1 >= e {
                (1.0, (t2 - t1).exp(), (e - t1).exp(), t1)
            } else if t2 >= e {
                ((t1 - t2).exp(), 1.0, (e - t2).exp(), t2)
            } else {
                ((t1 - e).exp(), (t2 - e).exp(), 1.0, e)
            };
            let s = q1 + q2 + q3;
            let lse = m + s.ln();
            let (rho, drho, curvature) = self.loss.penalty(d.ln_loss[i], d.loss[i], lse);
            let w = d.weight[i];
            total += w * rho;
            if grad.is_some() {
                let c = w * drho / s;
                g[LN_A] += c * q1;
                g[ALPHA] -= c * q1 * d.ln_n[i];
                g[LN_B] += c * q2;
                g[BETA] -= c * q2 * d.ln_d[i];
                g[LN_E] += c * q3;
            }
            if gauss_newton {
                let mut d_lse = [0.0; DIM];
                d_lse[LN_A] = q1 / s;
                d_lse[ALPHA] = -q1 / s * d.ln_n[i];
                d_lse[LN_B] = q2 / s;
                d_lse[BETA] = -q2 / s * d.ln_d[i];
                d_lse[LN_E] = q3 / s;
                h.add(w * curvature, &d_lse);
            }
        }
        if let Some(out) = grad {
            out.copy_from_slice(&g);
        }
        if let Some(out) = jtj {
            h.write(1.0, out);
        }
        if total.is_finite() {
            total
        } else {
            f64::INFINITY
        }
    }
}

impl Objective for ChinchillaObjective<'_> {
    fn dim(&self) -> usize {
        DIM
    }

    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.evaluate(x, Some(grad), None)
    }

    fn value(&self, x: &[f64]) -> f64 {
        self.evaluate(x, None, None)
    }

    /// Every loss has a Gauss–Newton model (see [`Loss`]'s penalty), so fits are solved by Levenberg–Marquardt.
    fn has_gauss_newton(&self) -> bool {
        true
    }

    fn gauss_newton(&self, x: &[f64], grad: &mut [f64], jtj: &mut [f64]) -> f64 {
        self.evaluate(x, Some(grad), Some(jtj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> FitData {
        let table = RunTable {
            params: vec![1e7, 1e8, 1e9, 3e9, 2e8],
            tokens: vec![1e9, 3e9, 2e10, 1e11, 5e8],
            k: vec![1.0; 5],
            loss: Some(vec![4.1, 3.2, 2.6, 2.3, 3.6]),
            weight: Some(vec![1.0, 2.0, 0.5, 1.0, 1.5]),
            ..Default::default()
        };
        FitData::new(&table, &[0, 1, 2, 3, 4]).unwrap()
    }

    /// Central differences agree with the analytic gradient for every loss, in both Huber regimes.
    #[test]
    fn gradient_matches_finite_differences() {
        let d = data();
        let points = [
            [6.0, 7.0, 0.5, 0.35, 0.3],
            [5.0, 6.5, 0.6, 0.3, 0.28],
            [2.0, 3.0, 1.0, 0.1, 0.05],
        ];
        for loss in [
            Loss::Huber { delta: 1e-3 },
            Loss::Huber { delta: 10.0 },
            Loss::SquaredLog,
            Loss::Squared,
        ] {
            let obj = ChinchillaObjective { data: &d, loss };
            for x in points {
                let mut g = [0.0; DIM];
                obj.value_grad(&x, &mut g);
                for j in 0..DIM {
                    let h = 1e-6;
                    let (mut up, mut down) = (x, x);
                    up[j] += h;
                    down[j] -= h;
                    let numeric = (obj.value(&up) - obj.value(&down)) / (2.0 * h);
                    assert!(
                        (numeric - g[j]).abs() <= 1e-6 * (1.0 + g[j].abs()),
                        "{loss:?} x={x:?} j={j}: numeric {numeric} analytic {}",
                        g[j]
                    );
                }
            }
        }
    }

    /// The Gauss–Newton matrix is right for every loss: where every residual is 0 (rows exactly on the law, all
    /// within Huber's quadratic zone) the Hessian of f is exactly 2·JᵀJ, checked against central differences of
    /// the gradient; the gradient is the same as value_grad's.
    #[test]
    fn gauss_newton_matrix_is_half_the_hessian_at_a_perfect_fit() {
        let p = ChinchillaParams::HOFFMANN;
        let (params, tokens) = (vec![1e8, 4e8, 1e9, 7e10, 3e9], vec![2e9, 1e10, 3e9, 1.4e12, 6e10]);
        let loss = params.iter().zip(&tokens).map(|(&n, &d)| p.loss(n, d)).collect();
        let table = RunTable {
            params,
            tokens,
            k: vec![1.0; 5],
            loss: Some(loss),
            weight: Some(vec![1.0, 2.0, 0.5, 1.0, 1.5]),
            ..Default::default()
        };
        let d = FitData::new(&table, &[0, 1, 2, 3, 4]).unwrap();
        let x = x_of(&p);
        for loss in [Loss::default(), Loss::SquaredLog, Loss::Squared] {
            let obj = ChinchillaObjective { data: &d, loss };
            assert!(obj.has_gauss_newton());
            let (mut g, mut g_plain, mut jtj) = ([0.0; DIM], [0.0; DIM], [0.0; DIM * DIM]);
            let f = obj.gauss_newton(&x, &mut g, &mut jtj);
            assert_eq!(f, obj.value_grad(&x, &mut g_plain));
            assert_eq!(g, g_plain);
            for j in 0..DIM {
                let h = 1e-5;
                let (mut up, mut down) = (x, x);
                up[j] += h;
                down[j] -= h;
                let (mut g_up, mut g_down) = ([0.0; DIM], [0.0; DIM]);
                obj.value_grad(&up, &mut g_up);
                obj.value_grad(&down, &mut g_down);
                for i in 0..DIM {
                    let numeric = (g_up[i] - g_down[i]) / (2.0 * h);
                    let analytic = 2.0 * jtj[i * DIM + j];
                    assert!(
                        (numeric - analytic).abs() <= 1e-5 * (1.0 + analytic.abs()),
                        "{loss:?} H[{i}][{j}]: numeric {numeric} vs 2·JᵀJ {analytic}"
                    );
                }
            }
        }
    }

    /// Huber's Gauss–Newton matrix counts only the rows within δ of the law: with one row's loss moved e^0.1
    /// off it, the matrix is that of the other rows (and the squared log's still counts the moved row).
    #[test]
    fn huber_gauss_newton_matrix_leaves_out_rows_beyond_delta() {
        let p = ChinchillaParams::HOFFMANN;
        let (params, tokens) = (
            vec![1e8, 4e8, 1e9, 7e10, 3e9, 2e8],
            vec![2e9, 1e10, 3e9, 1.4e12, 6e10, 8e9],
        );
        let mut loss: Vec<f64> = params.iter().zip(&tokens).map(|(&n, &d)| p.loss(n, d)).collect();
        loss[0] *= 0.1f64.exp();
        let table = RunTable {
            params,
            tokens,
            k: vec![1.0; 6],
            loss: Some(loss),
            ..Default::default()
        };
        let matrix = |rows: &[usize], loss: Loss| {
            let d = FitData::new(&table, rows).unwrap();
            let (mut g, mut jtj) = ([0.0; DIM], [0.0; DIM * DIM]);
            ChinchillaObjective { data: &d, loss }.gauss_newton(&x_of(&p), &mut g, &mut jtj);
            jtj
        };
        let huber = Loss::default();
        let (all, others) = (
            matrix(&[0, 1, 2, 3, 4, 5], huber),
            matrix(&[1, 2, 3, 4, 5], huber),
        );
        for (a, b) in all.iter().zip(&others) {
            assert!((a - b).abs() <= 1e-15 * b.abs(), "{a} vs {b}");
        }
        let squared = matrix(&[0, 1, 2, 3, 4, 5], Loss::SquaredLog);
        let squared_others = matrix(&[1, 2, 3, 4, 5], Loss::SquaredLog);
        assert!(
            squared[0] > 1.01 * squared_others[0],
            "{} vs {}",
            squared[0],
            squared_others[0]
        );
    }

    /// ln L̂ is the log of E + A/N^α + B/D^β, and a perfect fit costs nothing.
    #[test]
    fn log_sum_exp_is_the_chinchilla_law() {
        let p = ChinchillaParams::HOFFMANN;
        let table = RunTable {
            params: vec![1e8, 7e10],
            tokens: vec![2e9, 1.4e12],
            k: vec![1.0; 2],
            loss: Some(vec![p.loss(1e8, 2e9), p.loss(7e10, 1.4e12)]),
            ..Default::default()
        };
        let d = FitData::new(&table, &[0, 1]).unwrap();
        let x = x_of(&p);
        for loss in [Loss::default(), Loss::SquaredLog, Loss::Squared] {
            assert!(ChinchillaObjective { data: &d, loss }.value(&x) < 1e-25);
        }
        let back = params_of(&x);
        assert!((back.a / p.a - 1.0).abs() < 1e-14 && back.alpha == p.alpha);
    }
}
