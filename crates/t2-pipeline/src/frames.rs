//! Results as column tables, the shape of a data frame: named, typed columns of equal length, missing values as
//! `None`. The Python package turns them into polars (or pandas) DataFrames without a detour through text, and
//! the plan's CSV is written from its table, so the CSV and the DataFrame have the same columns.
//!
//! - [`run_table`]: the normalised run table ingest made of the input.
//! - [`estimates`]: one row per estimate of every fit (parameters, then derived quantities).
//! - [`fits`]: one row per fit: verdict, reasons, objective, R², held-out error.
//! - [`predictions`]: one row per fitted or held-out row of every fit.
//! - [`plans`]: one row per form and budget.
//! - [`comparison`]: one row per (fit, parameter), one value and interval column group per file compared.

pub use t2_core::columns::{Column, ColumnTable};
use t2_fit::{Estimate, FormFit, Kind};

use t2_core::plan::{Budget, PlanPoint};
use t2_core::table::{ExtraColumn, PRETRAIN_LOSS, PROBLEMS, UNIQUE_TOKENS};

use crate::plan::{Bands, FormPlan, Interval, PlanRow};
use crate::tables::compare::rows as compare_rows;
use crate::tables::spreadsheet_safe;

/// The run table: params, tokens, k, then loss, pass_at_k, weight and task where the table has them, then its
/// extra columns ([`carried`]: as text, but for the few t2 reads as numbers), in the order `t2 ingest` writes
/// them.
pub fn run_table(table: &t2_core::RunTable) -> ColumnTable {
    let rows: Vec<usize> = (0..table.len()).collect();
    let mut t = ColumnTable::default();
    t.number("params", &rows, |&i| Some(table.params[i]));
    t.number("tokens", &rows, |&i| Some(table.tokens[i]));
    t.number("k", &rows, |&i| Some(table.k[i]));
    for (name, values) in [
        ("loss", &table.loss),
        ("pass_at_k", &table.pass_at_k),
        ("weight", &table.weight),
    ] {
        if let Some(values) = values {
            t.number(name, &rows, |&i| Some(values[i]));
        }
    }
    if let Some(task) = &table.task {
        t.text("task", &rows, |&i| Some(task[i].clone()));
    }
    for extra in &table.extra {
        t.push(&extra.name, carried(extra));
    }
    t
}

/// A carried column: the ones t2 itself reads as numbers (the aggregate's problem counts, the pretraining loss,
/// the unique tokens) as counts or numbers when every cell is one, any other as the text it was read as.
fn carried(extra: &ExtraColumn) -> Column {
    let parsed = match extra.name.as_str() {
        PROBLEMS => extra
            .values
            .iter()
            .map(|v| v.parse::<u64>().ok().map(Some))
            .collect::<Option<Vec<_>>>()
            .map(Column::Count),
        PRETRAIN_LOSS | UNIQUE_TOKENS => extra
            .values
            .iter()
            .map(|v| v.parse::<f64>().ok().map(Some))
            .collect::<Option<Vec<_>>>()
            .map(Column::Number),
        _ => None,
    };
    parsed.unwrap_or_else(|| Column::Text(extra.values.iter().cloned().map(Some).collect()))
}

/// "scale", "exponent", "derived" or "other".
fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Scale => "scale",
        Kind::Exponent => "exponent",
        Kind::Derived => "derived",
        Kind::Other => "other",
    }
}

/// Every estimate of every fit: form, task, name, kind, value, se (linear-scale quantities), factor (the ×/÷
/// spread of log-scale ones), lo, hi (the percentile interval), draws, and the fit's verdict.
pub fn estimates(fits: &[FormFit]) -> ColumnTable {
    let rows: Vec<(&FormFit, &Estimate)> = fits
        .iter()
        .flat_map(|f| f.estimates.iter().map(move |e| (f, e)))
        .collect();
    let mut t = ColumnTable::default();
    t.scope(&rows, |(f, _)| (f.form, f.task.clone()));
    t.text("name", &rows, |(_, e)| Some(e.name.clone()));
    t.text("kind", &rows, |(_, e)| Some(kind_name(e.kind).to_string()));
    t.number("value", &rows, |(_, e)| Some(e.value));
    t.number("se", &rows, |(_, e)| e.se);
    t.number("factor", &rows, |(_, e)| e.factor);
    t.number("lo", &rows, |(_, e)| e.lo);
    t.number("hi", &rows, |(_, e)| e.hi);
    t.count("draws", &rows, |(_, e)| Some(e.draws as u64));
    t.text("verdict", &rows, |(f, _)| Some(f.trust.verdict.to_string()));
    t
}

/// One row per fit: form, task, target, verdict, describes, predicts, identifies, reasons (joined by "; "),
/// forecast_error, persistence_error (on the same rows), objective, objective_value, rows_used, r_squared,
/// converged, resamples, failed_resamples, heldout_relative_error.
pub fn fits(fits: &[FormFit]) -> ColumnTable {
    let mut t = ColumnTable::default();
    t.scope(fits, |f| (f.form, f.task.clone()));
    t.text("target", fits, |f| Some(f.target.name().to_string()));
    t.text("verdict", fits, |f| Some(f.trust.verdict.to_string()));
    t.text("describes", fits, |f| Some(f.trust.aspects.describes.to_string()));
    t.text("predicts", fits, |f| {
        (f.forecast.is_some() || f.heldout_relative_error.is_some())
            .then(|| f.trust.aspects.predicts.to_string())
    });
    t.text("identifies", fits, |f| {
        Some(f.trust.aspects.identifies.to_string())
    });
    t.text("reasons", fits, |f| Some(f.trust.summary()));
    t.number("forecast_error", fits, |f| f.forecast.as_ref().map(|x| x.error));
    t.number("persistence_error", fits, |f| {
        f.forecast
            .as_ref()
            .and_then(|x| x.baseline(t2_fit::Baseline::Persistence))
            .map(|b| b.error)
    });
    t.text("objective", fits, |f| Some(f.objective.name.clone()));
    t.number("objective_value", fits, |f| Some(f.objective.value));
    t.count("rows_used", fits, |f| Some(f.objective.rows_used as u64));
    t.number("r_squared", fits, |f| Some(f.objective.r_squared));
    t.flag("converged", fits, |f| f.diagnostics.converged);
    t.count("resamples", fits, |f| {
        f.bootstrap.as_ref().map(|b| b.resamples as u64)
    });
    t.count("failed_resamples", fits, |f| {
        f.bootstrap.as_ref().map(|b| b.failed as u64)
    });
    t.number("heldout_relative_error", fits, |f| f.heldout_relative_error);
    t
}

/// Observed against predicted for every row of every fit: form, task, params, tokens, k, observed, predicted,
/// heldout.
pub fn predictions(fits: &[FormFit]) -> ColumnTable {
    let rows: Vec<(&FormFit, &t2_fit::Prediction)> = fits
        .iter()
        .flat_map(|f| f.predictions.iter().map(move |p| (f, p)))
        .collect();
    let mut t = ColumnTable::default();
    t.scope(&rows, |(f, _)| (f.form, f.task.clone()));
    t.number("params", &rows, |(_, p)| Some(p.params));
    t.number("tokens", &rows, |(_, p)| Some(p.tokens));
    t.number("k", &rows, |(_, p)| Some(p.k));
    t.number("observed", &rows, |(_, p)| Some(p.observed));
    t.number("predicted", &rows, |(_, p)| Some(p.predicted));
    t.flag("heldout", &rows, |(_, p)| p.heldout);
    t
}

/// A plan row's optimum value of one quantity.
type PointValue = fn(&PlanRow) -> f64;
/// The bootstrap band of that quantity.
type BandOf = fn(&Bands) -> Interval;

/// Adds a plan value column `name`, then its band's `{band_name}_lo` and `{band_name}_hi`.
fn banded(
    t: &mut ColumnTable,
    rows: &[(&FormPlan, &PlanRow)],
    name: &str,
    band_name: &str,
    value: PointValue,
    band: BandOf,
) {
    t.number(name, rows, |(_, r)| Some(value(r)));
    t.number(&format!("{band_name}_lo"), rows, |(_, r)| {
        r.bands.as_ref().map(|b| band(b).lo)
    });
    t.number(&format!("{band_name}_hi"), rows, |(_, r)| {
        r.bands.as_ref().map(|b| band(b).hi)
    });
}

/// One row per form and budget (or target): what was asked (`budget`: per_query or lifetime, `target` and
/// whether it is `reachable`), the compute (`train_flops` 6N*D* with its band, `inference_flops` per query,
/// `queries` and `total_flops` over a lifetime), the optimum N* (`params`), D* (`tokens`), D*/N*, D′
/// (`effective_tokens`) and `epochs` under a unique-data limit, k* and the metric with their bands (`_lo`,
/// `_hi`), where on the search range the optimum lies, the inference-corrected Chinchilla path and the 20:1 rule,
/// and the verdict with its reasons. The plan's CSV has exactly these columns.
pub fn plans(plans: &[FormPlan]) -> ColumnTable {
    let rows: Vec<(&FormPlan, &PlanRow)> = plans
        .iter()
        .flat_map(|p| p.rows.iter().map(move |r| (p, r)))
        .collect();
    let mut t = ColumnTable::default();
    t.scope(&rows, |(p, _)| (p.form, p.task.clone()));
    t.text("metric", &rows, |(p, _)| Some(p.metric.name().to_string()));
    t.text("budget", &rows, |(_, r)| {
        Some(
            match r.budget {
                Budget::PerQuery { .. } => "per_query",
                Budget::Lifetime { .. } => "lifetime",
            }
            .to_string(),
        )
    });
    t.number("target", &rows, |(_, r)| r.plan.target.map(|t| t.target.value));
    t.flag("reachable", &rows, |(_, r)| {
        r.plan.target.is_none_or(|t| t.reachable)
    });
    banded(
        &mut t,
        &rows,
        "train_flops",
        "train_flops",
        |r| r.plan.optimum.train_flops,
        |b| b.train_flops,
    );
    t.number("inference_flops", &rows, |(_, r)| {
        Some(r.plan.optimum.inference_flops)
    });
    t.number("queries", &rows, |(_, r)| match r.budget {
        Budget::Lifetime { queries, .. } => Some(queries),
        Budget::PerQuery { .. } => None,
    });
    t.number("total_flops", &rows, |(_, r)| r.plan.optimum.total_flops);
    t.number("total_flops_lo", &rows, |(_, r)| {
        r.bands.as_ref().and_then(|b| b.total_flops).map(|i| i.lo)
    });
    t.number("total_flops_hi", &rows, |(_, r)| {
        r.bands.as_ref().and_then(|b| b.total_flops).map(|i| i.hi)
    });
    let columns = [
        (
            "params",
            "params",
            (|r| r.plan.optimum.params) as PointValue,
            (|b| b.params) as BandOf,
        ),
        ("tokens", "tokens", |r| r.plan.optimum.tokens, |b| b.tokens),
        (
            "tokens_per_param",
            "tokens_per_param",
            |r| r.plan.optimum.tokens_per_param,
            |b| b.tokens_per_param,
        ),
    ];
    for (name, band_name, value, band) in columns {
        banded(&mut t, &rows, name, band_name, value, band);
    }
    t.number("effective_tokens", &rows, |(_, r)| {
        Some(r.plan.optimum.effective_tokens)
    });
    t.number("epochs", &rows, |(_, r)| r.plan.optimum.epochs);
    banded(
        &mut t,
        &rows,
        "k",
        "k",
        |r| r.plan.optimum.samples_affordable,
        |b| b.samples,
    );
    t.flag("k_clipped", &rows, |(_, r)| r.plan.optimum.k_clipped);
    banded(
        &mut t,
        &rows,
        "metric_value",
        "metric",
        |r| r.plan.optimum.metric,
        |b| b.metric,
    );
    t.text("location", &rows, |(_, r)| {
        Some(r.plan.optimum.location.name().to_string())
    });
    type Reference = fn(&PlanRow) -> Option<PlanPoint>;
    let references: [(&str, Reference); 2] = [
        ("chinchilla", |r| r.plan.chinchilla),
        ("twenty_to_one", |r| r.plan.twenty_to_one),
    ];
    for (name, point) in references {
        let column = |what: &str| format!("{name}_{what}");
        t.number(&column("params"), &rows, |(_, r)| point(r).map(|p| p.params));
        t.number(&column("tokens"), &rows, |(_, r)| point(r).map(|p| p.tokens));
        t.number(&column("k"), &rows, |(_, r)| {
            point(r).map(|p| p.samples_affordable)
        });
        t.number(&column("metric"), &rows, |(_, r)| point(r).map(|p| p.metric));
        t.number(&column("total_flops"), &rows, |(_, r)| {
            point(r).and_then(|p| p.total_flops)
        });
    }
    t.count("bootstrap_draws", &rows, |(_, r)| {
        r.bands.as_ref().map(|b| b.draws as u64)
    });
    t.text("verdict", &rows, |(_, r)| Some(r.trust.verdict.to_string()));
    t.text("reasons", &rows, |(_, r)| Some(r.trust.summary()));
    t
}

/// The design advice: one row per advised run of every fit (pick 1, 2, …), beside its fit's quantity, value,
/// standard deviation now and after every pick, and the two bands' ratio; a fit without advice has one row with
/// its reason (`refused`) and no run.
pub fn design(advised: &[crate::advisor::output::Advised]) -> ColumnTable {
    use crate::advisor::{Advice, Pick};
    type Row<'a> = (&'a crate::advisor::output::Advised, Option<(usize, &'a Pick)>);
    let rows: Vec<Row> = advised
        .iter()
        .flat_map(|a| match &a.advice {
            Some(advice) if !advice.picks.is_empty() => advice
                .picks
                .iter()
                .enumerate()
                .map(|(i, p)| (a, Some((i + 1, p))))
                .collect(),
            _ => vec![(a, None)],
        })
        .collect();
    fn advice<'a>(r: &Row<'a>) -> Option<&'a Advice> {
        r.0.advice.as_ref()
    }
    fn pick<'a>(r: &Row<'a>) -> Option<&'a Pick> {
        r.1.map(|(_, p)| p)
    }
    let mut t = ColumnTable::default();
    t.scope(&rows, |r| (r.0.form, r.0.task.clone()));
    t.text("quantity", &rows, |r| {
        advice(r).map(|a| a.quantity.name().to_string())
    });
    t.number("value", &rows, |r| {
        advice(r).map(|a| {
            if a.quantity.is_log() {
                a.value.exp()
            } else {
                a.value
            }
        })
    });
    t.number("sd_now", &rows, |r| advice(r).map(|a| a.sd_now));
    t.number("sd_after", &rows, |r| advice(r).map(|a| a.sd_after));
    t.number("band_ratio", &rows, |r| advice(r).and_then(|a| a.band_ratio));
    t.text("warning", &rows, |r| advice(r).and_then(|a| a.warning.clone()));
    t.count("pick", &rows, |r| r.1.map(|(i, _)| i as u64));
    t.number("params", &rows, |r| pick(r).map(|p| p.params));
    t.number("tokens", &rows, |r| pick(r).map(|p| p.tokens));
    t.number("tokens_per_param", &rows, |r| pick(r).map(|p| p.tokens_per_param));
    t.number("train_flops", &rows, |r| pick(r).map(|p| p.train_flops));
    t.number("predicted", &rows, |r| pick(r).map(|p| p.predicted));
    t.number("sd_before_pick", &rows, |r| pick(r).map(|p| p.sd_before));
    t.number("sd_after_pick", &rows, |r| pick(r).map(|p| p.sd_after));
    t.number("budget_share", &rows, |r| pick(r).map(|p| p.budget_share));
    t.text("reason", &rows, |r| pick(r).map(|p| p.reason.clone()));
    t.text("refused", &rows, |r| r.0.refused.clone());
    t
}

/// The estimates of several fit files side by side: fit ("approach1 (task qa)"), parameter, then for each file
/// `NAME`, `NAME_lo`, `NAME_hi`, and `disjoint` (some pair of intervals does not overlap).
pub fn comparison(files: &[Vec<FormFit>], names: &[String]) -> ColumnTable {
    let (_, rows) = compare_rows(files);
    let mut t = ColumnTable::default();
    t.text("fit", &rows, |r| Some(r.fit.clone()));
    t.text("parameter", &rows, |r| Some(r.name.clone()));
    for (j, name) in names.iter().enumerate() {
        let cell = |r: &crate::tables::compare::Row| r.cells.get(j).cloned().flatten();
        t.number(name, &rows, |r| cell(r).map(|e| e.value));
        t.number(&format!("{name}_lo"), &rows, |r| cell(r).and_then(|e| e.lo));
        t.number(&format!("{name}_hi"), &rows, |r| cell(r).and_then(|e| e.hi));
    }
    t.flag("disjoint", &rows, |r| r.disjoint());
    t
}

/// `table` as CSV with a header row, text cells made safe for spreadsheets ([`spreadsheet_safe`]).
pub fn csv(table: &ColumnTable) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(
        table
            .columns
            .iter()
            .map(|(name, _)| spreadsheet_safe(name).into_owned()),
    )?;
    for i in 0..table.height() {
        w.write_record(table.columns.iter().map(|(_, c)| match c {
            Column::Text(_) => spreadsheet_safe(&c.text(i)).into_owned(),
            _ => c.text(i),
        }))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_writes_missing_values_empty_and_numbers_round_trip() {
        let mut t = ColumnTable::default();
        let rows = [(Some(1.5e21), None), (None, Some("qa".to_string()))];
        t.number("flops", &rows, |r| r.0);
        t.text("task", &rows, |r| r.1.clone());
        t.flag("clipped", &rows, |r| r.0.is_none());
        let text = String::from_utf8(csv(&t).unwrap()).unwrap();
        assert_eq!(text, "flops,task,clipped\n1.5e21,,false\n,qa,true\n");
        assert_eq!(t.height(), 2);
        assert!(matches!(t.column("task"), Some(Column::Text(v)) if v[1].as_deref() == Some("qa")));
    }
}
