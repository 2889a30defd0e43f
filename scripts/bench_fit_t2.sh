#!/usr/bin/env bash
# Benchmark of `t2 fit t2` on the example sweep (data/example_sweep.csv: 106 checkpoints × 3 tasks × 11 k values,
# fitted per task and for the macro average: 4 fit units × 3 forms): the point fits alone, each form with 1,000
# bootstrap resamples on its own, and the whole command with 1,000 resamples per form (12,000 refits). Each line
# gives the fit phase's wall time as t2 reports it, the whole process's wall time and its user CPU time.
# Dev profile (t2-fit, t2-core, argmin, nalgebra and rayon are optimised there, see Cargo.toml); never --release.
#
# Usage: scripts/bench_fit_t2.sh [SWEEP_CSV] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/t2-target}"
data="${1:-data/example_sweep.csv}"
repeats="${2:-1}"
cargo build -q -p t2
t2="$CARGO_TARGET_DIR/debug/t2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
fit() {
    /usr/bin/time -f "wall %e s, cpu %U s (whole run)" "$t2" fit t2 "$data" --seed 0 --out "$out/fit.json" "$@" \
        2>&1 >/dev/null | grep -E '^(fit:|wall)' | paste -sd' '
}
for _ in $(seq "$repeats"); do
    echo "[point fits, no bootstrap] $(fit --bootstrap 0)"
    for form in chinchilla approach1 approach2; do
        echo "[$form, 1000 resamples] $(fit --forms "$form" --bootstrap 1000)"
    done
    echo "[all forms, 1000 resamples] $(fit --bootstrap 1000)"
done
