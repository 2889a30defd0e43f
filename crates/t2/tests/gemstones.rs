//! The real T²-shaped sweep: Gemstones (McLeish et al. 2025), 22 models × 35 checkpoints, per-question answer
//! likelihoods on ARC-Challenge and PIQA, with each checkpoint's pretraining loss joined for the chained form.
//! With the default settings (the forecast check on the most overtrained 20% of each size's checkpoints), the
//! verdict must tell Approach 1 (structurally wrong: the gain from sampling tracks L(1)) from Approach 2 and
//! the chained form, and say that persistence forecasts as well. The numbers are pinned to 3 significant digits.

#[path = "../../shared_data.rs"]
mod shared_data;

use shared_data::shared_data;
use t2_core::Form;
use t2_fit::trust::{Check, Verdict};
use t2_fit::{Baseline, FormFit};
use t2_ingest::{read_runs, IngestOptions};
use t2_pipeline::request::FitRequest;
use t2_pipeline::sweep::{fit_sweep, Silent};

fn fit_of<'a>(fits: &'a [FormFit], form: Form, task: &str) -> &'a FormFit {
    fits.iter()
        .find(|f| f.form == form && f.task.as_deref() == Some(task))
        .unwrap_or_else(|| panic!("no {form} fit for {task}"))
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 5e-4 * expected.abs().max(1e-3) + 5e-5,
        "{what}: {actual} against {expected}"
    );
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn the_verdict_tells_approach_1_from_approach_2_and_the_chained_form_beats_approach_2() {
    let opts = IngestOptions {
        pretrain_loss: Some(shared_data("gemstones_pretrain_loss.csv")),
        ..Default::default()
    };
    let ingested = read_runs(&shared_data("gemstones_arcc_piqa.parquet"), &opts).expect("Gemstones ingests");
    let request = FitRequest {
        bootstrap: None,
        ..FitRequest::sweep()
    };
    let file = fit_sweep(&ingested, &request, vec!["test".into()], &Silent).expect("Gemstones fits");
    // (task, Approach 1 loss error, Approach 2, chained, persistence and smooth curve in pass@k)
    let expected = [
        ("arcc", 0.4248, 0.0724, 0.0693, 0.0568, 0.0440),
        ("piqa", 0.6696, 0.0534, 0.0427, 0.0275, 0.0202),
        ("macro", 0.4354, 0.0558, 0.0536, 0.0366, 0.0280),
    ];
    for (task, a1, a2, chained, persistence, smooth) in expected {
        let one = fit_of(&file.fits, Form::Approach1, task);
        let two = fit_of(&file.fits, Form::Approach2, task);
        let three = fit_of(&file.fits, Form::Chained, task);
        let forecast = |f: &FormFit| f.forecast.clone().expect("a forecast check");
        close(forecast(one).error, a1, &format!("{task} Approach 1"));
        close(forecast(two).error, a2, &format!("{task} Approach 2"));
        close(forecast(three).error, chained, &format!("{task} chained"));
        let f2 = forecast(two);
        let p = f2.baseline(Baseline::Persistence).unwrap();
        close(p.error, persistence, &format!("{task} persistence"));
        close(
            f2.baseline(Baseline::SmoothCurve).unwrap().error,
            smooth,
            &format!("{task} smooth"),
        );
        // 7 of 35 checkpoints of each of the 22 models held out.
        assert_eq!(f2.checkpoints, 154, "{task}");
        // Describes: Approach 1 fails on the shape of k (the k-gain test), the Approach 2 forms do not.
        assert_eq!(one.trust.aspects.describes, Verdict::Unreliable, "{task}");
        assert!(
            one.trust.reasons.iter().any(|r| r.check == Check::KGain),
            "{task}"
        );
        let r = t2_fit::trust::kgain::correlation(one).unwrap();
        assert!(r > 0.95, "{task}: k-gain r {r}");
        for f in [two, three] {
            assert_eq!(f.trust.aspects.describes, Verdict::Ok, "{}", f.label());
            // Predicts: persistence does better on this split, and the verdict says so.
            assert!(
                f.trust.reasons.iter().any(|r| r.check == Check::Baseline),
                "{}",
                f.label()
            );
            assert_eq!(f.trust.aspects.predicts, Verdict::Caution, "{}", f.label());
        }
        // The chained form forecasts better than Approach 2 on every task.
        assert!(forecast(three).error < forecast(two).error, "{task}");
        // The ranking the headline uses puts both Approach 2 forms above Approach 1.
        let ranked = t2_pipeline::recommend::rank(&file.fits, Some(task));
        assert!(
            matches!(ranked.first().map(|f| f.form), Some(Form::Chained)),
            "{task}: {ranked:?}"
        );
        assert_eq!(ranked.last().map(|f| f.form), Some(Form::Approach1), "{task}");
    }
}
