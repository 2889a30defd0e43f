//! Inverse-variance weights across isoFLOP groups for stage 1 (the paper weights its single-pass loss fit so that
//! compute levels with a wide spread of losses do not dominate).
//!
//! Groups: rows sorted by training compute C = 6ND; a row joins the current group when its C is within 1% of
//! the group's smallest C (C ≤ 1.01·C_first), else it starts a new group. Weight of a row in group g:
//! w = 1/s²_g, s²_g the sample variance (n − 1 denominator, frequency-weighted by the rows' weights) of the
//! OBSERVED losses of the group. Guard: a group with fewer than 2 distinct checkpoints, or zero variance, gets
//! the median variance of the other groups; when no group has 2 checkpoints (e.g. a sweep that is not an
//! isoFLOP design, like Pythia's) every row gets weight 1. Weights are scaled to mean 1.

/// Relative width of an isoFLOP group.
pub const GROUP_RTOL: f64 = 0.01;

/// How the weights were made, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupWeights {
    /// One weight per row, mean 1.
    pub weights: Vec<f64>,
    pub groups: usize,
    /// Groups that had their own variance (≥ 2 distinct checkpoints, non-zero variance).
    pub groups_with_variance: usize,
}

/// Inverse-variance weights for rows with compute `flops[i]`, loss `loss[i]`, prior weight `prior[i]`
/// (multiplied in) and checkpoint key `checkpoint[i]` (rows of one checkpoint count once for the guard).
pub fn inverse_variance_weights(
    flops: &[f64],
    loss: &[f64],
    prior: &[f64],
    checkpoint: &[(u64, u64)],
) -> GroupWeights {
    let mut order: Vec<usize> = (0..flops.len()).collect();
    order.sort_by(|&i, &j| flops[i].total_cmp(&flops[j]).then(i.cmp(&j)));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in &order {
        match groups.last_mut() {
            Some(g) if flops[i] <= (1.0 + GROUP_RTOL) * flops[g[0]] => g.push(i),
            _ => groups.push(vec![i]),
        }
    }
    let variance = |g: &[usize]| {
        let mut keys: Vec<(u64, u64)> = g.iter().map(|&i| checkpoint[i]).collect();
        keys.sort_unstable();
        keys.dedup();
        let total: f64 = g.iter().map(|&i| prior[i]).sum();
        if keys.len() < 2 || total <= 1.0 {
            return None;
        }
        let mean = g.iter().map(|&i| prior[i] * loss[i]).sum::<f64>() / total;
        let var = g
            .iter()
            .map(|&i| prior[i] * (loss[i] - mean).powi(2))
            .sum::<f64>()
            / (total - 1.0);
        (var > 0.0).then_some(var)
    };
    let own: Vec<Option<f64>> = groups.iter().map(|g| variance(g)).collect();
    let mut known: Vec<f64> = own.iter().flatten().copied().collect();
    known.sort_by(f64::total_cmp);
    let mut weights = prior.to_vec();
    if !known.is_empty() {
        let median = known[known.len() / 2];
        for (g, var) in groups.iter().zip(&own) {
            let w = 1.0 / var.unwrap_or(median);
            g.iter().for_each(|&i| weights[i] *= w);
        }
    }
    let mean = weights.iter().sum::<f64>() / weights.len().max(1) as f64;
    if mean > 0.0 {
        weights.iter_mut().for_each(|w| *w /= mean);
    }
    GroupWeights {
        weights,
        groups: groups.len(),
        groups_with_variance: known.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_within_one_percent_get_their_inverse_variance() {
        // Two isoFLOP groups (1e18 and 1.005e18 join; 4e18 is another) and a singleton at 9e18.
        let flops = [1e18, 1.005e18, 1e18, 4e18, 4e18, 4e18, 9e18];
        let loss = [3.0, 3.2, 3.4, 2.5, 2.6, 2.7, 2.2];
        let keys: Vec<(u64, u64)> = (0..7).map(|i| (i as u64, 0)).collect();
        let w = inverse_variance_weights(&flops, &loss, &[1.0; 7], &keys);
        assert_eq!((w.groups, w.groups_with_variance), (3, 2));
        // Variances 0.04 and 0.01 → raw weights 25 and 100; the singleton takes the median (upper of two) = 0.04.
        let raw = [25.0, 25.0, 25.0, 100.0, 100.0, 100.0, 25.0];
        let mean = raw.iter().sum::<f64>() / 7.0;
        for i in 0..7 {
            assert!(
                (w.weights[i] - raw[i] / mean).abs() < 1e-9,
                "{i}: {}",
                w.weights[i]
            );
        }
    }

    #[test]
    fn no_isoflop_groups_means_equal_weights() {
        let flops = [1e18, 2e18, 4e18];
        let keys = [(0, 0), (1, 0), (2, 0)];
        let w = inverse_variance_weights(&flops, &[3.0, 2.0, 1.0], &[1.0; 3], &keys);
        assert_eq!(w.weights, vec![1.0; 3]);
        assert_eq!(w.groups_with_variance, 0);
    }
}
