#!/usr/bin/env bash
# The design advisor's simulation study (README, "What to train next"): sweeps simulated from known Approach 1
# laws with weak designs, the same extra compute spent on the advisor's picks, one more isoFLOP level, or random
# runs; refitted, N*'s bootstrap band at two decades past the fitted compute compared.
#
# Usage: scripts/design_study.sh [SWEEPS [RESAMPLES [NOISE [EXTRA_SHARE [MAX_RUNS]]]]]   (default 20 100 0.02 0.5 8; MAX_RUNS 0: no limit)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
cargo run -q --release -p t2-pipeline --example design_study -- "${1:-20}" "${2:-100}" "${3:-0.02}" "${4:-0.5}" "${5:-8}"
