//! The **describes** checks of fit quality: R² and the residuals' trends with k, N and D.

use super::{Check, Reason, Verdict, RESIDUAL_TREND, R_SQUARED_MIN, TREND_MIN_POINTS};
use crate::report::{FormFit, Prediction};

/// Lack of fit: R² and residual trends on the fitted rows.
pub(super) fn quality_reasons(fit: &FormFit) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let r2 = fit.objective.r_squared;
    if r2 < R_SQUARED_MIN || r2.is_nan() {
        reasons.push(Reason::new(
            Check::RSquared,
            Verdict::Caution,
            format!("R² {r2:.3} on the fitted rows"),
            Some(r2),
            Some(R_SQUARED_MIN),
        ));
    }
    let trends = residual_trends(fit);
    let axes = [
        (
            "the residuals' trend in k bends the same way across checkpoints, or with their quality",
            trends.k,
        ),
        ("residuals trend with ln N", trends.params),
        ("residuals trend with ln D", trends.tokens),
    ];
    for (what, rho) in axes {
        if let Some(rho) = rho.filter(|r| r.abs() > RESIDUAL_TREND) {
            reasons.push(Reason::new(
                Check::ResidualTrend,
                Verdict::Caution,
                format!("{what} (|ρ| {:.2}): the law misses the data's shape", rho.abs()),
                Some(rho.abs()),
                Some(RESIDUAL_TREND),
            ));
        }
    }
    reasons
}

/// Rank correlations of the fitted rows' residuals (observed − predicted).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResidualTrends {
    /// The k-shape: with ρ_c = ρ(residual, ln k) within checkpoint c (those with at least
    /// [`TREND_MIN_POINTS`] k values), the larger of |mean_c ρ_c| and |ρ(ρ_c, q_c)|, q_c the checkpoint's
    /// predicted metric at its smallest k (its quality).
    pub k: Option<f64>,
    /// ρ(residual, ln N) over all fitted rows.
    pub params: Option<f64>,
    /// ρ(residual, ln D) over all fitted rows.
    pub tokens: Option<f64>,
}

/// The residual trends of `fit`'s fitted rows.
pub fn residual_trends(fit: &FormFit) -> ResidualTrends {
    let train: Vec<&Prediction> = fit
        .predictions
        .iter()
        .filter(|p| !p.heldout && p.observed.is_finite() && p.predicted.is_finite())
        .collect();
    let residual: Vec<f64> = train.iter().map(|p| p.observed - p.predicted).collect();
    let mut by_checkpoint: std::collections::BTreeMap<(u64, u64), Vec<usize>> = Default::default();
    for (i, p) in train.iter().enumerate() {
        by_checkpoint
            .entry((p.params.to_bits(), p.tokens.to_bits()))
            .or_default()
            .push(i);
    }
    let (mut rho, mut quality) = (Vec::new(), Vec::new());
    for rows in by_checkpoint
        .values()
        .filter(|rows| rows.len() >= TREND_MIN_POINTS)
    {
        let r: Vec<f64> = rows.iter().map(|&i| residual[i]).collect();
        let k: Vec<f64> = rows.iter().map(|&i| train[i].k.ln()).collect();
        if let Some(value) = spearman(&r, &k) {
            let first = rows.iter().min_by(|&&a, &&b| train[a].k.total_cmp(&train[b].k));
            rho.push(value);
            quality.push(first.map_or(f64::NAN, |&i| train[i].predicted));
        }
    }
    let k = (!rho.is_empty()).then(|| {
        let mean = (rho.iter().sum::<f64>() / rho.len() as f64).abs();
        spearman(&rho, &quality).map_or(mean, |q| mean.max(q.abs()))
    });
    let pooled = |x: &dyn Fn(&Prediction) -> f64| {
        let v: Vec<f64> = train.iter().map(|p| x(p)).collect();
        spearman(&residual, &v)
    };
    ResidualTrends {
        k,
        params: pooled(&|p| p.params.ln()),
        tokens: pooled(&|p| p.tokens.ln()),
    }
}

/// Ranks 1..n with ties given their mean rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
    let mut ranks = vec![0.0; v.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && v[order[end]] == v[order[start]] {
            end += 1;
        }
        let mean = (start + end + 1) as f64 / 2.0;
        order[start..end].iter().for_each(|&i| ranks[i] = mean);
        start = end;
    }
    ranks
}

/// Spearman's rank correlation: Pearson's correlation of the ranks (ties at their mean rank). None for fewer
/// than 3 points or a constant variable.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 3 || x.len() != y.len() {
        return None;
    }
    super::kgain::pearson(&ranks(x), &ranks(y))
}
