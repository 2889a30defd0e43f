//! The report's "What to train next" section: for each fit of the primary task group, the runs the advisor
//! would train with half the sweep's own compute ([`crate::defaults::DESIGN_BUDGET_SHARE`]), to shrink N*'s
//! band at the default target, with the figure of fitted and advised runs.

use std::fmt::Write as _;

use super::{advise, figure, DesignChoices, Quantity};
use crate::error::Error;
use crate::figures::task_groups;
use crate::html::{escape, inline_svg, table};
use crate::tables::sig3;
use crate::FitFile;

/// The training compute of a fit file's fitted checkpoints, Σ 6ND over distinct (N, D).
fn sweep_compute(file: &FitFile) -> f64 {
    let mut runs: Vec<(u64, u64)> = file
        .fits
        .iter()
        .flat_map(|f| f.predictions.iter().filter(|r| !r.heldout))
        .map(|r| (r.params.to_bits(), r.tokens.to_bits()))
        .collect();
    runs.sort_unstable();
    runs.dedup();
    runs.iter()
        .map(|&(n, d)| 6.0 * f64::from_bits(n) * f64::from_bits(d))
        .sum()
}

/// Appends the section to `out`.
///
/// # Errors
///
/// A figure that cannot be drawn.
pub(crate) fn html(out: &mut String, file: &FitFile) -> Result<(), Error> {
    let budget = crate::defaults::DESIGN_BUDGET_SHARE * sweep_compute(file);
    let choices = DesignChoices {
        budget,
        max_runs: crate::defaults::DESIGN_MAX_RUNS,
        max_run_flops: None,
        target_train_flops: crate::defaults::DESIGN_TARGET_TRAIN_FLOPS,
        inference_flops: crate::defaults::INFERENCE_FLOPS,
        quantity: Quantity::NStar,
        candidates: None,
    };
    out.push_str("<section id=\"design\">\n<h2>What to train next</h2>\n");
    let Ok(request) = choices.request() else {
        out.push_str("<p>No advice: the sweep has no fitted compute.</p>\n</section>\n");
        return Ok(());
    };
    let _ = writeln!(
        out,
        "<p>The runs that would shrink the band of N* at {} most, spending half the sweep's own compute ({} FLOPs) \
         in at most {} runs (<code>t2 design FIT --budget {}</code>; the method and its simulation study are in the \
         README).</p>",
        escape(&request.target.to_string()),
        sig3(budget),
        crate::defaults::DESIGN_MAX_RUNS,
        sig3(budget)
    );
    if let Some((task, fits)) = task_groups(&file.fits).into_iter().next() {
        let mut drawn = Vec::new();
        for fit in &fits {
            let label = fit.form.scope(fit.task.as_deref());
            let advice = match advise(fit, &request) {
                Ok(a) => a,
                Err(e) => {
                    let _ = writeln!(
                        out,
                        "<p>{}: no advice: {}</p>",
                        escape(&label),
                        escape(&e.to_string())
                    );
                    continue;
                }
            };
            let rows: Vec<Vec<String>> = advice
                .picks
                .iter()
                .map(|p| {
                    vec![
                        sig3(p.params),
                        sig3(p.tokens),
                        sig3(p.tokens_per_param),
                        sig3(p.train_flops),
                        format!("{} → {}", sig3(p.sd_before), sig3(p.sd_after)),
                        format!("<span class=\"why\">{}</span>", escape(&p.reason)),
                    ]
                })
                .collect();
            let caption = format!(
                "{label}: 1 sd of ln N* {} now, {} after{}",
                sig3(advice.sd_now),
                sig3(advice.sd_after),
                advice
                    .warning
                    .as_ref()
                    .map_or(String::new(), |w| format!(" · {w}"))
            );
            table(
                out,
                &caption,
                &["N", "D", "D/N", "6ND", "sd of ln N*", "why"],
                &rows,
            );
            drawn.push((fit, advice));
        }
        if !drawn.is_empty() {
            let title = format!(
                "{}{}",
                file.data_name(),
                task.map_or(String::new(), |t| format!(", task {t}"))
            );
            let caption =
                "What to train next: the fitted runs and each form's advised runs in the (N, D) plane";
            let svg = inline_svg(&figure::figure_of_group(&title, &drawn), caption)?;
            let _ = writeln!(
                out,
                "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
                escape(caption)
            );
        }
    }
    out.push_str("</section>\n");
    Ok(())
}
