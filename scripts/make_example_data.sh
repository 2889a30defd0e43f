#!/usr/bin/env bash
# Regenerates the project's example sweep, data/example_sweep.csv: the paper's 106 checkpoints (12 isoFLOP levels
# 1.25e16·2^i, 5M–901M parameters, from ../shared/data/t2_paper_checkpoint_grid.csv, `origin` carried), k = 1, 2,
# 4, …, 1024, three tasks whose true Approach 1 / Approach 2 parameters are in data/example_truth.json; loss with
# 1% multiplicative noise, pass@k from 500 problems per task drawn from the Beta model; seed 0.
# Also data/example_problems.csv: per-problem sampled results (64 samples, 100 problems per task, same tasks) on a
# small generated grid (4 isoFLOP levels × 4 sizes), to exercise `t2 ingest` on sampled input.
#
# Usage: scripts/make_example_data.sh [path/to/t2_paper_checkpoint_grid.csv]
set -euo pipefail
cd "$(dirname "$0")/.."
grid="${1:-../shared/data/t2_paper_checkpoint_grid.csv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
cargo build -q -p t2
t2="$CARGO_TARGET_DIR/debug/t2"
k_grid=1,2,4,8,16,32,64,128,256,512,1024
"$t2" simulate --grid "$grid" --truth data/example_truth.json --k "$k_grid" --noise 0.01 --problems 500 \
    --seed 0 --out data/example_sweep.csv
"$t2" simulate --levels 4 --sizes 4 --truth data/example_truth.json --problems 100 --per-problem 64 \
    --seed 1 --out data/example_problems.csv
