#!/usr/bin/env bash
# Benchmark of the Chinchilla fit on Epoch's 240 rows (the 245 digitised Hoffmann points minus the 5
# highest losses): the 4,500-start grid fit (screened, the default; and every start solved), the fast NNLS
# path, and a 1,000-resample bootstrap. Times are the wall-clock phases `t2 fit chinchilla` reports on stderr
# (ingest and JSON writing excluded). Dev profile: t2-fit, t2-core, argmin, nalgebra and rayon are built at
# opt-level 3 there (see Cargo.toml); never --release.
#
# Usage: scripts/bench_fit.sh [DATA_CSV] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/t2-target}"
data="${1:-../shared/data/chinchilla_epoch_svg.csv}"
repeats="${2:-3}"
cargo build -q -p t2
t2="$CARGO_TARGET_DIR/debug/t2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(each line: the phase's wall time as t2 reports it; 'cpu' is the whole process's user CPU time)"
fit() {
    /usr/bin/time -f "cpu %U s (whole run)" "$t2" fit chinchilla "$data" --col params='Model Size' --col train_flops='Training FLOP' \
        --drop-highest-loss 5 --seed 0 --out "$out/fit.json" "$@" 2>&1 >/dev/null
}
for mode in "--starts grid" "--starts grid --no-screen" "--starts fast"; do
    for _ in $(seq "$repeats"); do
        # shellcheck disable=SC2086
        fit $mode --bootstrap 0 | grep -E '^(fit:|cpu)' | paste -sd' ' | sed "s/^/[$mode] /"
    done
done
for _ in $(seq "$repeats"); do
    fit --starts grid --bootstrap 1000 | grep -E '^(fit:|bootstrap:|cpu)' | paste -sd' ' | sed 's/^/[grid + bootstrap 1000] /'
done
