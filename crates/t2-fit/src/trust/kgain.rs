//! The k-gain test of Approach 1's shape. Under L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ the gain from
//! sampling, L(1) − L(k) = G·(1 − k^−γ), is the same at every checkpoint: across checkpoints it does not track
//! the single-pass loss L(1), but for the noise the two share. When it does (strong models gain more from
//! sampling, or less), the separable G/k^γ cannot hold and the law's k* means nothing.

use std::collections::BTreeMap;

use t2_core::Form;

use super::{Check, Reason, Verdict};
use crate::report::FormFit;

/// |Pearson r| of the gain L(1) − L(k) with L(1) across checkpoints above which Approach 1's separable k term
/// cannot describe the data (Gemstones ARC-Challenge and PIQA: 0.95–1.00; the example sweep, drawn from
/// Approach 1, at most 0.3).
pub const KGAIN_CORRELATION: f64 = 0.8;
/// Fewest checkpoints with both L(1) and L(k) for the correlation at that k to count.
pub const KGAIN_MIN_CHECKPOINTS: usize = 5;

/// A checkpoint's observed L(1), and its (k, L(k)) for k > 1.
type Losses = (Option<f64>, Vec<(f64, f64)>);

/// The k-gain correlation of the observed losses of `fit`'s rows (fitted and held out): for each k > 1 with at
/// least [`KGAIN_MIN_CHECKPOINTS`] checkpoints observed at k = 1 and at k, Pearson's r of L(1) − L(k) with
/// L(1) across them; the median over those k. None when no k qualifies.
pub fn correlation(fit: &FormFit) -> Option<f64> {
    let mut by_checkpoint: BTreeMap<(u64, u64), Losses> = BTreeMap::new();
    for p in fit.predictions.iter().filter(|p| p.observed.is_finite()) {
        let entry = by_checkpoint
            .entry((p.params.to_bits(), p.tokens.to_bits()))
            .or_default();
        if p.k == 1.0 {
            entry.0 = Some(p.observed);
        } else {
            entry.1.push((p.k, p.observed));
        }
    }
    let mut by_k: BTreeMap<u64, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for (single, others) in by_checkpoint.values() {
        let Some(l1) = single else { continue };
        for &(k, lk) in others {
            let (gain, base) = by_k.entry(k.to_bits()).or_default();
            gain.push(l1 - lk);
            base.push(*l1);
        }
    }
    let mut r: Vec<f64> = by_k
        .values()
        .filter(|(gain, _)| gain.len() >= KGAIN_MIN_CHECKPOINTS)
        .filter_map(|(gain, base)| pearson(gain, base))
        .collect();
    if r.is_empty() {
        return None;
    }
    r.sort_by(f64::total_cmp);
    let mid = r.len() / 2;
    Some(if r.len() % 2 == 1 {
        r[mid]
    } else {
        (r[mid - 1] + r[mid]) / 2.0
    })
}

/// The k-gain reason of an Approach 1 fit whose data fail the test; None for other forms or when it passes.
pub fn reason(fit: &FormFit) -> Option<Reason> {
    if fit.form != Form::Approach1 {
        return None;
    }
    let r = correlation(fit)?;
    (r.abs() > KGAIN_CORRELATION).then(|| {
        Reason::new(
            Check::KGain,
            Verdict::Unreliable,
            format!(
                "the gain from sampling, L(1) − L(k), tracks L(1) across checkpoints (r = {r:.2}): the separable \
                 G/k^γ cannot hold, so the law misplaces k*"
            ),
            Some(r.abs()),
            Some(KGAIN_CORRELATION),
        )
    })
}

/// Pearson's correlation; None for fewer than 3 points or a constant variable.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 3 || x.len() != y.len() {
        return None;
    }
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}
