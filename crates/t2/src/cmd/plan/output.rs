//! The plan as a human table (scientific notation), and as CSV or JSON.

use std::fmt::Write as _;
use std::path::Path;

use t2_core::plan::{Location, PlanPoint};

use super::{FormPlan, Interval, PlanRow};

fn sci(v: f64) -> String {
    format!("{v:.3e}")
}

fn band(i: Option<Interval>) -> String {
    i.map_or("-".into(), |i| format!("[{:.2e}, {:.2e}]", i.lo, i.hi))
}

/// Notes on a point: k clipped to 1, optimum at an end of the search interval.
pub fn flags(p: &PlanPoint) -> String {
    let mut notes = Vec::new();
    if p.k_clipped {
        notes.push("k<1 (clipped to 1)");
    }
    match p.location {
        Location::LowerBound => notes.push("optimum at N = 1 (search bound)"),
        Location::UpperBound => notes.push("optimum at D = 1 (search bound)"),
        Location::Interior | Location::Rule => {}
    }
    notes.join("; ")
}

/// One block per form: the optimum with bands, then the inference-corrected Chinchilla and 20:1 points.
pub fn table(plans: &[FormPlan], inference_flops: f64) -> String {
    let mut out = String::new();
    for plan in plans {
        let bands_note = plan.rows.iter().find_map(|r| r.bands.as_ref()).map_or(
            "no bootstrap draws: no bands".to_string(),
            |b| {
                format!(
                    "{:.0}% bootstrap bands from {} draws",
                    b.level * 100.0,
                    b.draws + b.failed
                )
            },
        );
        let metric = plan.metric.name();
        if !plan.fit_converged {
            let _ = writeln!(
                out,
                "WARNING: the {} fit did not converge; its plan is unreliable",
                plan.label()
            );
        }
        let _ = writeln!(
            out,
            "{}: {metric} · C_inf = {inference_flops:.3e} FLOPs · {bands_note}",
            plan.label()
        );
        let _ = writeln!(
            out,
            "{:>10} {:>10} {:>22} {:>10} {:>10} {:>22} {:>10} {:>22} {:>10} {:>22} | {:>10} {:>10} {:>10} | {:>10} {:>10}  notes",
            "C_train", "N*", "N* band", "D*", "D*/N*", "D*/N* band", "k*", "k* band", metric, "band",
            "Chin. N*", "Chin. k", "Chin. val", "20:1 N", "20:1 val"
        );
        for PlanRow { plan: p, bands } in &plan.rows {
            let o = &p.optimum;
            let b = bands.as_ref();
            let _ = writeln!(
                out,
                "{:>10} {:>10} {:>22} {:>10} {:>10} {:>22} {:>10} {:>22} {:>10} {:>22} | {:>10} {:>10} {:>10} | {:>10} {:>10}  {}",
                sci(o.train_flops), sci(o.params), band(b.map(|b| b.params)), sci(o.tokens),
                sci(o.tokens_per_param), band(b.map(|b| b.tokens_per_param)), sci(o.samples_affordable),
                band(b.map(|b| b.samples)), format!("{:.4}", o.metric), band(b.map(|b| b.metric)),
                sci(p.chinchilla.params), sci(p.chinchilla.samples_affordable), format!("{:.4}", p.chinchilla.metric),
                sci(p.twenty_to_one.params), format!("{:.4}", p.twenty_to_one.metric), flags(o)
            );
        }
        out.push('\n');
    }
    out
}

const CSV_HEADER: [&str; 28] = [
    "form",
    "task",
    "metric",
    "train_flops",
    "inference_flops",
    "params",
    "params_lo",
    "params_hi",
    "tokens",
    "tokens_lo",
    "tokens_hi",
    "tokens_per_param",
    "tokens_per_param_lo",
    "tokens_per_param_hi",
    "k",
    "k_lo",
    "k_hi",
    "k_clipped",
    "metric_value",
    "metric_lo",
    "metric_hi",
    "location",
    "chinchilla_params",
    "chinchilla_k",
    "chinchilla_metric",
    "twenty_to_one_params",
    "twenty_to_one_metric",
    "bootstrap_draws",
];

fn csv_row(plan: &FormPlan, row: &PlanRow) -> Vec<String> {
    let o = &row.plan.optimum;
    let num = |v: f64| format!("{v:e}");
    let opt = |v: Option<f64>| v.map_or(String::new(), num);
    let b = row.bands.as_ref();
    let pair = |f: fn(&super::Bands) -> Interval| [opt(b.map(|b| f(b).lo)), opt(b.map(|b| f(b).hi))];
    let [params_lo, params_hi] = pair(|b| b.params);
    let [tokens_lo, tokens_hi] = pair(|b| b.tokens);
    let [tpp_lo, tpp_hi] = pair(|b| b.tokens_per_param);
    let [k_lo, k_hi] = pair(|b| b.samples);
    let [metric_lo, metric_hi] = pair(|b| b.metric);
    vec![
        plan.form.name().into(),
        plan.task.clone().unwrap_or_default(),
        plan.metric.name().into(),
        num(o.train_flops),
        num(o.inference_flops),
        num(o.params),
        params_lo,
        params_hi,
        num(o.tokens),
        tokens_lo,
        tokens_hi,
        num(o.tokens_per_param),
        tpp_lo,
        tpp_hi,
        num(o.samples_affordable),
        k_lo,
        k_hi,
        o.k_clipped.to_string(),
        num(o.metric),
        metric_lo,
        metric_hi,
        serde_json::to_value(o.location)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        num(row.plan.chinchilla.params),
        num(row.plan.chinchilla.samples_affordable),
        num(row.plan.chinchilla.metric),
        num(row.plan.twenty_to_one.params),
        num(row.plan.twenty_to_one.metric),
        b.map_or(String::new(), |b| b.draws.to_string()),
    ]
}

/// Writes the plans as CSV (by the .csv extension) or JSON (.json).
pub fn write(plans: &[FormPlan], path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => {
            let mut w = csv::Writer::from_path(path).map_err(|e| fail(&e))?;
            w.write_record(CSV_HEADER).map_err(|e| fail(&e))?;
            for plan in plans {
                for row in &plan.rows {
                    w.write_record(csv_row(plan, row)).map_err(|e| fail(&e))?;
                }
            }
            w.flush().map_err(|e| fail(&e))?;
        }
        Some("json") => {
            let text = serde_json::to_string_pretty(plans)?;
            std::fs::write(path, text + "\n").map_err(|e| fail(&e))?;
        }
        _ => return Err(format!("--out {}: use a .csv or .json file name", path.display()).into()),
    }
    Ok(())
}
