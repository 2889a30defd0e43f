//! Start designs for multi-start fits: full factorial grids and seeded uniform random starts in a box.

use t2_core::rng::Rng;

/// Every combination of the per-parameter value lists (`axes[j]` holds the values of parameter j), the LAST
/// parameter varying fastest: Π |axes[j]| starts.
pub fn grid(axes: &[Vec<f64>]) -> Vec<Vec<f64>> {
    axes.iter().fold(vec![Vec::new()], |prefixes, values| {
        prefixes
            .iter()
            .flat_map(|prefix| {
                values.iter().map(move |&v| {
                    let mut start = prefix.clone();
                    start.push(v);
                    start
                })
            })
            .collect()
    })
}

/// `from, from + step, …` up to `to` inclusive (with a tolerance of step/1e6 for rounding).
pub fn range(from: f64, to: f64, step: f64) -> Vec<f64> {
    let n = ((to - from) / step + 1e-6).floor().max(0.0) as usize;
    (0..=n).map(|i| from + i as f64 * step).collect()
}

/// `count` starts drawn uniformly from the box `[lo_j, hi_j]` (one pair per parameter), from `Rng::new(seed)`.
pub fn random(bounds: &[(f64, f64)], count: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            bounds
                .iter()
                .map(|&(lo, hi)| lo + (hi - lo) * rng.uniform())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_a_full_factorial() {
        let g = grid(&[vec![0.0, 1.0], vec![5.0, 6.0, 7.0]]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![0.0, 5.0]);
        assert_eq!(g[1], vec![0.0, 6.0]);
        assert_eq!(g[5], vec![1.0, 7.0]);
        assert_eq!(range(0.0, 25.0, 5.0), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(range(-1.0, 1.0, 0.5).len(), 5);
    }

    #[test]
    fn random_starts_are_seeded_and_inside_the_box() {
        let a = random(&[(0.0, 1.0), (-5.0, 5.0)], 100, 9);
        assert_eq!(a, random(&[(0.0, 1.0), (-5.0, 5.0)], 100, 9));
        assert_ne!(a, random(&[(0.0, 1.0), (-5.0, 5.0)], 100, 10));
        assert!(a
            .iter()
            .all(|s| (0.0..1.0).contains(&s[0]) && (-5.0..5.0).contains(&s[1])));
    }
}
