//! A fitted form's estimates as an aligned text table: name, estimate, bootstrap SE and interval.

use t2_fit::{Estimate, FormFit};

use super::number;

/// The estimates of `fit` as lines: `name  estimate  spread  [lo, hi]` with a header naming the interval level,
/// the draws it rests on and the draws on a bound; without any bootstrap estimate only `name  estimate`. The
/// spread is the SE, or for positive scale quantities the factor "×1.23" by which the draws spread. Numbers are
/// right-aligned; a missing spread or interval shows as "-".
pub fn render(fit: &FormFit) -> String {
    let interval_header = match &fit.bootstrap {
        Some(b) => format!(
            "{}% interval ({} draws{})",
            (1e6 * b.level).round() / 1e4,
            b.resamples - b.failed,
            if b.draws_at_bound > 0 {
                format!(", {} on a bound", b.draws_at_bound)
            } else {
                String::new()
            }
        ),
        None => "interval".to_string(),
    };
    let rows: Vec<[String; 4]> = fit.estimates.iter().map(cells).collect();
    let header = [
        "quantity".to_string(),
        "estimate".to_string(),
        "SE or ×factor".to_string(),
        interval_header,
    ];
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |r: &[String; 4]| {
        format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        )
        .trim_end()
        .to_string()
    };
    // Without a bootstrap only the first two columns say anything.
    let shown = if fit.estimates.iter().any(|e| e.se.is_some() || e.factor.is_some()) {
        4
    } else {
        2
    };
    let mut out = String::new();
    for r in [&header].into_iter().chain(&rows) {
        let mut cells = r.clone();
        cells[shown..].iter_mut().for_each(|c| c.clear());
        out += &line(&cells);
        out.push('\n');
    }
    out
}

/// An estimate's cells: name, value, spread ("×factor" or the SE), interval ("-" when missing).
pub fn cells(e: &Estimate) -> [String; 4] {
    let interval = match (e.lo, e.hi) {
        (Some(lo), Some(hi)) => format!("[{}, {}]", number(lo), number(hi)),
        _ => "-".to_string(),
    };
    let spread = match (e.se, e.factor) {
        (_, Some(f)) => format!("×{}", number(f)),
        (Some(se), None) => number(se),
        (None, None) => "-".to_string(),
    };
    [e.name.clone(), number(e.value), spread, interval]
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_fit::Kind;

    #[test]
    fn columns_line_up_and_scales_spread_by_factors() {
        let estimate = |name: &str, kind: Kind, value: f64, se: Option<f64>, factor: Option<f64>| Estimate {
            name: name.into(),
            kind,
            value,
            se,
            factor,
            lo: se.or(factor).map(|_| value * 0.9),
            hi: se.or(factor).map(|_| value * 1.1),
            draws: 100,
        };
        let text = render_estimates(&[
            estimate("E", Kind::Scale, 1.8, None, Some(1.02)),
            estimate("alpha", Kind::Exponent, 0.34, Some(0.01), None),
            estimate("N*(1e21)", Kind::Derived, 1.2e9, None, None),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[1].starts_with("E         "), "{text}");
        assert!(lines[1].contains("×1.0200"), "{text}");
        assert!(lines[2].contains("0.010000"), "{text}");
        let col = |l: &str, s: &str| l.find(s).unwrap() + s.len();
        assert_eq!(col(lines[1], "1.8000"), col(lines[3], "1.2000e9"));
    }

    fn render_estimates(estimates: &[Estimate]) -> String {
        let fit: FormFit = serde_json::from_value(serde_json::json!({
            "form": "chinchilla", "task": null, "target": "loss",
            "params": {"form": "chinchilla", "e": 1.8, "a": 1.0, "b": 1.0, "alpha": 0.3, "beta": 0.3},
            "estimates": estimates,
            "objective": {"name": "x", "value": 0.0, "rows_used": 1, "r_squared": 1.0},
            "diagnostics": {"starts": 1, "starts_at_best": 1, "starts_converged": 1, "iterations": 1,
                "grad_norm": 0.0, "termination": "x", "converged": true, "at_bound": []},
            "bootstrap": null, "predictions": [], "heldout_relative_error": null
        }))
        .unwrap();
        render(&fit)
    }
}
