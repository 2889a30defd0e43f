#!/usr/bin/env bash
# Speed benchmark: every row of issue 10's table, each the median of 3 whole-process runs (wall seconds, peak
# RSS), with the machine's core count and load. Timings are never asserted by tests; this script is where they
# are measured.
#
#   scripts/bench.sh                 # the binary of the dev build (what the README's commands run)
#   T2=target/release/t2 scripts/bench.sh
#
# The 5,000,000-row per-problem log (400 checkpoints x 12,500 problems, 128 samples) is made once by
# scripts/make_problem_log.py into $BENCH_DIR (default /tmp/t2-bench); it needs Python with numpy and pyarrow
# (PYTHON=... to choose the interpreter).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
if [[ -z "${T2:-}" ]]; then
  cargo build -q -p t2
  T2="$CARGO_TARGET_DIR/debug/t2"
fi
python="${PYTHON:-python3}"
dir="${BENCH_DIR:-/tmp/t2-bench}"
mkdir -p "$dir"
epoch=../shared/data/chinchilla_epoch_svg.csv
log="$dir/problems_5m.parquet"
if [[ ! -f "$log" ]]; then
  "$python" scripts/make_problem_log.py "$log"
fi

echo "binary: $T2"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-64s %10s %10s\n' "what" "median s" "peak MB"

# Median wall time and peak RSS of 3 runs of the command.
measure() {
  local name="$1"
  shift
  local times=() rss=()
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>&1
    read -r t m <"$dir/time.txt"
    times+=("$t")
    rss+=("$m")
  done
  local t m
  t=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
  m=$(printf '%s\n' "${rss[@]}" | sort -g | sed -n 2p)
  printf '%-64s %10s %10d\n' "$name" "$t" "$((m / 1024))"
}

chinchilla=("$T2" fit chinchilla "$epoch" --col "params=Model Size" --col "train_flops=Training FLOP"
  --drop-highest-loss 5 --out "$dir/epoch.json")
measure "fit chinchilla, Epoch 240 rows, --bootstrap 0 (default starts)" "${chinchilla[@]}" --bootstrap 0
measure "fit chinchilla, Epoch, --bootstrap 0 --starts grid" "${chinchilla[@]}" --bootstrap 0 --starts grid
measure "fit chinchilla, Epoch, --bootstrap 1000" "${chinchilla[@]}" --bootstrap 1000
measure "fit t2 data/example_sweep.csv --bootstrap 1000 (3 forms x 4 units)" \
  "$T2" fit t2 data/example_sweep.csv --bootstrap 1000 --out "$dir/sweep.json"
measure "run (the README's main job, 200 resamples)" \
  "$T2" run data/example_sweep.csv --fits-dir "$dir/fits" --plots-dir "$dir/plots"
measure "ingest of the 5,000,000-row per-problem Parquet" "$T2" ingest "$log" --out "$dir/runs.csv"

# Plans (issue 22): 3 forms of the macro task x 33 budgets, each with the bands of the fit's 200 bootstrap draws.
plan=("$T2" plan fits/example_sweep.json --task macro)
measure "plan, 3 forms x 33 budgets: per query (the paper's)" "${plan[@]}"
measure "plan, 3 forms x 33 budgets: with --unique-tokens 1e12" "${plan[@]}" --unique-tokens 1e12
measure "plan, 3 forms x 33 budgets: lifetime (--queries 1e9)" "${plan[@]}" --queries 1e9 --total-flops 1e20..1e26
measure "plan, 3 forms x 33 budgets: lifetime with P, T and U" "${plan[@]}" --queries 1e9 \
  --total-flops 1e20..1e26 --tokens-per-sample 200 --prompt-tokens 500 --unique-tokens 1e12
measure "plan, 9 target rows (3 losses x 2 forms, 3 pass@k) per query" "${plan[@]}" \
  --target-loss 1.0,0.8,0.6 --target-pass-at-k 0.9,0.95,0.99
measure "plan, the same 9 target rows over a lifetime (--queries 1e9)" "${plan[@]}" --queries 1e9 \
  --target-loss 1.0,0.8,0.6 --target-pass-at-k 0.9,0.95,0.99
measure "plan, a trained model (--params 1e8 --tokens 2e10): 12 k" "${plan[@]}" --params 1e8 --tokens 2e10
