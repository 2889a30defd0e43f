#!/usr/bin/env python3
"""Hostile inputs through the `t2` binary, four kinds, seeded so a run is repeatable:

- byte mutants of real inputs through `t2 inspect` and `t2 ingest` (the CSV and Parquet fixtures of
  crates/t2-ingest/tests/fixtures, 1 to 4 bytes replaced, inserted or deleted, or the file truncated);
- hostile names: a run table whose task names are paths (`../x`, `a/b`), escape sequences, quotes, commas and
  formulas, through inspect, fit, plan --out CSV and compare (CSV and Markdown);
- crafted fit files: a real fit file with a value replaced (NaN, infinities, huge or negative numbers, strings,
  nulls, sidecar names that are paths), through plan, plot and report;
- kill points: `t2 fit` rewriting a fit file, killed with SIGKILL at a random moment; the fit must then read
  (the old one or the new one) and the next write must leave no temporary file.

Checks: exit codes 0, 1 or 2 only (no abort, no signal), no "panicked", no run over 10 s, nothing written
outside the work folder, no raw control character (ESC, BEL, CR) on stdout or stderr, every CSV parses with one
width.

Usage: scripts/fuzz_mutants.py [COUNT] [T2_BINARY]   (default 10000 in all, split 70/15/10/5 over the kinds)
"""
import collections
import concurrent.futures
import csv
import io
import json
import os
import random
import signal
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


HOSTILE_PARTS = ["../", "/", "..", ".", "\x1b[2J", "\x1b]8;;http://x\x07", "\r", "\x07", "\x9b31m", "\u202e", '"',
                 "'", ",", "|", "<img src=x>", "![i](http://x)", "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\t",
                 "a", "task", "naïve", "日本", " ", "\\", "%s", "{}", "NUL"]
CONTROL = [b"\x1b", b"\x07", b"\r", "\u202e".encode()]


def hostile_name(rng):
    return "".join(rng.choice(HOSTILE_PARTS) for _ in range(rng.randint(1, 4))).replace("NUL", "")


def quoted(cell):
    return '"' + cell.replace('"', '""') + '"'


def small_sweep(rng):
    """A run table of 3 k values on 25 checkpoints, for two tasks with hostile names."""
    lines = ["params,tokens,k,loss,pass_at_k,task"]
    names = [hostile_name(rng), hostile_name(rng)]
    while names[0] == names[1]:
        names[1] = hostile_name(rng)
    for name in names:
        for i in range(5):
            for j in range(5):
                n, d = 1e7 * 2 ** i, 2e8 * 3 ** j
                for k in (1, 4, 16):
                    loss = 0.3 + 60 / n ** 0.3 + 400 / d ** 0.3 + 1.5 / k ** 0.4
                    lines.append(f"{n},{d},{k},{loss},{min(0.99, 2.7 ** -loss)},{quoted(name)}")
    return "\n".join(lines) + "\n"


def check(out, command, index, kind, bad, codes, allowed=(0, 2)):
    codes[(kind, command, out.returncode)] += 1
    raw = out.stdout + out.stderr
    if out.returncode not in allowed or b"panicked" in raw:
        bad.append((kind, command, out.returncode, index, raw[-300:]))
    elif any(c in raw for c in CONTROL):
        bad.append((kind, command, "raw control character", index, raw[-300:]))


def written_outside(base, workdir):
    """Files under `base` that are not under `workdir` (six folders below it: a name's ../ lands in between)."""
    return [os.path.join(d, f) for d, _, files in os.walk(base) for f in files
            if not os.path.join(d, f).startswith(workdir + os.sep)]


def run_hostile(job):
    t2, index, text, root = job
    base = os.path.join(root, f"w{index}")
    workdir = os.path.join(base, "1", "2", "3", "4", "5", "6")
    os.makedirs(workdir)
    bad, codes = [], collections.Counter()
    data = os.path.join(workdir, "sweep.csv")
    with open(data, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    fit = os.path.join(workdir, "fit.json")
    steps = [
        ["inspect", data],
        ["fit", "t2", data, "--forms", "chinchilla,approach1", "--bootstrap", "0", "--out", fit],
        ["plan", fit, "--out", os.path.join(workdir, "plan.csv"), "--train-flops", "1e21,1e23"],
        ["plot", fit, "--out-dir", os.path.join(workdir, "plots"), "--only", "parity"],
        ["compare", fit, fit, "--format", "csv", "--plot", os.path.join(workdir, "cmp")],
        ["compare", fit, fit, "--format", "markdown", "--plot", os.path.join(workdir, "cmp")],
    ]
    for args in steps:
        try:
            out = subprocess.run([t2] + args, capture_output=True, timeout=10, cwd=workdir)
        except subprocess.TimeoutExpired:
            bad.append(("names", args[0], "timeout", index, b""))
            break
        check(out, args[0], index, "names", bad, codes)
        if args[0] == "compare" and args[3] == "csv" and out.returncode == 0:
            widths = {len(r) for r in csv.reader(io.StringIO(out.stdout.decode("utf-8", "replace")))}
            if len(widths) > 1:
                bad.append(("names", "compare csv", f"widths {widths}", index, b""))
        if out.returncode != 0:
            break
    for path in written_outside(base, workdir):
        bad.append(("names", "outside", path, index, b""))
    plan = os.path.join(workdir, "plan.csv")
    if os.path.exists(plan):
        with open(plan, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("task", "")[:1] in ("=", "+", "-", "@"):
                    bad.append(("names", "plan csv", "formula cell", index, row["task"].encode()))
    return bad, codes


def crafted(rng, base):
    """A copy of the fit file `base` (parsed JSON) with one value replaced."""
    doc = json.loads(json.dumps(base))
    fit = rng.choice(doc["fits"])
    choice = rng.random()
    value = rng.choice(["NaN", "inf", "-inf", 1e308, -1.0, 0, None, "x", [], {}, 2 ** 64])
    if choice < 0.3:
        fit["params"][rng.choice([k for k in fit["params"] if k != "form"])] = value
    elif choice < 0.5:
        est = rng.choice(fit["estimates"])
        est[rng.choice(["value", "lo", "hi", "se", "factor"])] = value
    elif choice < 0.65:
        doc["sidecars"][rng.choice(["draws", "predictions"])] = rng.choice(
            ["/etc/passwd", "../x.parquet", "/dev/zero", "a/b.parquet", "", ".", "fit.draws..parquet"])
    elif choice < 0.8:
        fit["trust"] = {"verdict": "ok", "reasons": []}
        fit["params"][rng.choice([k for k in fit["params"] if k != "form"])] = "NaN"
    else:
        key = rng.choice(["fits", "request", "input", "version", "sidecars", "format"])
        doc[key] = value
    return doc


def run_crafted(job):
    t2, index, doc, root, sidecars = job
    workdir = os.path.join(root, f"c{index}")
    os.makedirs(workdir)
    bad, codes = [], collections.Counter()
    for name, data in sidecars.items():
        with open(os.path.join(workdir, name), "wb") as f:
            f.write(data)
    fit = os.path.join(workdir, "fit.json")
    with open(fit, "w") as f:
        json.dump(doc, f)
    for args in (["plan", fit, "--format", "json"], ["plot", fit, "--out-dir", os.path.join(workdir, "p"),
                                                     "--only", "frontier"],
                 ["report", fit, "--out", os.path.join(workdir, "r.html")]):
        try:
            out = subprocess.run([t2] + args, capture_output=True, timeout=10, cwd=workdir)
        except subprocess.TimeoutExpired:
            bad.append(("crafted", args[0], "timeout", index, b""))
            continue
        check(out, args[0], index, "crafted", bad, codes, allowed=(0, 1, 2))
        if args[0] == "plan" and out.returncode == 0:
            nan_params = any(v in ("NaN", "inf", "-inf") for f in doc.get("fits", []) if isinstance(f, dict)
                             for v in (f.get("params") or {}).values() if isinstance(f.get("params"), dict))
            if nan_params:
                for plan in json.loads(out.stdout):
                    for row in plan["rows"]:
                        if row["trust"]["verdict"] == "ok" and any(
                                isinstance(v, str) and v in ("NaN", "inf", "-inf")
                                for f in doc["fits"] if f["form"] == plan["form"] and f["task"] == plan["task"]
                                for v in f["params"].values()):
                            bad.append(("crafted", "plan", "ok row from non-finite parameters", index, b""))
    return bad, codes


def run_kill(job):
    t2, index, data, root, delay = job
    workdir = os.path.join(root, f"k{index}")
    os.makedirs(workdir)
    bad, codes = [], collections.Counter()
    fit = os.path.join(workdir, "fit.json")
    # About 0.4 s of work (dev build, 2 cores): the kill lands in the fit, in the sidecars or in the renames.
    args = ["fit", "t2", data, "--forms", "approach1,approach2", "--bootstrap", "300", "--out", fit]
    first = subprocess.run([t2] + args + ["--seed", "1"], capture_output=True, timeout=60)
    codes[("kill", "first write", first.returncode)] += 1
    proc = subprocess.Popen([t2] + args + ["--seed", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    out = subprocess.run([t2, "plan", fit, "--train-flops", "1e21"], capture_output=True, timeout=10)
    codes[("kill", "read after kill", out.returncode)] += 1
    if out.returncode != 0:
        bad.append(("kill", "read after kill", out.returncode, index, out.stderr[-300:]))
    again = subprocess.run([t2] + args + ["--seed", "3"], capture_output=True, timeout=60)
    left = [f for f in os.listdir(workdir) if f.endswith(".tmp")]
    if again.returncode != 0 or left:
        bad.append(("kill", "next write", again.returncode, index, " ".join(left).encode()))
    return bad, codes


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    t2 = binary()
    rng = random.Random(0)
    seeds = {name: open(os.path.join(FIXTURES, name), "rb").read() for name in SEEDS}
    codes = collections.Counter()
    bad, slowest = [], 0.0
    counts = {"mutants": count * 70 // 100, "names": count * 15 // 100, "crafted": count * 10 // 100}
    counts["kills"] = count - sum(counts.values())
    workers = os.cpu_count() or 2
    with tempfile.TemporaryDirectory() as root:
        workdir = os.path.join(root, "mutants")
        os.makedirs(workdir)
        jobs = []
        for i in range(counts["mutants"]):
            name = rng.choice(SEEDS)
            jobs.append((t2, i, name, mutant(rng, seeds[name]), workdir))
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            for results in pool.map(run, jobs):
                for command, code, panicked, seconds, seed, index in results:
                    codes[("mutants", command, code)] += 1
                    slowest = max(slowest, seconds)
                    if code not in (0, 2) or panicked or seconds > 10:
                        bad.append(("mutants", command, code, index, seed))
        names = [(t2, i, small_sweep(rng), root) for i in range(counts["names"])]
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            for found, seen in pool.map(run_hostile, names):
                bad.extend(found)
                codes.update(seen)
        # A real fit file (and its sidecars) to craft from.
        base_dir = os.path.join(root, "base")
        os.makedirs(base_dir)
        base_data = os.path.join(base_dir, "sweep.csv")
        with open(base_data, "w") as f:
            f.write(small_sweep(random.Random(1)))
        base_fit = os.path.join(base_dir, "fit.json")
        made = subprocess.run([t2, "fit", "t2", base_data, "--bootstrap", "10", "--out", base_fit],
                              capture_output=True)
        if made.returncode != 0:
            sys.exit(f"cannot make the base fit: {made.stderr.decode()}")
        base = json.load(open(base_fit))
        sidecars = {f: open(os.path.join(base_dir, f), "rb").read() for f in os.listdir(base_dir)
                    if f.endswith(".parquet")}
        crafted_jobs = [(t2, i, crafted(rng, base), root, sidecars) for i in range(counts["crafted"])]
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            for found, seen in pool.map(run_crafted, crafted_jobs):
                bad.extend(found)
                codes.update(seen)
        kills = [(t2, i, base_data, root, rng.uniform(0.0, 0.5)) for i in range(counts["kills"])]
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            for found, seen in pool.map(run_kill, kills):
                bad.extend(found)
                codes.update(seen)
    print(f"{count} hostile inputs with {t2}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    for (kind, command, code), n in sorted(codes.items(), key=str):
        print(f"  {kind} {command}: exit {code}: {n}")
    print(f"  slowest mutant run: {slowest:.2f} s; failures: {len(bad)}")
    for b in bad[:20]:
        print("  ", b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
