//! Axis ranges and tick labels. A log axis is drawn in log10 coordinates; its ticks read as powers of ten.

/// One axis in plotted coordinates (log10 of the data when `log`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub log: bool,
    pub lo: f64,
    pub hi: f64,
}

impl Axis {
    /// The plotted coordinate of a data value: log10(v) on a log axis (None unless v > 0), v otherwise
    /// (None unless finite).
    pub fn to_plot(log: bool, v: f64) -> Option<f64> {
        let t = if log { v.log10() } else { v };
        (t.is_finite() && (!log || v > 0.0)).then_some(t)
    }

    /// The range covering the given plotted coordinates: whole decades on a log axis spanning at least one
    /// decade, otherwise the data range padded by 5%.
    pub fn covering(log: bool, plotted: impl Iterator<Item = f64>) -> Axis {
        let (min, max) = plotted.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
            (a.min(t), b.max(t))
        });
        if !min.is_finite() {
            return Axis {
                log,
                lo: 0.0,
                hi: 1.0,
            };
        }
        if log && max - min >= 1.0 {
            return Axis {
                log,
                lo: (min + 1e-9).floor(),
                hi: (max - 1e-9).ceil(),
            };
        }
        let pad = if max > min {
            0.05 * (max - min)
        } else if log {
            0.1
        } else {
            0.5 * min.abs().max(1.0)
        };
        Axis {
            log,
            lo: min - pad,
            hi: max + pad,
        }
    }

    /// How many tick labels to ask for: one per decade on a log axis (up to 12).
    pub fn tick_count(&self) -> usize {
        if self.log {
            ((self.hi - self.lo).round() as usize + 1).clamp(3, 12)
        } else {
            6
        }
    }

    /// The tick label at plotted coordinate t.
    pub fn tick_label(&self, t: f64) -> String {
        format_tick(if self.log { 10f64.powf(t) } else { t }, self.log)
    }
}

/// A tick label: exact powers of ten on a log axis as "10¹⁸", other values with three significant digits,
/// in scientific form "2.5×10⁻³" outside [0.001, 10⁴).
pub fn format_tick(v: f64, log: bool) -> String {
    let exponent = v.abs().log10();
    if log && (exponent - exponent.round()).abs() < 1e-6 {
        return format!("10{}", superscript(exponent.round() as i32));
    }
    if v == 0.0 {
        return "0".into();
    }
    if (1e-3..1e4).contains(&v.abs()) {
        let text = format!("{:.*}", (2 - exponent.floor() as i32).max(0) as usize, v);
        return if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').into()
        } else {
            text
        };
    }
    let e = exponent.floor() as i32;
    let mantissa = v / 10f64.powi(e);
    format!("{}×10{}", format_tick(mantissa, false), superscript(e))
}

fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            d => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][d.to_digit(10).unwrap_or(0) as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_read_as_powers_of_ten() {
        assert_eq!(format_tick(1e18, true), "10¹⁸");
        assert_eq!(format_tick(1e-3, true), "10⁻³");
        assert_eq!(format_tick(2.5e18, true), "2.5×10¹⁸");
        assert_eq!(format_tick(0.25, false), "0.25");
        assert_eq!(format_tick(1.5, false), "1.5");
        assert_eq!(format_tick(120.0, false), "120");
    }

    #[test]
    fn log_ranges_snap_to_decades() {
        let a = Axis::covering(true, [18.0, 24.3].into_iter());
        assert_eq!((a.lo, a.hi, a.tick_count()), (18.0, 25.0, 8));
        let b = Axis::covering(false, [1.0, 3.0].into_iter());
        assert!((b.lo - 0.9).abs() < 1e-12 && (b.hi - 3.1).abs() < 1e-12);
        assert_eq!(Axis::to_plot(true, -1.0), None);
    }
}
