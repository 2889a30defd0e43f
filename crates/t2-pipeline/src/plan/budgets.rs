//! Training-compute lists from the command line: one value, a comma list, or a log-spaced range `a..b`.

/// A `--train-flops` value as written: `1e21`, `1e19,1e21,1e23` or `1e18..1e25`.
#[derive(Debug, Clone, PartialEq)]
pub enum FlopsSpec {
    /// The values as given.
    List(Vec<f64>),
    /// Log-spaced from the first to the second value; the number of points comes from `--points`.
    Range(f64, f64),
}

/// Most budgets a range may be split into (`--points`): four per decade over 1e17..1e25 is 33; a million would
/// take an optimisation per bootstrap draw each.
pub const MAX_POINTS: usize = 10_000;

impl FlopsSpec {
    /// [`FlopsSpec::values`] after checking `points`: a range needs 2 to [`MAX_POINTS`].
    pub fn checked_values(&self, points: usize) -> Result<Vec<f64>, crate::Error> {
        if matches!(self, FlopsSpec::Range(..)) && !(2..=MAX_POINTS).contains(&points) {
            return Err(crate::Error::option(
                crate::setting::Setting::Points,
                format!("a range of training budgets takes 2 to {MAX_POINTS} points, not {points}"),
            ));
        }
        Ok(self.values(points))
    }

    /// The budgets: the list as given, or `points` values log-spaced over the range (ends included).
    pub fn values(&self, points: usize) -> Vec<f64> {
        match self {
            FlopsSpec::List(v) => v.clone(),
            FlopsSpec::Range(lo, hi) => log_spaced(*lo, *hi, points),
        }
    }
}

/// `n` values from `lo` to `hi` equally spaced in log (ends exact; one value gives `lo`).
pub fn log_spaced(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![lo],
        _ => (0..n)
            .map(|i| match i {
                0 => lo,
                i if i == n - 1 => hi,
                i => (lo.ln() + (hi.ln() - lo.ln()) * i as f64 / (n - 1) as f64).exp(),
            })
            .collect(),
    }
}

fn parse_positive(text: &str) -> Result<f64, String> {
    let v: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number (write e.g. 1e21)"))?;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(format!("{text:?} must be a positive finite number of FLOPs"))
    }
}

/// Parses `1e21`, `1e19,1e21` or `1e18..1e25` (clap value parser).
pub fn parse_flops_spec(text: &str) -> Result<FlopsSpec, String> {
    if let Some((lo, hi)) = text.split_once("..") {
        let (lo, hi) = (parse_positive(lo)?, parse_positive(hi)?);
        if lo >= hi {
            return Err(format!(
                "range {text:?}: the first value must be below the second"
            ));
        }
        return Ok(FlopsSpec::Range(lo, hi));
    }
    Ok(FlopsSpec::List(
        text.split(',').map(parse_positive).collect::<Result<_, _>>()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_values_lists_and_ranges() {
        assert_eq!(parse_flops_spec("1e21").unwrap().values(9), vec![1e21]);
        assert_eq!(
            parse_flops_spec("1e19, 1e21").unwrap().values(9),
            vec![1e19, 1e21]
        );
        let range = parse_flops_spec("1e18..1e25").unwrap().values(8);
        assert_eq!(range.len(), 8);
        assert_eq!((range[0], range[7]), (1e18, 1e25));
        assert!((range[3] / 1e21 - 1.0).abs() < 1e-12);
        for bad in ["", "x", "1e25..1e18", "-1", "1e20,,1e21", "inf"] {
            assert!(parse_flops_spec(bad).is_err(), "{bad:?}");
        }
    }
}
