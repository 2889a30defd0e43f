//! Each checkpoint's pretraining (validation) loss, the chained form's input: a `pretrain_loss` column of the
//! sweep itself (carried through ingest, checked by [`crate::carried`]), or a separate table joined on N, D and
//! the columns the two share (e.g. `model`).

use std::collections::HashMap;
use std::path::Path;

use t2_core::table::{ExtraColumn, PRETRAIN_LOSS};

use crate::error::IngestError;
use crate::options::IngestOptions;
use crate::report::Ingested;

/// The join key of row `i`: N and D to the bit, and the values of the shared columns.
fn key(params: f64, tokens: f64, shared: &[&ExtraColumn], i: usize) -> (u64, u64, Vec<String>) {
    (
        params.to_bits(),
        tokens.to_bits(),
        shared.iter().map(|c| c.values[i].clone()).collect(),
    )
}

/// Joins the pretraining losses of `path` (a run table with `params`, `tokens`, `loss`; read with default
/// options) to `ingested` as its `pretrain_loss` column, on N, D and every carried column the two tables share.
/// Errors: the sweep already has the column; `path` gives one key two different losses; a sweep row has no
/// match (naming its file row and key).
pub fn join(ingested: &mut Ingested, path: &Path) -> Result<(), IngestError> {
    let sweep_path = ingested.report.path.clone();
    if ingested.table.extra.iter().any(|c| c.name == PRETRAIN_LOSS) {
        return Err(IngestError::column(
            &sweep_path,
            PRETRAIN_LOSS,
            format!("the sweep has its own {PRETRAIN_LOSS} column; give it or --pretrain-loss, not both"),
        ));
    }
    let losses = crate::read_runs(path, &IngestOptions::default())?;
    let other = &losses.table;
    let loss = other
        .loss
        .as_ref()
        .ok_or_else(|| IngestError::column(path, "loss", "the pretraining-loss table needs a loss column"))?;
    let shared: Vec<&str> = other
        .extra
        .iter()
        .map(|c| c.name.as_str())
        .filter(|name| ingested.table.extra.iter().any(|c| &c.name == name))
        .collect();
    let columns_of = |extra: &'_ [ExtraColumn]| -> Vec<ExtraColumn> {
        shared
            .iter()
            .filter_map(|name| extra.iter().find(|c| &c.name == name).cloned())
            .collect()
    };
    let other_columns = columns_of(&other.extra);
    let other_refs: Vec<&ExtraColumn> = other_columns.iter().collect();
    let mut by_key: HashMap<(u64, u64, Vec<String>), (f64, usize)> = HashMap::new();
    for (i, &this) in loss.iter().enumerate() {
        let k = key(other.params[i], other.tokens[i], &other_refs, i);
        let row = losses.source_rows[i].first().unwrap_or(0);
        match by_key.get(&k) {
            Some(&(value, _)) if value != this => {
                return Err(IngestError::cell(
                    path,
                    row,
                    "loss",
                    format!(
                        "a second pretraining loss {this} for N = {}, D = {} (the first was {value})",
                        other.params[i], other.tokens[i]
                    ),
                ))
            }
            Some(_) => {}
            None => {
                by_key.insert(k, (this, row));
            }
        }
    }
    let table = &ingested.table;
    let sweep_columns = columns_of(&table.extra);
    let sweep_refs: Vec<&ExtraColumn> = sweep_columns.iter().collect();
    let mut values = Vec::with_capacity(table.len());
    for i in 0..table.len() {
        let k = key(table.params[i], table.tokens[i], &sweep_refs, i);
        let Some(&(value, _)) = by_key.get(&k) else {
            let on: Vec<String> = shared
                .iter()
                .zip(&k.2)
                .map(|(name, v)| format!("{name} = '{}'", v.escape_debug()))
                .collect();
            return Err(IngestError::file(
                path,
                format!(
                    "no pretraining loss for the checkpoint N = {}, D = {}{} of {} (file row {}); joined on \
                     params, tokens{}",
                    table.params[i],
                    table.tokens[i],
                    if on.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", on.join(", "))
                    },
                    sweep_path.display(),
                    ingested.source_rows[i].first().unwrap_or(0),
                    shared.iter().map(|s| format!(", {s}")).collect::<String>()
                ),
            ));
        };
        values.push(value.to_string());
    }
    ingested.table.extra.push(ExtraColumn {
        name: PRETRAIN_LOSS.to_string(),
        values,
    });
    Ok(())
}
