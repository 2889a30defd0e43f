//! Pinned and bounded parameters for an unconstrained optimiser: [`Reparam`] wraps an [`Objective`] so that
//! The optimiser sees only the free parameters, each mapped onto its allowed range.
//!
//! Maps from the optimiser's z to the model's x (chain rule applied to the gradient):
//! - free: x = z;  pinned: x = v (not optimised);
//! - lower bound: x = lo + e^z;  upper bound: x = hi − e^z;
//! - interval: x = lo + (hi − lo)·σ(z), σ(z) = 1/(1 + e^−z).

use serde::{Deserialize, Serialize};

use crate::objective::Objective;

/// What a parameter may do.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    #[default]
    /// Unconstrained.
    Free,
    /// Held at this value.
    Pinned(f64),
    /// x > lo.
    Lower(f64),
    /// x < hi.
    Upper(f64),
    /// lo < x < hi.
    Interval(f64, f64),
}

/// Relative distance to a bound (of max(1, |bound|) or of the interval width) at which a parameter is reported
/// as sitting on it.
pub const AT_BOUND_RTOL: f64 = 1e-6;

impl Constraint {
    /// x from z.
    fn to_model(self, z: f64) -> f64 {
        match self {
            Constraint::Free => z,
            Constraint::Pinned(v) => v,
            Constraint::Lower(lo) => lo + z.exp(),
            Constraint::Upper(hi) => hi - z.exp(),
            Constraint::Interval(lo, hi) => lo + (hi - lo) * sigmoid(z),
        }
    }

    /// dx/dz.
    fn slope(self, z: f64) -> f64 {
        match self {
            Constraint::Free => 1.0,
            Constraint::Pinned(_) => 0.0,
            Constraint::Lower(_) => z.exp(),
            Constraint::Upper(_) => -z.exp(),
            Constraint::Interval(lo, hi) => {
                let s = sigmoid(z);
                (hi - lo) * s * (1.0 - s)
            }
        }
    }

    /// z from x; an x on or outside the range is first moved a little inside it (starts on a bound).
    fn to_free(self, x: f64) -> f64 {
        let inside = |x: f64, lo: f64, hi: f64| {
            let margin = 1e-3
                * if hi.is_finite() && lo.is_finite() {
                    hi - lo
                } else {
                    1.0
                };
            x.clamp(lo + margin, hi - margin)
        };
        match self {
            Constraint::Free | Constraint::Pinned(_) => x,
            Constraint::Lower(lo) => (inside(x, lo, f64::INFINITY) - lo).ln(),
            Constraint::Upper(hi) => (hi - inside(x, f64::NEG_INFINITY, hi)).ln(),
            Constraint::Interval(lo, hi) => {
                let s = (inside(x, lo, hi) - lo) / (hi - lo);
                (s / (1.0 - s)).ln()
            }
        }
    }

    /// Whether x sits on a bound (within [`AT_BOUND_RTOL`]).
    pub fn at_bound(self, x: f64) -> bool {
        let near = |b: f64, scale: f64| (x - b).abs() <= AT_BOUND_RTOL * scale;
        match self {
            Constraint::Free | Constraint::Pinned(_) => false,
            Constraint::Lower(lo) => near(lo, lo.abs().max(1.0)),
            Constraint::Upper(hi) => near(hi, hi.abs().max(1.0)),
            Constraint::Interval(lo, hi) => near(lo, hi - lo) || near(hi, hi - lo),
        }
    }

    /// Whether the parameter is held fixed.
    pub fn is_pinned(self) -> bool {
        matches!(self, Constraint::Pinned(_))
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// An objective over the free parameters of `inner`, whose parameters are constrained by `constraints`
/// (one per parameter of `inner`).
pub struct Reparam<'a, O: Objective> {
    inner: &'a O,
    constraints: Vec<Constraint>,
    free: Vec<usize>,
}

impl<'a, O: Objective> Reparam<'a, O> {
    /// `constraints.len()` must equal `inner.dim()`.
    pub fn new(inner: &'a O, constraints: &[Constraint]) -> Reparam<'a, O> {
        assert_eq!(constraints.len(), inner.dim(), "one constraint per parameter");
        Reparam {
            inner,
            constraints: constraints.to_vec(),
            free: (0..constraints.len())
                .filter(|&i| !constraints[i].is_pinned())
                .collect(),
        }
    }

    /// True when nothing is pinned or bounded (z = x).
    pub fn is_identity(&self) -> bool {
        self.constraints.iter().all(|c| *c == Constraint::Free)
    }

    /// The model's full parameter vector x from the free vector z.
    pub fn to_model(&self, z: &[f64]) -> Vec<f64> {
        let mut x: Vec<f64> = self.constraints.iter().map(|c| c.to_model(0.0)).collect();
        for (k, &i) in self.free.iter().enumerate() {
            x[i] = self.constraints[i].to_model(z[k]);
        }
        x
    }

    /// The free vector z for a full start x (pinned entries of x are ignored; starts on or outside a bound are
    /// moved just inside).
    pub fn to_free(&self, x: &[f64]) -> Vec<f64> {
        self.free
            .iter()
            .map(|&i| self.constraints[i].to_free(x[i]))
            .collect()
    }

    /// Indices (into x) of the parameters that ended on a bound.
    pub fn at_bound(&self, x: &[f64]) -> Vec<usize> {
        (0..x.len())
            .filter(|&i| self.constraints[i].at_bound(x[i]))
            .collect()
    }
}

impl<O: Objective> Objective for Reparam<'_, O> {
    fn dim(&self) -> usize {
        self.free.len()
    }

    fn value_grad(&self, z: &[f64], grad: &mut [f64]) -> f64 {
        let x = self.to_model(z);
        let mut full = vec![0.0; x.len()];
        let f = self.inner.value_grad(&x, &mut full);
        for (k, &i) in self.free.iter().enumerate() {
            grad[k] = full[i] * self.constraints[i].slope(z[k]);
        }
        f
    }

    fn value(&self, z: &[f64]) -> f64 {
        self.inner.value(&self.to_model(z))
    }

    fn has_gauss_newton(&self) -> bool {
        self.inner.has_gauss_newton()
    }

    /// The chain rule with the diagonal map dx/dz: ∇_z f = S·∇_x f, J_zᵀJ_z = S·J_xᵀJ_x·S, S = diag(dx_i/dz).
    fn gauss_newton(&self, z: &[f64], grad: &mut [f64], jtj: &mut [f64]) -> f64 {
        let x = self.to_model(z);
        let n = x.len();
        let (mut full_grad, mut full_jtj) = (vec![0.0; n], vec![0.0; n * n]);
        let f = self.inner.gauss_newton(&x, &mut full_grad, &mut full_jtj);
        let slopes: Vec<f64> = (0..self.free.len())
            .map(|k| self.constraints[self.free[k]].slope(z[k]))
            .collect();
        let m = self.free.len();
        for (k, &i) in self.free.iter().enumerate() {
            grad[k] = full_grad[i] * slopes[k];
            for (l, &j) in self.free.iter().enumerate() {
                jtj[k * m + l] = full_jtj[i * n + j] * slopes[k] * slopes[l];
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f(x) = Σ (x_i − c_i)², minimum at c.
    struct Bowl(Vec<f64>);

    impl Objective for Bowl {
        fn dim(&self) -> usize {
            self.0.len()
        }
        fn value_grad(&self, x: &[f64], g: &mut [f64]) -> f64 {
            let mut f = 0.0;
            for i in 0..x.len() {
                g[i] = 2.0 * (x[i] - self.0[i]);
                f += (x[i] - self.0[i]).powi(2);
            }
            f
        }
    }

    /// Free, pinned at 0.5, x > −1, x < 3, 0 < x < 10.
    const ONE_OF_EACH: [Constraint; 5] = [
        Constraint::Free,
        Constraint::Pinned(0.5),
        Constraint::Lower(-1.0),
        Constraint::Upper(3.0),
        Constraint::Interval(0.0, 10.0),
    ];

    #[test]
    fn gradient_follows_the_chain_rule() {
        let bowl = Bowl(vec![1.0, 2.0, 3.0, 4.0, 5.0]);
        let r = Reparam::new(&bowl, &ONE_OF_EACH);
        assert_eq!(r.dim(), 4);
        let z = [0.3, -0.2, 0.7, 1.1];
        let mut g = [0.0; 4];
        r.value_grad(&z, &mut g);
        for k in 0..4 {
            let h = 1e-6;
            let (mut up, mut down) = (z, z);
            up[k] += h;
            down[k] -= h;
            let numeric = (r.value(&up) - r.value(&down)) / (2.0 * h);
            assert!(
                (numeric - g[k]).abs() < 1e-6 * (1.0 + g[k].abs()),
                "{k}: {numeric} vs {}",
                g[k]
            );
        }
    }

    #[test]
    fn bounded_minimum_lands_on_the_bound_and_is_reported() {
        let bowl = Bowl(vec![1.0, 2.0, 3.0, 4.0, 5.0]);
        let r = Reparam::new(&bowl, &ONE_OF_EACH);
        let opts = crate::LbfgsOptions {
            tol_grad: 1e-10,
            ..Default::default()
        };
        let fit = crate::minimize(&r, &r.to_free(&[0.0, 0.0, 0.0, 0.0, 0.0]), &opts);
        let x = r.to_model(&fit.x);
        assert!((x[0] - 1.0).abs() < 1e-8 && x[1] == 0.5 && (x[2] - 3.0).abs() < 1e-8);
        assert!((x[3] - 3.0).abs() < 1e-5, "upper bound: {}", x[3]);
        assert!((x[4] - 5.0).abs() < 1e-7);
        assert_eq!(r.at_bound(&x), vec![3]);
    }
}
