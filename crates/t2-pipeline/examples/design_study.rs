//! The advisor's simulation study (see `t2_pipeline::advisor::study`): `scripts/design_study.sh [SWEEPS
//! [RESAMPLES [NOISE [EXTRA_SHARE]]]]`.

use t2_pipeline::advisor::study::{run_study, StudySpec};

fn main() {
    let arg = |i: usize, default: &str| std::env::args().nth(i).unwrap_or_else(|| default.to_string());
    let spec = StudySpec {
        sweeps: arg(1, "20").parse().expect("SWEEPS: a whole number"),
        resamples: arg(2, "100").parse().expect("RESAMPLES: a whole number"),
        noise: arg(3, "0.02").parse().expect("NOISE: a number"),
        extra_share: arg(4, "0.5").parse().expect("EXTRA_SHARE: a number"),
        seed: 0,
    };
    let started = std::time::Instant::now();
    match run_study(&spec) {
        Ok(report) => {
            print!("{}", report.table());
            println!(
                "({} resamples per fit, noise {}, new runs {}× the sweep's compute; {:.0} s)",
                spec.resamples,
                spec.noise,
                spec.extra_share,
                started.elapsed().as_secs_f64()
            );
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
