//! The coverage study ([`t2_pipeline::coverage`]) from the command line:
//! `cargo run -q -p t2-pipeline --example coverage -- SWEEPS RESAMPLES NOISE PROBLEMS` (default 40 200 0.02
//! 500).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: f64| args.get(i).and_then(|a| a.parse::<f64>().ok()).unwrap_or(default);
    let spec = t2_pipeline::coverage::StudySpec {
        sweeps: number(0, 40.0) as usize,
        resamples: number(1, 200.0) as usize,
        noise: number(2, 0.02),
        problems: number(3, 500.0) as usize,
        seed: 0,
    };
    let started = std::time::Instant::now();
    match t2_pipeline::coverage::run_study(&spec) {
        Ok(report) => {
            println!(
                "{} simulated sweeps, {} resamples, {:.0}% noise on the loss, {} problems ({:.0} s):",
                spec.sweeps,
                spec.resamples,
                100.0 * spec.noise,
                spec.problems,
                started.elapsed().as_secs_f64()
            );
            print!("{}", report.table(0.95));
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
