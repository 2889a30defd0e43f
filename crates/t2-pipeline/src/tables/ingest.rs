//! What ingest read, for people: the report (rows read, dropped, warnings) and the summary `t2 inspect` shows.

use super::counted;
use t2_ingest::summary::Range;
use t2_ingest::{IngestReport, Summary};

/// The report as lines for a human: what was read, what was dropped (with the first rows) and the warnings.
pub fn describe_report(report: &IngestReport, rows_used: usize) -> String {
    let mut text = format!(
        "read {} ({} input, {} data rows) -> {} table rows\n",
        report.path.display(),
        report.kind.name(),
        report.rows_read,
        rows_used
    );
    for dropped in &report.dropped {
        let shown: Vec<String> = dropped.rows.iter().take(10).map(|r| r.to_string()).collect();
        let more = if dropped.rows.len() > 10 { ", …" } else { "" };
        text += &format!(
            "dropped {}: {} (rows {}{more})\n",
            counted(dropped.count, "row"),
            dropped.reason,
            shown.join(", ")
        );
    }
    for warning in &report.warnings {
        text += &format!("warning: {warning}\n");
    }
    text
}

/// The summary of a sweep as aligned lines: rows, checkpoints, tasks, k grid, ranges, isoFLOP levels, then the
/// design warnings.
pub fn describe_summary(s: &Summary) -> String {
    let tasks = if s.tasks.is_empty() {
        "(no task column)".to_string()
    } else {
        s.tasks.join(", ")
    };
    let k_grid: Vec<String> = s.k_grid.iter().map(|k| format!("{k}")).collect();
    let optional =
        |r: Option<Range>| r.map_or("(absent)".to_string(), |r| format!("{:.6} … {:.6}", r.min, r.max));
    let mut text = format!(
        "rows            {}\ncheckpoints     {}\ntasks           {}\nk grid          {}\n\
         N (params)      {}\nD (tokens)      {}\nD/N             {}\nC = 6ND         {}\n\
         isoFLOP levels  {}\nloss            {}\npass@k          {}\n",
        s.rows,
        s.checkpoints,
        tasks,
        k_grid.join(", "),
        scientific(s.params),
        scientific(s.tokens),
        scientific(s.tokens_per_param),
        scientific(s.train_flops),
        s.isoflop_levels,
        optional(s.loss),
        optional(s.pass_at_k),
    );
    for warning in &s.warnings {
        text += &format!("warning: {warning}\n");
    }
    text
}

fn scientific(r: Range) -> String {
    format!("{:.4e} … {:.4e}", r.min, r.max)
}
