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

    /// Whether f is a sum of squares f = Σ r_i(x)² that implements [`Objective::gauss_newton`]; such objectives
    /// are minimised by Levenberg–Marquardt ([`crate::marquardt`]) instead of L-BFGS.
    fn is_least_squares(&self) -> bool {
        false
    }

    /// For a sum of squares: f(x), ∇f = 2·Jᵀr into `grad` and the Gauss–Newton matrix JᵀJ (row-major, dim × dim)
    /// into `jtj`, J the Jacobian of the residuals. Only called when [`Objective::is_least_squares`].
    fn gauss_newton(&self, x: &[f64], grad: &mut [f64], jtj: &mut [f64]) -> f64 {
        let _ = jtj;
        self.value_grad(x, grad)
    }
}
