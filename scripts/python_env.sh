#!/usr/bin/env bash
# Builds the Python package (crates/t2-py, an abi3 wheel, the workspace's dev profile) and installs it into a
# venv, creating the venv and its test requirements on first use. Prints nothing but errors and timings.
#   VENV=…      the venv [default: ~/.cache/t2-venv]
#   CARGO_TARGET_DIR is shared with cargo, so the libraries are not built twice.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-$HOME/.cache/t2-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/t2-target}"
REQUIREMENTS="maturin>=1.9,<2 polars pandas pyarrow pytest jsonschema"

start=$(date +%s)
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if [ "$(cat "$VENV/.t2-requirements" 2>/dev/null)" != "$REQUIREMENTS" ]; then
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install -q --disable-pip-version-check $REQUIREMENTS
  echo "$REQUIREMENTS" > "$VENV/.t2-requirements"
fi
wheels="$CARGO_TARGET_DIR/wheels"
rm -rf "$wheels"
"$VENV/bin/maturin" build --quiet -m crates/t2-py/Cargo.toml --out "$wheels" --interpreter "$VENV/bin/python" >&2
"$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/t2-*.whl
echo "python: t2 package built and installed into $VENV in $(( $(date +%s) - start )) s" >&2
