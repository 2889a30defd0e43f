#!/usr/bin/env bash
# Regenerates every committed fit and figure from data/: fits/ and plots/ are this script's output.
#
#   1. The whole job on the example sweep (`t2 run`): Chinchilla, Approach 1 and Approach 2 fitted per task and
#      for the macro average with bootstrap bands -> fits/example_sweep.json, the plan over 1e18..1e25 FLOPs at
#      C_inf = 1.4e11 (fits/example_sweep_plan.csv/.json), and every figure in plots/ (frontier, isoflop, parity,
#      metric_vs_k, plus _<task> versions).
#   2. The extrapolation check (the paper's Fig. 4), by the same run: fit on the Porian checkpoints, predict the
#      overtrained ones -> fits/example_sweep_extrapolation.json and plots/extrapolation/.
#   3. Both fits compared side by side -> fits/comparison.md and plots/comparison.png/.svg.
#
# Usage: scripts/regenerate.sh            (BOOTSTRAP=200 SEED=0 by default)
#        BOOTSTRAP=50 scripts/regenerate.sh
#        FORMS=chinchilla,approach1 scripts/regenerate.sh   (fit only these forms)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
# With no variable set, the run is exactly README's main job (`t2 run`), so that command rewrites these files
# byte for byte.
options=()
if [[ -n "${BOOTSTRAP:-}" ]]; then options+=(--bootstrap "$BOOTSTRAP"); fi
if [[ -n "${SEED:-}" ]]; then options+=(--seed "$SEED"); fi
if [[ -n "${FORMS:-}" ]]; then options+=(--forms "$FORMS"); fi

cargo build -q -p t2
t2="$CARGO_TARGET_DIR/debug/t2"
input=data/example_sweep.csv   # t2 run's default input

rm -rf plots/extrapolation fits/example_extrapolation.json
# run writes the fits, the plan, every figure, and (the sweep has an `origin` column) the extrapolation check.
"$t2" run "${options[@]}"

"$t2" compare fits/example_sweep.json fits/example_sweep_extrapolation.json --format markdown --plot plots/comparison \
    > fits/comparison.md
# The report's first screen, for the README (needs headless Chromium).
if command -v chromium >/dev/null 2>&1; then
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --hide-scrollbars \
    --window-size=1280,900 --screenshot="$PWD/plots/report_first_screen.png" "file://$PWD/fits/REPORT.html" \
    >/dev/null 2>&1
fi
echo "regenerated fits/ and plots/ from $input (${options[*]:-the defaults: 200 resamples, seed 0})"
