//! The contract between a model's fit objective and the optimiser.

/// A smooth objective f: ℝⁿ → ℝ with an analytic gradient.
///
/// Implementations must be pure (same x → same bits) so fits are reproducible, and `Sync` so starts can run in
/// parallel. Return `f64::INFINITY` (and any gradient) where the objective is undefined.
pub trait Objective: Sync {
    /// Number of free parameters.
    fn dim(&self) -> usize;

    /// f(x), writing ∇f(x) into `grad` (length [`Objective::dim`]).
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64;

    /// f(x) alone. The default evaluates the gradient too; override when the value is much cheaper.
    fn value(&self, x: &[f64]) -> f64 {
        let mut grad = vec![0.0; self.dim()];
        self.value_grad(x, &mut grad)
    }

    /// Whether f implements [`Objective::gauss_newton`]: a positive semi-definite G with f(x + δ) ≈ f + ∇fᵀδ +
    /// δᵀGδ near x, as JᵀJ is for a sum of squares f = Σ r_i(x)² (and, for Huber, the same sum over the rows in
    /// its quadratic zone). Such objectives are minimised by Levenberg–Marquardt ([`crate::marquardt`]) instead
    /// of L-BFGS.
    fn has_gauss_newton(&self) -> bool {
        false
    }

    /// f(x), ∇f into `grad` and the Gauss–Newton matrix G (row-major, dim × dim) into `jtj`; for a sum of squares
    /// ∇f = 2·Jᵀr and G = JᵀJ, J the Jacobian of the residuals. Only called when
    /// [`Objective::has_gauss_newton`].
    fn gauss_newton(&self, x: &[f64], grad: &mut [f64], jtj: &mut [f64]) -> f64 {
        let _ = jtj;
        self.value_grad(x, grad)
    }
}

/// The Gauss–Newton matrix JᵀJ = Σ_i w_i·∇r_i·∇r_iᵀ of a weighted sum of squares, accumulated one residual
/// gradient at a time on its upper triangle and written out whole ([`Objective::gauss_newton`]'s `jtj`).
#[derive(Debug, Clone, Copy)]
pub struct GaussNewtonMatrix<const N: usize> {
    upper: [[f64; N]; N],
}

impl<const N: usize> Default for GaussNewtonMatrix<N> {
    fn default() -> Self {
        GaussNewtonMatrix { upper: [[0.0; N]; N] }
    }
}

impl<const N: usize> GaussNewtonMatrix<N> {
    /// Adds w·v·vᵀ (v = ∇r_i, w its weight).
    #[inline]
    pub fn add(&mut self, w: f64, v: &[f64; N]) {
        for a in 0..N {
            for b in a..N {
                self.upper[a][b] += w * v[a] * v[b];
            }
        }
    }

    /// Whether every entry is finite.
    pub fn is_finite(&self) -> bool {
        self.upper.iter().flatten().all(|v| v.is_finite())
    }

    /// Writes scale·JᵀJ, row-major N × N, into `out`.
    pub fn write(&self, scale: f64, out: &mut [f64]) {
        for a in 0..N {
            for b in 0..N {
                let entry = if a <= b {
                    self.upper[a][b]
                } else {
                    self.upper[b][a]
                };
                out[a * N + b] = scale * entry;
            }
        }
    }
}
