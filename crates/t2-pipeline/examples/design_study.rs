//! The advisor's simulation study (see `t2_pipeline::advisor::study`): `scripts/design_study.sh [SWEEPS
//! [RESAMPLES [NOISE [EXTRA_SHARE [MAX_RUNS]]]]]`.

use t2_pipeline::advisor::study::{run_study, StudySpec};

fn main() {
    let arg = |i: usize, default: &str| std::env::args().nth(i).unwrap_or_else(|| default.to_string());
    let spec = StudySpec {
        sweeps: arg(1, "20").parse().expect("SWEEPS: a whole number"),
        resamples: arg(2, "100").parse().expect("RESAMPLES: a whole number"),
        noise: arg(3, "0.02").parse().expect("NOISE: a number"),
        extra_share: arg(4, "0.5").parse().expect("EXTRA_SHARE: a number"),
        // 0: no limit on the number of new runs.
        max_runs: Some(arg(5, "8").parse::<usize>().expect("MAX_RUNS: a whole number")).filter(|&m| m > 0),
        seed: 0,
    };
    let started = std::time::Instant::now();
    match run_study(&spec) {
        Ok(report) => {
            print!("{}", report.table());
            println!(
                "({} resamples per fit, noise {}, new runs {}× the sweep's compute in {} runs; {:.0} s)",
                spec.resamples,
                spec.noise,
                spec.extra_share,
                spec.max_runs
                    .map_or("any number of".to_string(), |m| format!("at most {m}")),
                started.elapsed().as_secs_f64()
            );
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
