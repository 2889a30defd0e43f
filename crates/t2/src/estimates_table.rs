//! A fitted form's estimates as an aligned text table: name, estimate, bootstrap SE and interval.

use t2_fit::{Estimate, FormFit};

/// Numbers with 5 significant digits; scientific notation outside [1e-3, 1e6).
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs();
    if magnitude != 0.0 && !(1e-3..1e6).contains(&magnitude) {
        return format!("{v:.4e}");
    }
    let decimals = if magnitude == 0.0 {
        4
    } else {
        (4 - magnitude.log10().floor() as i32).max(0) as usize
    };
    format!("{v:.decimals$}")
}

/// The estimates of `fit` as lines: `name  estimate  se  [lo, hi]` with a header naming the interval level;
/// without any bootstrap estimate only `name  estimate`. Numbers are right-aligned; a missing SE or interval
/// shows as "-".
pub fn render(fit: &FormFit) -> String {
    let level = fit.bootstrap.as_ref().map(|b| b.level);
    let interval_header = match level {
        Some(l) => format!("{}% interval", (1e6 * l).round() / 1e4),
        None => "interval".to_string(),
    };
    let rows: Vec<[String; 4]> = fit.estimates.iter().map(cells).collect();
    let header = [
        "quantity".to_string(),
        "estimate".to_string(),
        "SE".to_string(),
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
    let shown = if fit.estimates.iter().any(|e| e.se.is_some()) {
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

fn cells(e: &Estimate) -> [String; 4] {
    let interval = match (e.lo, e.hi) {
        (Some(lo), Some(hi)) => format!("[{}, {}]", number(lo), number(hi)),
        _ => "-".to_string(),
    };
    [
        e.name.clone(),
        number(e.value),
        e.se.map_or("-".to_string(), number),
        interval,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_five_significant_digits() {
        assert_eq!(number(1.81722), "1.8172");
        assert_eq!(number(477.826), "477.83");
        assert_eq!(number(0.347312), "0.34731");
        assert_eq!(number(2.1e22), "2.1000e22");
        assert_eq!(number(0.0), "0.0000");
        assert_eq!(number(f64::NAN), "NaN");
    }

    #[test]
    fn columns_line_up() {
        let estimate = |name: &str, value: f64, se: Option<f64>| Estimate {
            name: name.into(),
            value,
            se,
            lo: se.map(|s| value - 2.0 * s),
            hi: se.map(|s| value + 2.0 * s),
        };
        let text = render_estimates(&[estimate("E", 1.8, Some(0.02)), estimate("N*(1e21)", 1.2e9, None)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("E         "));
        let col = |l: &str, s: &str| l.find(s).unwrap() + s.len();
        assert_eq!(col(lines[1], "1.8000"), col(lines[2], "1.2000e9"));
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
