#!/usr/bin/env bash
# The whole job on a real T²-shaped sweep: Gemstones (McLeish et al. 2025; ../shared/data, see its README),
# 22 models x 35 checkpoints, per-question answer likelihoods on ARC-Challenge and PIQA, with each checkpoint's
# pretraining loss joined for the chained form. Default settings: every form, the forecast check on the most
# overtrained 20% of each size's checkpoints, 200 bootstrap resamples.
#
# Writes fits/gemstones/ (fit, plan, REPORT.html) and plots/gemstones/; prints the summary and the headline.
#
# Usage: scripts/gemstones.sh              (BOOTSTRAP=200 by default)
#        BOOTSTRAP=0 scripts/gemstones.sh  (no bands: fits and forecasts only, seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
shared=../shared/data
if [ ! -f "$shared/gemstones_arcc_piqa.parquet" ]; then
  echo "error: $shared/gemstones_arcc_piqa.parquet is missing: put the shared folder beside the project" >&2
  exit 2
fi
cargo build -q -p t2
"$CARGO_TARGET_DIR/debug/t2" run "$shared/gemstones_arcc_piqa.parquet" \
    --pretrain-loss "$shared/gemstones_pretrain_loss.csv" \
    --bootstrap "${BOOTSTRAP:-200}" --fits-dir fits/gemstones --plots-dir plots/gemstones
