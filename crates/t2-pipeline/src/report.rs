//! A one-page HTML report of a fit: one self-contained file (figures inline as SVG, a little inline CSS, no
//! script, no font or image to fetch) that can be sent to a colleague. In reading order: the headline (the
//! compute-optimal N*, D*/N* and k* at the headline budgets, with bands and verdicts, and which fits to trust);
//! what was fitted (input, hash, rows used and left out with reasons, tasks, k grid, warnings); per form one table
//! of its estimates with the tasks as columns, then each fit's reasons, spreads and held-out error folded
//! (`<details>`, no script); the figures (frontier, isoFLOP,
//! parity, metric against k); the plan at decade budgets; the command, t2 version and seed. Numbers
//! are formatted as the command line formats them. Headings are in order, tables have header cells, every
//! figure has a text alternative, and it prints to PDF as it shows.

use std::fmt::Write as _;

pub use crate::html::escape;
use crate::html::{inline_svg, table};

use crate::error::Error;
use crate::figures::{figure_plans, figures, reuse_or_plan, task_groups, FigureKind, FigureOptions, Groups};
use crate::fitfile::FitFile;
use crate::plan::{Bands, Interval};
use crate::plan::{FormPlan, PlanRow, Scenario};
use crate::tables::counted;
use crate::tables::estimates::cells;
use crate::tables::headline::{banded, headline_rows};
use crate::tables::summary::verdict_line;
use crate::tables::{number, sig3};

/// What the report shows besides the fit and its plan.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// The figures' budgets.
    pub figures: FigureOptions,
}

/// The report of `file` and its `plans` as one HTML document.
pub fn html(file: &FitFile, plans: &[FormPlan], options: &ReportOptions) -> Result<String, Error> {
    let title = format!("t2 report: {}", file.data_name());
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n\
         </head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    headline(&mut out, file, plans, &options.figures.scenario);
    inputs(&mut out, file);
    fits(&mut out, file);
    figure_section(&mut out, file, plans, &options.figures)?;
    plan_section(&mut out, plans);
    crate::advisor::section::html(&mut out, file)?;
    provenance(&mut out, file);
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(out)
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1a1a1a;margin:0;line-height:1.4}\
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem}h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;\
margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.2rem .5rem;\
text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}details{margin:.3rem 0}summary{cursor:pointer}td:has(.why){white-space:normal;text-align:left}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}\
.ok{color:#1b7f3b}.caution{color:#a15c00}.unreliable{color:#b00020;font-weight:bold}figure{margin:1rem 0;\
break-inside:avoid}figure svg{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#444}code{font-size:.85rem;\
word-break:break-all}@media print{main{max-width:none}h2{break-after:avoid}table{break-inside:avoid}}";

/// Writes the report of `file` (its plans over the figures' budgets, or `plans` when given) to `path`,
/// atomically, refusing to overwrite one of `inputs`.
///
/// # Errors
///
/// [`Error::Option`] when `plans` were not made in the figures' scenario ([`Scenario::check_describes`]), as
/// well as the errors of planning, drawing and writing.
pub fn write(
    file: &FitFile,
    plans: Option<&[FormPlan]>,
    options: &ReportOptions,
    path: &std::path::Path,
    inputs: &[&std::path::Path],
) -> Result<(), Error> {
    let computed;
    let plans = match plans {
        Some(p) => {
            options.figures.scenario.check_describes(p)?;
            p
        }
        None => {
            computed = figure_plans(file, &options.figures)?;
            &computed
        }
    };
    let text = html(file, plans, options)?;
    Error::refuse_overwriting_inputs(path, inputs)?;
    t2_ingest::files::write_bytes(path, text.as_bytes()).map_err(|e| Error::write(path, e))
}

/// "value [lo, hi]" of a plan row, the band `pick` chooses when the row has bands.
fn band(row: &PlanRow, value: f64, pick: fn(&Bands) -> Interval) -> String {
    banded(value, row.bands.as_ref().map(pick))
}

/// A verdict as a coloured word.
fn verdict(v: impl std::fmt::Display) -> String {
    let word = v.to_string();
    format!("<span class=\"{word}\">{word}</span>")
}

/// Why a headline row is not ok, in a line: the fit's questions in brief (the per-fit section has the
/// reasons in full), then the plan's own reasons at this budget.
fn why(trust: &t2_fit::Trust) -> String {
    let fit = trust.without(|c| c.is_plan_check()).brief();
    let own = trust
        .reasons
        .iter()
        .filter(|r| r.check.is_plan_check() && r.verdict != t2_fit::Verdict::Ok)
        .map(|r| r.message.clone());
    std::iter::once(fit)
        .filter(|f| !f.is_empty())
        .chain(own)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The headline table's columns.
pub(crate) fn headline_header(scenario: &Scenario) -> [&'static str; 8] {
    [
        "form",
        scenario.scale_symbol(),
        "N*",
        "D*",
        "D*/N*",
        "k*",
        "verdict",
        "why",
    ]
}

/// The headline table's rows: each plan of task `primary` at the headline budgets, with bands, verdict and why.
pub(crate) fn headline_table_rows(plans: &[FormPlan], primary: Option<&str>) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for plan in plans.iter().filter(|p| p.task.as_deref() == primary) {
        for row in headline_rows(plan) {
            let o = &row.plan.optimum;
            rows.push(vec![
                escape(plan.form.label()),
                sig3(row.budget.scale()),
                band(row, o.params, |b| b.params),
                sig3(o.tokens),
                band(row, o.tokens_per_param, |b| b.tokens_per_param),
                band(row, o.samples, |b| b.samples),
                verdict(row.trust.verdict),
                format!("<span class=\"why\">{}</span>", escape(&why(&row.trust))),
            ]);
        }
    }
    rows
}

fn headline(out: &mut String, file: &FitFile, plans: &[FormPlan], scenario: &Scenario) {
    let primary = task_groups(&file.fits).first().and_then(|g| g.0.clone());
    out.push_str("<section id=\"headline\">\n<h2>Headline</h2>\n");
    let wall = match scenario.unique_tokens {
        Some(u) => format!("beside the {} unique tokens there are", sig3(u)),
        None => format!(
            "beside the stock of public text, {:.0e}",
            t2_fit::trust::PUBLIC_TEXT_TOKENS
        ),
    };
    let _ =
        writeln!(
        out,
        "<p>Compute-optimal allocation ({}){}: N* parameters, D* training tokens ({wall}), D*/N* tokens per \
         parameter and k* samples per query, with 95% bootstrap bands (D* without: it follows from N*).</p>",
        escape(&scenario.describe()),
        primary.as_deref().map_or(String::new(), |t| format!(" (task {})", escape(t))),
    );
    table(
        out,
        "Compute-optimal N*, D* (tokens), D*/N* and k* at the headline budgets",
        &headline_header(scenario),
        &headline_table_rows(plans, primary.as_deref()),
    );
    let ok = file
        .fits
        .iter()
        .filter(|f| f.trust.verdict == t2_fit::Verdict::Ok)
        .count();
    let _ = writeln!(
        out,
        "<p>Which fits to trust: {ok} of {} ok.</p>\n<ul>",
        file.fits.len()
    );
    let mut sorted: Vec<_> = file.fits.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.trust.verdict));
    for fit in sorted {
        let _ = writeln!(
            out,
            "<li class=\"{}\">{}</li>",
            fit.trust.verdict,
            escape(&verdict_line(fit))
        );
    }
    out.push_str("</ul>\n");
    for text in crate::tables::summary::recommendations(&file.fits)
        .split("\n\n")
        .filter(|t| !t.trim().is_empty())
    {
        let _ = writeln!(
            out,
            "<p class=\"recommendation\">{}</p>",
            escape(text.trim()).replace('\n', "<br>")
        );
    }
    out.push_str("</section>\n");
}

fn inputs(out: &mut String, file: &FitFile) {
    let input = &file.input;
    out.push_str("<section id=\"input\">\n<h2>What was fitted</h2>\n<dl>\n");
    let k_grid: Vec<String> = input.k_grid.iter().map(|&k| number(k)).collect();
    for (term, value) in [
        (
            "Input file",
            format!(
                "<code>{}</code> ({} input)",
                escape(&input.path),
                escape(&input.kind)
            ),
        ),
        (
            "Hash (FNV-1a 64)",
            format!("<code>{}</code>", escape(&input.hash)),
        ),
        (
            "Rows",
            format!(
                "{} file rows, {} table rows, {} fitted",
                input.file_rows, input.rows, input.rows_used
            ),
        ),
        (
            "Tasks",
            if input.tasks.is_empty() {
                "(no task column)".into()
            } else {
                escape(&input.tasks.join(", "))
            },
        ),
        ("k grid", k_grid.join(", ")),
    ] {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl>\n");
    if !input.excluded.is_empty() {
        let rows: Vec<Vec<String>> = input
            .excluded
            .iter()
            .map(|e| {
                // Reasons and row lists wrap (class "why"), so the table keeps to the page.
                vec![
                    format!("<span class=\"why\">{}</span>", escape(&e.reason)),
                    escape(e.scope.as_deref().unwrap_or("all fits")),
                    e.rows.len().to_string(),
                    format!("<span class=\"why\">{}</span>", escape(&e.rows.abbreviated(6))),
                ]
            })
            .collect();
        table(
            out,
            "Rows left out, with the reason",
            &["reason", "applies to", "rows", "file rows"],
            &rows,
        );
    }
    let notes: Vec<&String> = input.warnings.iter().chain(&file.notes).collect();
    if !notes.is_empty() {
        out.push_str("<h3>Warnings and notes</h3>\n<ul>\n");
        for n in notes {
            let _ = writeln!(out, "<li>{}</li>", escape(n));
        }
        out.push_str("</ul>\n");
    }
    if !file.skipped.is_empty() {
        out.push_str("<h3>Not fitted</h3>\n<ul>\n");
        for s in &file.skipped {
            let _ = writeln!(out, "<li>{}: {}</li>", escape(&s.scope), escape(&s.reason));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// Per form, one table of its estimates with the tasks as columns; then each fit's verdict, reasons and
/// estimates with their spread, folded.
fn fits(out: &mut String, file: &FitFile) {
    out.push_str("<section id=\"fits\">\n<h2>Fits</h2>\n");
    let groups = task_groups(&file.fits);
    let task_name = |task: &Option<String>| task.as_deref().unwrap_or("all rows").to_string();
    let mut forms: Vec<t2_core::Form> = Vec::new();
    for fit in &file.fits {
        if !forms.contains(&fit.form) {
            forms.push(fit.form);
        }
    }
    for form in forms {
        let fitted: Vec<(&Option<String>, &t2_fit::FormFit)> = groups
            .iter()
            .filter_map(|(task, fits)| fits.iter().find(|f| f.form == form).map(|f| (task, f)))
            .collect();
        let mut names: Vec<&str> = Vec::new();
        for (_, fit) in &fitted {
            for e in &fit.estimates {
                if !names.contains(&e.name.as_str()) {
                    names.push(&e.name);
                }
            }
        }
        let mut rows = vec![std::iter::once("verdict".to_string())
            .chain(fitted.iter().map(|(_, f)| verdict(f.trust.verdict)))
            .collect::<Vec<_>>()];
        for name in names {
            let cells = fitted.iter().map(|(_, fit)| {
                fit.estimates
                    .iter()
                    .find(|e| e.name == name)
                    .map_or("-".to_string(), |e| match (e.lo, e.hi) {
                        (Some(lo), Some(hi)) => {
                            format!("{} [{}, {}]", number(e.value), number(lo), number(hi))
                        }
                        _ => number(e.value),
                    })
            });
            rows.push(
                std::iter::once(escape(name))
                    .chain(cells.map(|c| escape(&c)))
                    .collect(),
            );
        }
        rows.push(
            std::iter::once("R²".to_string())
                .chain(
                    fitted
                        .iter()
                        .map(|(_, f)| format!("{:.4}", f.objective.r_squared)),
                )
                .collect(),
        );
        let header: Vec<String> = std::iter::once("quantity".to_string())
            .chain(fitted.iter().map(|(task, _)| escape(&task_name(task))))
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let _ = writeln!(out, "<h3>{}</h3>", escape(form.label()));
        table(
            out,
            &format!(
                "{}: estimates per task, with {} bootstrap intervals",
                form.label(),
                level_name(file)
            ),
            &header,
            &rows,
        );
    }
    out.push_str("<h3>Each fit: reasons, spreads and intervals</h3>\n");
    for (task, fits) in &groups {
        for fit in fits {
            let _ = writeln!(
                out,
                "<details><summary>{}, {}: {}</summary>",
                escape(&task_name(task)),
                escape(fit.form.label()),
                verdict(fit.trust.verdict)
            );
            fit_details(out, fit);
            out.push_str("</details>\n");
        }
    }
    out.push_str("</section>\n");
}

/// "95%": the bootstrap level of the file's fits.
fn level_name(file: &FitFile) -> String {
    let level = file
        .fits
        .iter()
        .find_map(|f| f.bootstrap.as_ref().map(|b| b.level))
        .unwrap_or(0.95);
    format!("{:.0}%", 100.0 * level)
}

/// One fit's aspects, reasons, forecast and misfit lines, estimates with spreads, and R².
fn fit_details(out: &mut String, fit: &t2_fit::FormFit) {
    let _ = writeln!(
        out,
        "<p>{}</p>",
        escape(&crate::tables::summary::aspects_line(fit))
    );
    let lines: Vec<String> = fit
        .forecast
        .iter()
        .map(crate::tables::summary::forecast_line)
        .chain(crate::misfit::notable(&fit.misfit).map(crate::tables::summary::misfit_line))
        .collect();
    if !fit.trust.reasons.is_empty() || !lines.is_empty() {
        out.push_str("<ul>\n");
        for r in &fit.trust.reasons {
            let _ = writeln!(
                out,
                "<li>{} {} ({}): {}</li>",
                escape(r.check.aspect().name()),
                escape(r.check_name()),
                if r.verdict == t2_fit::Verdict::Ok {
                    "note".to_string()
                } else {
                    verdict(r.verdict)
                },
                escape(&r.message)
            );
        }
        for line in &lines {
            let _ = writeln!(out, "<li>{}</li>", escape(line));
        }
        out.push_str("</ul>\n");
    }
    let rows: Vec<Vec<String>> = fit
        .estimates
        .iter()
        .map(|e| cells(e).iter().map(|c| escape(c)).collect())
        .collect();
    let level = fit.bootstrap.as_ref().map_or(95.0, |b| 100.0 * b.level);
    table(
        out,
        &format!("{} estimates", fit.label()),
        &[
            "quantity",
            "estimate",
            "SE or ×factor",
            &format!("{level:.0}% interval"),
        ],
        &rows,
    );
    let heldout = fit.heldout_relative_error.map_or(String::new(), |e| {
        format!("; held-out mean relative error {:.2}%", 100.0 * e)
    });
    let _ = writeln!(
        out,
        "<p>R² {:.4} on {} (target {}){heldout}.</p>",
        fit.objective.r_squared,
        counted(fit.objective.rows_used, "row"),
        escape(fit.target.name())
    );
}

fn figure_section(
    out: &mut String,
    file: &FitFile,
    plans: &[FormPlan],
    options: &FigureOptions,
) -> Result<(), Error> {
    out.push_str("<section id=\"figures\">\n<h2>Figures</h2>\n");
    let plans = reuse_or_plan(file, plans, options)?;
    for named in figures(file, &plans, options, Groups::Primary)? {
        let caption = match named.kind {
            FigureKind::Frontier => {
                "Compute-optimal frontier: N*, D*/N* and k* against training compute, with bands"
            }
            FigureKind::Isoflop => {
                "IsoFLOP profiles: the metric against N at each compute level, fit and observed"
            }
            FigureKind::Parity => "Fit quality: predicted against observed, train and held-out rows",
            FigureKind::MetricVsK => "The metric against samples k per checkpoint, fit and observed",
        };
        let labelled = inline_svg(&named.figure, caption)?;
        let _ = writeln!(
            out,
            "<figure id=\"{}\">\n{labelled}\n<figcaption>{}</figcaption>\n</figure>",
            named.kind.name(),
            escape(caption)
        );
    }
    out.push_str("</section>\n");
    Ok(())
}

/// The plan of the primary task group at decade budgets.
fn plan_section(out: &mut String, plans: &[FormPlan]) {
    out.push_str("<section id=\"plan\">\n<h2>Plan</h2>\n");
    let primary = plans
        .iter()
        .find(|p| p.task.as_deref() == Some("macro"))
        .or(plans.first())
        .map(|p| p.task.clone());
    let mut rows = Vec::new();
    for plan in plans.iter().filter(|p| Some(&p.task) == primary.as_ref()) {
        for row in &plan.rows {
            let c = row.plan.optimum.train_flops;
            if (c.log10() - c.log10().round()).abs() > 1e-9 {
                continue;
            }
            let o = &row.plan.optimum;
            rows.push(vec![
                escape(plan.form.label()),
                sig3(c),
                band(row, o.params, |b| b.params),
                band(row, o.tokens, |b| b.tokens),
                band(row, o.tokens_per_param, |b| b.tokens_per_param),
                band(row, o.samples, |b| b.samples),
                verdict(row.trust.verdict),
            ]);
        }
    }
    table(
        out,
        "The plan at decade budgets, with 95% bootstrap bands (t2 plan --full gives every budget)",
        &["form", "C_train", "N*", "D*", "D*/N*", "k*", "verdict"],
        &rows,
    );
    out.push_str("</section>\n");
}

/// The command, version and seed: everything needed to make the report again (and nothing that changes
/// between runs, such as the time taken, so the same job writes the same bytes).
fn provenance(out: &mut String, file: &FitFile) {
    out.push_str("<section id=\"provenance\">\n<h2>How this was made</h2>\n<dl>\n");
    let command = file
        .command
        .iter()
        .map(|a| {
            if a.contains([' ', '\'', '"']) {
                format!("'{a}'")
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(out, "<dt>Command</dt><dd><code>{}</code></dd>", escape(&command));
    let _ = writeln!(out, "<dt>t2 version</dt><dd>{}</dd>", escape(&file.t2_version));
    let _ = writeln!(out, "<dt>Seed</dt><dd>{}</dd>", file.seed);
    out.push_str("</dl>\n</section>\n");
}
