"""Regenerates the shipped figures (plots/*.png, *.svg and plots/extrapolation/) through the Python package, as
`t2 run` draws them: the example sweep fitted with 200 bootstrap resamples (seed 0), then the extrapolation
check (fit the Porian checkpoints, predict the overtrained ones). Same data, same seed: the same bytes.

    python examples/regenerate_figures.py            # into plots/
    python examples/regenerate_figures.py /tmp/figs  # elsewhere
"""

import sys
from pathlib import Path

import t2

ROOT = Path(__file__).resolve().parents[1]


def main(out_dir: Path) -> None:
    sweep = t2.read(ROOT / "data" / "example_sweep.csv")
    fit = t2.fit(sweep, bootstrap=200, seed=0)
    print(fit)
    written = fit.plot(out_dir)
    extrapolation = t2.fit(sweep, holdout_where='origin == "overtrained"', bootstrap=0, seed=0)
    written += extrapolation.plot(out_dir / "extrapolation")
    print(extrapolation.verdicts().select("form", "task", "verdict", "heldout_relative_error"))
    print(f"wrote {len(written)} files under {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "plots")
