#!/usr/bin/env python3
"""Random mutants of real inputs through `t2 inspect` and `t2 ingest`: no exit code but 0 (read) and 2 (bad
input), no "panicked" on stderr, no run over 10 s.

Usage: scripts/fuzz_mutants.py [COUNT] [T2_BINARY]   (default 10000, target/release/t2 or the debug build)
Seeds: the CSV and Parquet fixtures of crates/t2-ingest/tests/fixtures. Each mutant changes 1 to 4 bytes
(replace, insert, delete) or truncates the file; seeded, so a run is repeatable.
"""
import collections
import concurrent.futures
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "crates/t2-ingest/tests/fixtures")
SEEDS = ["runs_ok.csv", "sampled_ok.csv", "likelihood_ok.csv", "runs_uncompressed.parquet", "runs_uint8_k.parquet"]


def binary():
    if len(sys.argv) > 2:
        return sys.argv[2]
    for build in ("release", "debug"):
        for target in (os.environ.get("CARGO_TARGET_DIR", ""), os.path.join(ROOT, "target"),
                       os.path.expanduser("~/.cache/t2-target")):
            path = os.path.join(target, build, "t2")
            if target and os.path.exists(path):
                return path
    sys.exit("no t2 binary: build one (cargo build --release -p t2) or pass its path")


def mutant(rng, data):
    data = bytearray(data)
    if rng.random() < 0.15:
        return bytes(data[: rng.randrange(len(data) + 1)])
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        how = rng.random()
        if how < 0.5 and at < len(data):
            data[at] = rng.randrange(256)
        elif how < 0.75:
            data.insert(at, rng.randrange(256))
        elif at < len(data):
            del data[at]
    return bytes(data)


def run(job):
    t2, index, seed_name, data, workdir = job
    ext = ".parquet" if seed_name.endswith(".parquet") else ".csv"
    path = os.path.join(workdir, f"m{index}{ext}")
    with open(path, "wb") as f:
        f.write(data)
    results = []
    for args in (["inspect", path], ["ingest", path, "--out", os.path.join(workdir, f"o{index}.csv")]):
        started = time.time()
        try:
            out = subprocess.run([t2] + args, capture_output=True, timeout=10)
            code, panicked = out.returncode, b"panicked" in out.stderr
        except subprocess.TimeoutExpired:
            code, panicked = "timeout", False
        results.append((args[0], code, panicked, time.time() - started, seed_name, index))
    for name in (path, os.path.join(workdir, f"o{index}.csv")):
        if os.path.exists(name):
            os.remove(name)
    return results


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    t2 = binary()
    rng = random.Random(0)
    seeds = {name: open(os.path.join(FIXTURES, name), "rb").read() for name in SEEDS}
    codes = collections.Counter()
    bad, slowest = [], 0.0
    with tempfile.TemporaryDirectory() as workdir:
        jobs = []
        for i in range(count):
            name = rng.choice(SEEDS)
            jobs.append((t2, i, name, mutant(rng, seeds[name]), workdir))
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for results in pool.map(run, jobs):
                for command, code, panicked, seconds, seed, index in results:
                    codes[(command, code)] += 1
                    slowest = max(slowest, seconds)
                    if code not in (0, 2) or panicked or seconds > 10:
                        bad.append((command, code, panicked, round(seconds, 2), seed, index))
    print(f"{count} mutants through inspect and ingest with {t2}")
    for (command, code), n in sorted(codes.items(), key=str):
        print(f"  {command}: exit {code}: {n}")
    print(f"  slowest run: {slowest:.2f} s; runs with another exit code, 'panicked' or over 10 s: {len(bad)}")
    for b in bad[:20]:
        print("  ", b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
