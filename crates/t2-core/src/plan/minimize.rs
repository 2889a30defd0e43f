//! Robust one-dimensional minimisation on a closed interval: a grid scan brackets the lowest point, then
//! Brent's method (parabolic interpolation with golden-section fallback) refines it inside the bracket.

use serde::{Deserialize, Serialize};

/// Where a minimum on [lo, hi] lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// Strictly inside the interval: a stationary point.
    Interior,
    /// At the lower end of the interval (the true optimum may lie below it).
    LowerBound,
    /// At the upper end of the interval (the true optimum may lie above it).
    UpperBound,
    /// Not optimised: placed by a rule (e.g. Chinchilla's closed form or the 20:1 rule).
    Rule,
}

impl Location {
    /// The name in files: "interior", "lower_bound", "upper_bound", "rule".
    pub fn name(self) -> &'static str {
        match self {
            Location::Interior => "interior",
            Location::LowerBound => "lower_bound",
            Location::UpperBound => "upper_bound",
            Location::Rule => "rule",
        }
    }
}

/// The result of [`minimize_on_interval`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Minimum {
    /// The minimiser.
    pub x: f64,
    /// The objective there.
    pub value: f64,
    /// Where it lies on the search interval.
    pub location: Location,
}

/// Grid points of the bracketing scan.
pub const SCAN_POINTS: usize = 241;
/// Relative tolerance of Brent's refinement in x: √ε, as Numerical Recipes advise. Near a minimum f changes
/// by ½f''·δ², so steps much below √ε·|x| change f by less than its rounding; Brent then takes equal values for
/// a descent and shrinks its bracket onto the wrong side (seen: a minimum 7e-6 away in ln N cut off).
const X_RELATIVE_TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;
/// Absolute floor of the tolerance, for minima near x = 0.
const X_ABSOLUTE_TOLERANCE: f64 = 1e-10;
const MAX_BRENT_ITERATIONS: usize = 200;
/// (3 − √5) / 2, the golden-section fraction.
const GOLDEN: f64 = 0.381_966_011_250_105_1;

/// Minimises `f` on [lo, hi]: scans [`SCAN_POINTS`] equally spaced points, brackets the lowest (first on ties;
/// NaN counts as +∞) between its neighbours and refines it by Brent's method. When the lowest scan point is an
/// end of the interval, that end is returned with its [`Location`]. None when `f` is nowhere finite.
pub fn minimize_on_interval(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> Option<Minimum> {
    minimize_scanned(f, lo, hi, SCAN_POINTS)
}

/// [`minimize_on_interval`] with `scan` grid points (at least 3): fewer where the function is known to be
/// smooth and unimodal on the interval, or the interval is a narrow window.
pub fn minimize_scanned(f: impl Fn(f64) -> f64, lo: f64, hi: f64, scan: usize) -> Option<Minimum> {
    let scan = scan.max(3);
    let value = |x: f64| {
        let v = f(x);
        if v.is_nan() {
            f64::INFINITY
        } else {
            v
        }
    };
    let step = (hi - lo) / (scan - 1) as f64;
    let grid: Vec<(f64, f64)> = (0..scan)
        .map(|i| {
            let x = if i == scan - 1 { hi } else { lo + step * i as f64 };
            (x, value(x))
        })
        .collect();
    let best = (0..grid.len()).fold(0, |b, i| if grid[i].1 < grid[b].1 { i } else { b });
    let (x, v) = grid[best];
    if !v.is_finite() {
        return None;
    }
    if best == 0 || best == grid.len() - 1 {
        let location = if best == 0 {
            Location::LowerBound
        } else {
            Location::UpperBound
        };
        return Some(Minimum {
            x,
            value: v,
            location,
        });
    }
    let (x, value) = brent(&value, grid[best - 1].0, grid[best + 1].0, x, v);
    Some(Minimum {
        x,
        value,
        location: Location::Interior,
    })
}

/// Brent's minimisation (Numerical Recipes `brent`) on the bracket [a, b] containing x with f(x) = fx below
/// both ends.
fn brent(f: &impl Fn(f64) -> f64, a: f64, b: f64, x: f64, fx: f64) -> (f64, f64) {
    let (mut a, mut b) = (a, b);
    let (mut x, mut w, mut v) = (x, x, x);
    let (mut fx, mut fw, mut fv) = (fx, fx, fx);
    let (mut d, mut e) = (0.0f64, 0.0f64);
    for _ in 0..MAX_BRENT_ITERATIONS {
        let xm = 0.5 * (a + b);
        let tol1 = X_RELATIVE_TOLERANCE * x.abs() + X_ABSOLUTE_TOLERANCE;
        let tol2 = 2.0 * tol1;
        if (x - xm).abs() <= tol2 - 0.5 * (b - a) {
            break;
        }
        let mut parabolic = false;
        if e.abs() > tol1 {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            } else {
                q = -q;
            }
            let previous_e = e;
            e = d;
            if p.abs() < (0.5 * q * previous_e).abs() && p > q * (a - x) && p < q * (b - x) {
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = tol1.copysign(xm - x);
                }
                parabolic = true;
            }
        }
        if !parabolic {
            e = if x >= xm { a - x } else { b - x };
            d = GOLDEN * e;
        }
        let u = if d.abs() >= tol1 {
            x + d
        } else {
            x + tol1.copysign(d)
        };
        let fu = f(u);
        if fu <= fx {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    (x, fx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_interior_minimum_of_a_smooth_function() {
        // (x − π)² + 1 has its minimum at π.
        let m = minimize_on_interval(|x| (x - std::f64::consts::PI).powi(2) + 1.0, -10.0, 10.0).unwrap();
        assert_eq!(m.location, Location::Interior);
        assert!((m.x - std::f64::consts::PI).abs() < 1e-7);
        // A non-quadratic minimum: x·ln x at 1/e.
        let m = minimize_on_interval(|x| x * x.ln(), 0.01, 5.0).unwrap();
        assert!((m.x - (-1.0f64).exp()).abs() < 1e-7);
    }

    #[test]
    fn reports_boundary_minima_and_nowhere_finite_functions() {
        let m = minimize_on_interval(|x| x, 2.0, 3.0).unwrap();
        assert_eq!((m.x, m.location), (2.0, Location::LowerBound));
        let m = minimize_on_interval(|x| -x, 2.0, 3.0).unwrap();
        assert_eq!((m.x, m.location), (3.0, Location::UpperBound));
        assert!(minimize_on_interval(|_| f64::NAN, 0.0, 1.0).is_none());
    }

    #[test]
    fn picks_the_global_minimum_among_several() {
        // Two wells; the deeper one is at x = 4.
        let f = |x: f64| -(-(x + 3.0).powi(2)).exp() - 2.0 * (-(x - 4.0).powi(2)).exp();
        let m = minimize_on_interval(f, -10.0, 10.0).unwrap();
        assert!((m.x - 4.0).abs() < 1e-4, "{m:?}");
    }
}
