//! Which runs misfit: each model size's mean residual and its share of a fit's squared residuals, named by the
//! table's `model` column when it has one, so the summary can say which run to look at and how to refit
//! without it.

use std::collections::{BTreeMap, BTreeSet};

use t2_fit::{FormFit, SizeMisfit};

use crate::units::FitUnit;

/// The column whose value names a run in the misfit list and its refit filter.
pub const MODEL_COLUMN: &str = "model";

/// A size is worth naming in the summary when its share of the squared residuals is at least this multiple of
/// its share of the rows (and it has more than one row).
pub const MISFIT_FACTOR: f64 = 2.0;

/// Each size's misfit on `fit`'s fitted rows, largest share first (sizes with equal shares by N).
pub fn size_misfit(fit: &FormFit, unit: &FitUnit) -> Vec<SizeMisfit> {
    let mut by_size: BTreeMap<u64, (usize, f64, f64)> = BTreeMap::new();
    let mut total = 0.0;
    let mut rows = 0usize;
    for p in fit
        .predictions
        .iter()
        .filter(|p| !p.heldout && p.observed.is_finite() && p.predicted.is_finite())
    {
        let r = p.observed - p.predicted;
        let entry = by_size.entry(p.params.to_bits()).or_default();
        entry.0 += 1;
        entry.1 += r;
        entry.2 += r * r;
        total += r * r;
        rows += 1;
    }
    let names = model_names(unit);
    let mut list: Vec<SizeMisfit> = by_size
        .into_iter()
        .map(|(bits, (count, sum, squares))| SizeMisfit {
            params: f64::from_bits(bits),
            model: names.get(&bits).cloned(),
            rows: count,
            mean_residual: sum / count as f64,
            share: if total > 0.0 { squares / total } else { 0.0 },
            row_share: count as f64 / rows as f64,
        })
        .collect();
    list.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.params.total_cmp(&b.params)));
    list
}

/// The sizes worth naming: a share of the misfit at least [`MISFIT_FACTOR`] times their share of the rows.
pub fn notable(misfit: &[SizeMisfit]) -> impl Iterator<Item = &SizeMisfit> {
    misfit
        .iter()
        .filter(|m| m.rows > 1 && m.share >= MISFIT_FACTOR * m.row_share)
}

/// The model name of each size N whose rows all carry the same value of the `model` column.
fn model_names(unit: &FitUnit) -> BTreeMap<u64, String> {
    let table = &unit.table;
    let Some(column) = table.extra.iter().find(|c| c.name == MODEL_COLUMN) else {
        return BTreeMap::new();
    };
    let mut seen: BTreeMap<u64, BTreeSet<&str>> = BTreeMap::new();
    for (i, value) in column.values.iter().enumerate() {
        seen.entry(table.params[i].to_bits()).or_default().insert(value);
    }
    seen.into_iter()
        .filter(|(_, v)| v.len() == 1)
        .filter_map(|(bits, v)| v.into_iter().next().map(|name| (bits, name.to_string())))
        .collect()
}
