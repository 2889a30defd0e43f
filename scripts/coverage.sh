#!/usr/bin/env bash
# The coverage study behind the verdict's thresholds (README, "Reading the verdicts"): sweeps simulated from
# known laws, fitted as `t2 fit t2` fits them; per form, how often the truth's N* lies inside its 95% bootstrap
# band two decades past the fitted compute, the band's median width, and how often each question is `ok`.
#
# Usage: scripts/coverage.sh [SWEEPS [RESAMPLES [NOISE [PROBLEMS]]]]     (default 40 200 0.02 500)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
cargo run -q -p t2-pipeline --example coverage -- "${1:-40}" "${2:-200}" "${3:-0.02}" "${4:-500}"
