//! The deterministic start design of an Approach 1 fit: seeded random starts scaled to the data.

use super::data::Approach1Data;
use crate::starts;

/// Range of the exponents α, β, γ in the starts.
pub const EXPONENT_RANGE: (f64, f64) = (0.05, 1.5);

/// `count` starts x = (ln E, ln A, ln B, ln G, α, β, γ) from `seed`, scaled to the data:
/// α, β, γ ~ U(0.05, 1.5); E = L_min·u with u ~ U(0.02, 0.98); the excess L_mean − E is split between the
/// three terms by shares s ~ U(0.05, 1) (normalised) at the data centre, so
/// ln A = ln(s_A·(L_mean − E)) + α·mean(ln N), ln B likewise with D and β, ln G with k and γ.
pub fn starts_for(data: &Approach1Data, count: usize, seed: u64) -> Vec<Vec<f64>> {
    let (lo, hi) = EXPONENT_RANGE;
    let unit = starts::random(&[(0.0, 1.0); 7], count, seed);
    let (min_loss, _) = data.loss_range();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let mean_loss = data.rows.iter().map(|r| r.loss).sum::<f64>() / data.rows.len().max(1) as f64;
    let centre = [mean(&data.ln_params), mean(&data.ln_tokens), mean(&data.ln_k)];
    unit.into_iter()
        .map(|u| {
            let exponents = [
                lo + (hi - lo) * u[4],
                lo + (hi - lo) * u[5],
                lo + (hi - lo) * u[6],
            ];
            let e = min_loss * (0.02 + 0.96 * u[0]);
            let shares = [0.05 + 0.95 * u[1], 0.05 + 0.95 * u[2], 0.05 + 0.95 * u[3]];
            let total: f64 = shares.iter().sum();
            let excess = (mean_loss - e).max(1e-3 * mean_loss);
            let mut x = vec![e.ln()];
            for j in 0..3 {
                x.push((shares[j] / total * excess).ln() + exponents[j] * centre[j]);
            }
            x.extend_from_slice(&exponents);
            x
        })
        .collect()
}
