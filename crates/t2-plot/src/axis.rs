//! Axis ranges and ticks. A log axis is drawn in log10 coordinates. Ranges fit the data (a log axis snaps to a
//! decade only when one is near); ticks are placed here, not guessed by the backend: decades on a log axis
//! (with 2 and 5 between them when the axis spans little), round steps of 1, 2 or 5 on a linear one, each tick
//! computed as a whole multiple of its step so no floating-point noise reaches a label ("0", not "3.47×10⁻¹⁸").
//! All labels of an axis share one style.

/// One axis in plotted coordinates (log10 of the data when `log`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub log: bool,
    pub lo: f64,
    pub hi: f64,
}

/// A log axis snaps its end to a decade within this many decades of the data.
const SNAP_DECADES: f64 = 0.15;

/// Padding beyond the data, as a share of its span.
const PAD: f64 = 0.04;

impl Axis {
    /// The plotted coordinate of a data value: log10(v) on a log axis (None unless v > 0), v otherwise
    /// (None unless finite).
    pub fn to_plot(log: bool, v: f64) -> Option<f64> {
        let t = if log { v.log10() } else { v };
        (t.is_finite() && (!log || v > 0.0)).then_some(t)
    }

    /// The range covering the given plotted coordinates, padded by 4% of their span; on a log axis an end
    /// within 0.15 decades of a whole decade snaps to it.
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
        let span = max - min;
        let pad = if span > 0.0 {
            PAD * span
        } else if log {
            0.1
        } else {
            0.5 * min.abs().max(1.0)
        };
        let (mut lo, mut hi) = (min - pad, max + pad);
        if log {
            if min - min.floor() < SNAP_DECADES {
                lo = min.floor();
            }
            if max.ceil() - max < SNAP_DECADES {
                hi = max.ceil();
            }
        }
        Axis { log, lo, hi }
    }

    /// The tick positions, in plotted coordinates.
    pub fn ticks(&self) -> Vec<f64> {
        if !self.log {
            return linear_ticks(self.lo, self.hi);
        }
        let decades: Vec<f64> = (self.lo.ceil() as i64..=self.hi.floor() as i64)
            .map(|e| e as f64)
            .collect();
        if decades.len() >= 3 {
            // Thin out long ranges to at most 9 labels, keeping whole decades.
            let every = decades.len().div_ceil(9);
            return decades.into_iter().step_by(every).collect();
        }
        let with = |mantissas: &[f64]| -> Vec<f64> {
            (self.lo.floor() as i64..=self.hi.ceil() as i64)
                .flat_map(|e| mantissas.iter().map(move |m| e as f64 + m.log10()))
                .filter(|t| *t >= self.lo - 1e-12 && *t <= self.hi + 1e-12)
                .collect()
        };
        let one_two_five = with(&[1.0, 2.0, 5.0]);
        if one_two_five.len() >= 3 {
            return one_two_five;
        }
        let all = with(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
        if all.len() >= 3 {
            return all;
        }
        // Less than a factor 3 end to end: round steps of the data values themselves.
        linear_ticks(10f64.powf(self.lo), 10f64.powf(self.hi))
            .into_iter()
            .filter(|v| *v > 0.0)
            .map(f64::log10)
            .collect()
    }

    /// The labels of [`Axis::ticks`], in one style for the whole axis.
    pub fn tick_labels(&self) -> Vec<(f64, String)> {
        let ticks = self.ticks();
        let values: Vec<f64> = ticks
            .iter()
            .map(|&t| if self.log { 10f64.powf(t) } else { t })
            .collect();
        let style = LabelStyle::for_values(&values, self.log);
        ticks
            .into_iter()
            .zip(values)
            .map(|(t, v)| (t, style.label(v)))
            .collect()
    }
}

/// Round ticks between `lo` and `hi`: steps of 1, 2 or 5 times a power of ten, 4 to 8 of them, each a whole
/// multiple of the step.
fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 {
        return vec![lo];
    }
    let raw = span / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= 8.0)
        .unwrap_or(10.0 * magnitude);
    let (first, last) = ((lo / step).ceil() as i64, (hi / step).floor() as i64);
    (first..=last).map(|i| i as f64 * step).collect()
}

/// How the labels of one axis are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelStyle {
    /// "10¹⁸": every tick of a log axis is a power of ten.
    Powers,
    /// "0.25", "120": every value is in [0.001, 10⁴) (or 0), with as many decimals as the finest tick needs.
    Plain(usize),
    /// "2.5×10¹⁸" (and "10¹⁸" for a mantissa of 1).
    Scientific,
}

impl LabelStyle {
    fn for_values(values: &[f64], log: bool) -> LabelStyle {
        let is_power = |v: &f64| {
            let e = v.log10();
            (e - e.round()).abs() < 1e-9
        };
        if log && values.iter().all(is_power) {
            return LabelStyle::Powers;
        }
        if values.iter().all(|&v| v == 0.0 || (1e-3..1e4).contains(&v.abs())) {
            let decimals = values.iter().map(|&v| decimals_needed(v)).max().unwrap_or(0);
            return LabelStyle::Plain(decimals);
        }
        LabelStyle::Scientific
    }

    fn label(self, v: f64) -> String {
        match self {
            LabelStyle::Powers => format!("10{}", superscript(v.log10().round() as i32)),
            LabelStyle::Plain(decimals) => format!("{v:.decimals$}"),
            LabelStyle::Scientific => {
                if v == 0.0 {
                    return "0".into();
                }
                let e = v.abs().log10().floor() as i32;
                let mantissa = v / 10f64.powi(e);
                let m = format!("{:.2}", mantissa);
                let m = m.trim_end_matches('0').trim_end_matches('.');
                if m == "1" {
                    format!("10{}", superscript(e))
                } else {
                    format!("{m}×10{}", superscript(e))
                }
            }
        }
    }
}

/// Decimals that show `v` to three significant digits, no more than it has (0.25 → 2, 120 → 0, 0 → 0).
fn decimals_needed(v: f64) -> usize {
    if v == 0.0 {
        return 0;
    }
    let text = format!("{:.*}", (2 - v.abs().log10().floor() as i32).max(0) as usize, v);
    match text.split_once('.') {
        Some((_, frac)) => frac.trim_end_matches('0').len(),
        None => 0,
    }
}

/// A label for a value in text (titles, legends): exact powers of ten on a log axis as "10¹⁸", other values
/// with three significant digits, in scientific form "2.5×10⁻³" outside [0.001, 10⁴).
pub fn format_tick(v: f64, log: bool) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
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
    // Scientific: the mantissa has three significant digits in [1, 10) (a finite v has a finite one: no
    // recursion on any input).
    let e = exponent.floor() as i32;
    let mantissa = format!("{:.2}", v / 10f64.powi(e));
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    format!("{mantissa}×10{}", superscript(e))
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
    fn any_number_formats_without_recursion() {
        assert_eq!(format_tick(f64::NAN, true), "NaN");
        assert_eq!(format_tick(f64::INFINITY, false), "∞");
        assert_eq!(format_tick(f64::NEG_INFINITY, true), "−∞");
        assert_eq!(format_tick(2.5e-7, false), "2.5×10⁻⁷");
        assert_eq!(format_tick(1e300, true), "10³⁰⁰");
        assert_eq!(format_tick(f64::MAX, false), "1.8×10³⁰⁸");
        assert_eq!(format_tick(f64::MIN_POSITIVE, false), "2.23×10⁻³⁰⁸");
    }

    fn labels(axis: Axis) -> Vec<String> {
        axis.tick_labels().into_iter().map(|(_, l)| l).collect()
    }

    #[test]
    fn text_values_read_as_powers_of_ten() {
        assert_eq!(format_tick(1e18, true), "10¹⁸");
        assert_eq!(format_tick(1e-3, true), "10⁻³");
        assert_eq!(format_tick(2.5e18, true), "2.5×10¹⁸");
        assert_eq!(format_tick(0.25, false), "0.25");
        assert_eq!(format_tick(120.0, false), "120");
    }

    #[test]
    fn log_ranges_fit_the_data() {
        // k from 1 to 1024: the axis ends just past 10³, not at 10⁴.
        let a = Axis::covering(true, [0.0, 1024f64.log10()].into_iter());
        assert_eq!(a.lo, 0.0);
        assert!(a.hi < 3.2, "{a:?}");
        assert_eq!(labels(a), vec!["10⁰", "10¹", "10²", "10³"]);
        // Near a decade, the end snaps to it.
        let b = Axis::covering(true, [18.0, 24.9].into_iter());
        assert_eq!((b.lo, b.hi), (18.0, 25.0));
        assert_eq!(labels(b).len(), 8);
    }

    #[test]
    fn narrow_log_axes_have_one_style() {
        // Epoch's D*/N* spans 20 to 40: not "31.6" beside "10¹".
        let a = Axis::covering(true, [20f64.log10(), 40f64.log10()].into_iter());
        let l = labels(a);
        assert!(l.len() >= 3, "{l:?}");
        assert!(
            l.iter()
                .all(|s| !s.contains('×') && !s.contains('⁰') && !s.contains('¹')),
            "{l:?}"
        );
        // A narrow range at large values: "2×10⁹", "3×10⁹", …
        let b = Axis::covering(true, [2e9f64.log10(), 8e9f64.log10()].into_iter());
        let l = labels(b);
        assert!(
            l.len() >= 3 && l.iter().all(|s| s.contains("×10⁹") || s.starts_with("10")),
            "{l:?}"
        );
    }

    #[test]
    fn linear_ticks_are_round_and_free_of_noise() {
        let a = Axis::covering(false, [-0.02, 0.98].into_iter());
        let l = labels(a);
        assert!(
            l.contains(&"0.0".to_string()) || l.contains(&"0".to_string()),
            "{l:?}"
        );
        assert!(l.iter().all(|s| !s.contains('×')), "{l:?}");
        let b = Axis::covering(false, [1.0, 3.0].into_iter());
        assert!((b.lo - 0.92).abs() < 1e-12 && (b.hi - 3.08).abs() < 1e-12);
        assert_eq!(labels(b), vec!["1.0", "1.5", "2.0", "2.5", "3.0"]);
        assert_eq!(Axis::to_plot(true, -1.0), None);
    }
}
