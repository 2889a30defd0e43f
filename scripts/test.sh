#!/usr/bin/env bash
# Every test of the project, as CI runs them: the Rust workspace, then the Python package (built into a venv by
# scripts/python_env.sh) against the `t2` binary of the same tree. Fails when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
VENV="${VENV:-$HOME/.cache/t2-venv}"

start=$(date +%s)
cargo test --workspace
echo "test: cargo test --workspace finished in $(( $(date +%s) - start )) s" >&2

cargo build -q -p t2
VENV="$VENV" scripts/python_env.sh
start=$(date +%s)
T2_BIN="$CARGO_TARGET_DIR/debug/t2" "$VENV/bin/python" -m pytest -q crates/t2-py/tests
echo "test: pytest finished in $(( $(date +%s) - start )) s" >&2
