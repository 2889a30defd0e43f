#!/usr/bin/env python3
"""Writes a synthetic per-problem sampled log for the ingest benchmark: CHECKPOINTS checkpoints (a grid of model
sizes x token counts), PROBLEMS problems each, `samples` generations per problem (128 by default) of which
`correct` were right, drawn from a per-problem difficulty that improves with N and D.

    scripts/make_problem_log.py OUT.parquet [--checkpoints 400] [--problems 12500] [--samples 128] [--seed 0]
"""
import argparse

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--checkpoints", type=int, default=400)
    ap.add_argument("--problems", type=int, default=12500)
    ap.add_argument("--samples", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    side = int(np.ceil(np.sqrt(args.checkpoints)))
    sizes = np.geomspace(1e7, 1e10, side)
    tokens = np.geomspace(1e9, 1e12, side)
    difficulty = rng.normal(0.0, 1.5, args.problems)
    problem_ids = np.array([f"q{j:06d}" for j in range(args.problems)])
    writer = None
    for c in range(args.checkpoints):
        n, d = sizes[c // side], tokens[c % side]
        skill = 0.35 * np.log(n / 1e7) + 0.25 * np.log(d / 1e9) - 3.0
        p = 1.0 / (1.0 + np.exp(-(skill - difficulty)))
        correct = rng.binomial(args.samples, p)
        batch = pa.table(
            {
                "params": np.full(args.problems, n),
                "tokens": np.full(args.problems, d),
                "problem": problem_ids,
                "samples": np.full(args.problems, args.samples, dtype=np.int64),
                "correct": correct.astype(np.int64),
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(args.out, batch.schema)
        writer.write_table(batch)
    writer.close()


if __name__ == "__main__":
    main()
