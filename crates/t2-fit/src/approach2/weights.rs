//! Inverse-variance weights across isoFLOP groups for stage 1 (the paper weights its single-pass loss fit so that
//! compute levels with a wide spread of losses do not dominate).
//!
//! Groups: rows sorted by training compute C = 6ND; a row joins the current group when its C is within 1% of
//! the group's smallest C (C ≤ 1.01·C_first), else it starts a new group. Weight of a row in group g:
//! w = 1/s²_g, s²_g the sample variance (n − 1 denominator, frequency-weighted by the rows' prior weights) of the
//! OBSERVED losses of the group, floored at 1% of the median group variance (no weight above 100× the typical).
//! Guards: only groups of at least [`MIN_GROUP_CHECKPOINTS`] distinct checkpoints with non-zero variance have a
//! variance of their own (a two-point variance is too noisy to weight by); the others get the median variance.
//! When fewer than half the rows sit in such groups the sweep is not an isoFLOP design (Pythia's is not: its
//! checkpoints share compute only by accident) and every row keeps its prior weight. Weights are scaled to mean 1.

/// Fewest distinct checkpoints of a group with a variance of its own.
pub const MIN_GROUP_CHECKPOINTS: usize = 3;

/// Relative width of an isoFLOP group.
pub const GROUP_RTOL: f64 = 0.01;

/// Floor of a group's variance, as a fraction of the median group variance.
pub const VARIANCE_FLOOR: f64 = 0.01;

/// How the weights were made, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupWeights {
    /// One weight per row, mean 1.
    pub weights: Vec<f64>,
    /// The number of groups.
    pub groups: usize,
    /// Groups that had their own variance (≥ [`MIN_GROUP_CHECKPOINTS`] distinct checkpoints, non-zero variance).
    pub groups_with_variance: usize,
    /// Whether the inverse-variance weights were applied (false: not an isoFLOP design, prior weights kept).
    pub applied: bool,
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
        if keys.len() < MIN_GROUP_CHECKPOINTS || total <= 1.0 {
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
    let rows_in_known: usize = groups
        .iter()
        .zip(&own)
        .filter(|(_, v)| v.is_some())
        .map(|(g, _)| g.len())
        .sum();
    let isoflop_design = 2 * rows_in_known >= flops.len();
    let mut weights = prior.to_vec();
    if isoflop_design {
        let median = known[known.len() / 2];
        for (g, var) in groups.iter().zip(&own) {
            let w = 1.0 / var.unwrap_or(median).max(VARIANCE_FLOOR * median);
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
        applied: isoflop_design,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_within_one_percent_get_their_inverse_variance() {
        // Groups: 1e18 (with 1.005e18, within 1%), 4e18, and 9e18 with two checkpoints only.
        let flops = [1e18, 1.005e18, 1e18, 4e18, 4e18, 4e18, 9e18, 9e18];
        let loss = [3.0, 3.2, 3.4, 2.5, 2.6, 2.7, 2.2, 2.3];
        let keys: Vec<(u64, u64)> = (0..8).map(|i| (i as u64, 0)).collect();
        let w = inverse_variance_weights(&flops, &loss, &[1.0; 8], &keys);
        assert_eq!((w.groups, w.groups_with_variance, w.applied), (3, 2, true));
        // Variances 0.04 and 0.01 → weights 25 and 100; the two-point group takes the median (upper of two) 0.04.
        let raw = [25.0, 25.0, 25.0, 100.0, 100.0, 100.0, 25.0, 25.0];
        let mean = raw.iter().sum::<f64>() / 8.0;
        for (i, (got, r)) in w.weights.iter().zip(raw).enumerate() {
            assert!((got - r / mean).abs() < 1e-9, "{i}: {got}");
        }
    }

    #[test]
    fn tiny_variances_are_floored() {
        let flops = [1e18, 1e18, 1e18, 4e18, 4e18, 4e18];
        let loss = [3.0, 3.2, 3.4, 2.5, 2.5 + 1e-6, 2.5 - 1e-6];
        let keys: Vec<(u64, u64)> = (0..6).map(|i| (i as u64, 0)).collect();
        let w = inverse_variance_weights(&flops, &loss, &[1.0; 6], &keys);
        // Median (upper of two) = 0.04, floor 4e-4: weights 25 and 2500.
        assert!((w.weights[3] / w.weights[0] - 100.0).abs() < 1e-9);
    }

    #[test]
    fn no_isoflop_design_means_prior_weights() {
        // One group of three, four singletons: 3 of 7 rows in groups with a variance.
        let flops = [1e18, 1e18, 1e18, 2e18, 3e18, 5e18, 7e18];
        let keys: Vec<(u64, u64)> = (0..7).map(|i| (i as u64, 0)).collect();
        let w = inverse_variance_weights(&flops, &[3.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0], &[1.0; 7], &keys);
        assert_eq!(w.weights, vec![1.0; 7]);
        assert_eq!((w.groups_with_variance, w.applied), (1, false));
    }
}
