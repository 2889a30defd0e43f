#!/usr/bin/env bash
# Ingest's thread scaling: per-problem logs of 5M and 50M rows (made by `t2 simulate --per-problem`, so the
# script needs nothing but the binary), each ingested on 1, 2, 4, … threads up to the core count; the median of
# 3 whole-process runs (wall seconds, peak MB) and the speed-up over 1 thread. Parquet copies are timed too when
# python3 with pyarrow is at hand. Timings are never asserted by tests: this script is where they are measured.
#
#   scripts/ingest_scaling.sh                    # the dev build's binary (what the README's commands run)
#   T2=./t2 ROWS="5000000" scripts/ingest_scaling.sh
#
# Rows are 100 checkpoints (--levels 10 --sizes 10) × problems × 128 samples; the logs go to $DIR (default
# /tmp/t2-scaling), made once.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${T2:-}" ]]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
  cargo build -q -p t2
  T2="$CARGO_TARGET_DIR/debug/t2"
fi
dir="${DIR:-/tmp/t2-scaling}"
mkdir -p "$dir"
cores=$(nproc)
threads=()
for t in 1 2 4 8 16 32 64; do
  if ((t <= cores)); then threads+=("$t"); fi
done

echo "binary: $T2"
echo "machine: $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8s %10s %10s %9s\n' "input" "threads" "median s" "peak MB" "speed-up"

for rows in ${ROWS:-5000000 50000000}; do
  problems=$((rows / 100))
  csv="$dir/log_${rows}.csv"
  if [[ ! -f "$csv" ]]; then
    "$T2" simulate --levels 10 --sizes 10 --k 1 --problems "$problems" --per-problem 128 --out "$csv" >/dev/null
  fi
  inputs=("$csv")
  parquet="$dir/log_${rows}.parquet"
  if [[ ! -f "$parquet" ]] && python3 -c "import pyarrow" 2>/dev/null; then
    python3 -c "import pyarrow.csv as c, pyarrow.parquet as p, sys; p.write_table(c.read_csv(sys.argv[1]), sys.argv[2], row_group_size=100000)" "$csv" "$parquet"
  fi
  if [[ -f "$parquet" ]]; then inputs+=("$parquet"); fi
  for input in "${inputs[@]}"; do
    one=""
    for t in "${threads[@]}"; do
      times=() rss=()
      for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$T2" -j "$t" ingest "$input" --out "$dir/runs.csv" >/dev/null 2>&1
        read -r s m <"$dir/time.txt"
        times+=("$s")
        rss+=("$m")
      done
      s=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
      m=$(printf '%s\n' "${rss[@]}" | sort -g | sed -n 2p)
      one="${one:-$s}"
      printf '%-34s %8d %10s %10d %8.1fx\n' "$(basename "$input")" "$t" "$s" "$((m / 1024))" \
        "$(echo "$one / $s" | bc -l)"
    done
  done
done
