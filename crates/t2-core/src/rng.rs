//! A small, portable, seedable random number generator (xoshiro256++ seeded by SplitMix64).
//!
//! Results depend only on the seed and the stream index, never on threads: a bootstrap resample i draws from
//! `Rng::stream(seed, i)`, so any schedule of resamples over threads gives the same numbers.

/// xoshiro256++ (Blackman & Vigna 2019).
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator from a 64-bit seed.
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        Rng {
            s: [
                splitmix64(&mut sm),
                splitmix64(&mut sm),
                splitmix64(&mut sm),
                splitmix64(&mut sm),
            ],
        }
    }

    /// An independent generator for item `index` of a run seeded with `seed`.
    pub fn stream(seed: u64, index: u64) -> Rng {
        let mut sm = seed ^ 0xD1B5_4A32_D192_ED03;
        let mixed = splitmix64(&mut sm) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Rng::new(mixed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = (self.s[0].wrapping_add(self.s[3]))
            .rotate_left(23)
            .wrapping_add(self.s[0]);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform on [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in 0..n (n > 0), without modulo bias (Lemire's method).
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        loop {
            let m = (self.next_u64() as u128) * (n as u128);
            let low = m as u64;
            if low >= n.wrapping_neg() % n {
                return (m >> 64) as usize;
            }
        }
    }

    /// Standard normal (Box–Muller, one of the pair).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Draws from the Gamma, Beta and Binomial distributions, built on [`Rng::uniform`] and [`Rng::normal`].
impl Rng {
    /// Gamma(shape, 1) for shape > 0 (Marsaglia & Tsang 2000): with d = shape − 1/3, c = 1/√(9d), draw
    /// z ~ N(0, 1), v = (1 + c·z)³ and accept d·v when ln u < z²/2 + d − d·v + d·ln v. Shapes below 1 use
    /// Gamma(shape) = Gamma(shape + 1)·u^(1/shape).
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let boost = self.gamma(shape + 1.0);
            let u = 1.0 - self.uniform(); // (0, 1]
            return boost * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let z = self.normal();
            let v = 1.0 + c * z;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = 1.0 - self.uniform();
            if u.ln() < 0.5 * z * z + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    /// Beta(a, b) for a, b > 0 as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). When both gammas underflow to 0
    /// (tiny a and b), the draw is 1 with probability a / (a + b), else 0, the limit of the Beta law.
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        if x + y > 0.0 {
            x / (x + y)
        } else if self.uniform() < a / (a + b) {
            1.0
        } else {
            0.0
        }
    }

    /// Binomial(n, p), exact (Knuth, TAOCP vol. 2, 3.4.1): while n is large, the median order statistic of n
    /// uniforms X ~ Beta(m, n + 1 − m) with m = 1 + n/2 splits the trials (X ≥ p: all successes are among the
    /// m − 1 below it, p ← p/X; else m successes plus Binomial(n − m, (p − X)/(1 − X))); small n counts
    /// Bernoulli trials directly.
    pub fn binomial(&mut self, n: u64, p: f64) -> u64 {
        let (mut n, mut p, mut successes) = (n, p.clamp(0.0, 1.0), 0u64);
        while n > 32 {
            let m = 1 + n / 2;
            let x = self.beta(m as f64, (n + 1 - m) as f64);
            if x >= p {
                n = m - 1;
                p /= x;
            } else {
                successes += m;
                n -= m;
                p = (p - x) / (1.0 - x);
            }
        }
        successes + (0..n).filter(|_| self.uniform() < p).count() as u64
    }
}

#[cfg(test)]
mod distribution_tests {
    use super::Rng;

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        (
            mean,
            xs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0),
        )
    }

    /// Gamma(k): mean k, variance k; checked to 4 standard errors of the sample moments.
    #[test]
    fn gamma_moments() {
        let mut r = Rng::new(5);
        for &shape in &[0.05, 0.5, 1.0, 3.7, 250.0] {
            let xs: Vec<f64> = (0..100_000).map(|_| r.gamma(shape)).collect();
            let (mean, var) = mean_var(&xs);
            let se_mean = (shape / 1e5).sqrt();
            assert!((mean - shape).abs() < 4.0 * se_mean, "shape {shape}: mean {mean}");
            // Var of the sample variance for Gamma(k): (μ4 − σ⁴)/n with μ4 = 3k² + 6k.
            let se_var = ((3.0 * shape * shape + 6.0 * shape - shape * shape) / 1e5).sqrt();
            assert!((var - shape).abs() < 4.0 * se_var, "shape {shape}: var {var}");
            assert!(xs.iter().all(|&x| x >= 0.0 && x.is_finite()));
        }
    }

    /// Beta(a, b): mean a/(a+b), variance ab/((a+b)²(a+b+1)).
    #[test]
    fn beta_moments() {
        let mut r = Rng::new(6);
        for &(a, b) in &[(0.3, 2.0), (2.0, 5.0), (0.02, 0.5), (40.0, 7.0)] {
            let xs: Vec<f64> = (0..100_000).map(|_| r.beta(a, b)).collect();
            let (mean, var) = mean_var(&xs);
            let true_mean = a / (a + b);
            let true_var = a * b / ((a + b).powi(2) * (a + b + 1.0));
            assert!(
                (mean - true_mean).abs() < 4.0 * (true_var / 1e5).sqrt(),
                "({a},{b}) mean {mean}"
            );
            assert!(
                (var / true_var - 1.0).abs() < 0.05,
                "({a},{b}) var {var} vs {true_var}"
            );
            assert!(xs.iter().all(|&x| (0.0..=1.0).contains(&x)));
        }
    }

    /// Binomial(n, p): mean np, variance np(1 − p), for n on both sides of the recursion threshold.
    #[test]
    fn binomial_moments() {
        let mut r = Rng::new(7);
        for &(n, p) in &[(10u64, 0.3), (1000, 0.01), (50_000, 0.4), (4096, 0.999)] {
            let xs: Vec<f64> = (0..40_000).map(|_| r.binomial(n, p) as f64).collect();
            let (mean, var) = mean_var(&xs);
            let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
            assert!(
                (mean - m).abs() < 4.0 * (v / 4e4).sqrt(),
                "({n},{p}) mean {mean} vs {m}"
            );
            assert!((var / v - 1.0).abs() < 0.05, "({n},{p}) var {var} vs {v}");
            assert!(xs.iter().all(|&x| x <= n as f64));
        }
        assert_eq!(r.binomial(100, 0.0), 0);
        assert_eq!(r.binomial(100, 1.0), 100);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::stream(7, 3);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::stream(7, 3);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::stream(7, 4);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn moments_are_right() {
        let mut r = Rng::new(1);
        let n = 200_000;
        let u: f64 = (0..n).map(|_| r.uniform()).sum::<f64>() / n as f64;
        assert!((u - 0.5).abs() < 0.005);
        let z: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = z.iter().sum::<f64>() / n as f64;
        let var = z.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.01 && (var - 1.0).abs() < 0.02,
            "mean {mean} var {var}"
        );
        let counts = (0..60_000).fold([0usize; 3], |mut c, _| {
            c[r.below(3)] += 1;
            c
        });
        assert!(
            counts.iter().all(|&c| (c as f64 - 20_000.0).abs() < 600.0),
            "{counts:?}"
        );
    }
}
