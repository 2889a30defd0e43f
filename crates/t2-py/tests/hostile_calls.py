"""Calls the Python API with bad values for every argument, one per line of CASES, in one interpreter, and prints a
JSON line per call: its label and what it raised ("ok" when it returned). Run by test_t2.py in a subprocess, so a
call that killed the interpreter is seen (the last label printed is the culprit).

    python hostile_calls.py EXAMPLE_SWEEP WORK_DIR
"""

import json
import math
import sys
from pathlib import Path

import t2

EXAMPLE, WORK = Path(sys.argv[1]), Path(sys.argv[2])
NAN, INF, HUGE = math.nan, math.inf, 2**70
FAST = dict(bootstrap=0, forms=["chinchilla"])
CHIN = dict(bootstrap=0)
fit = t2.fit(EXAMPLE, bootstrap=0)
(WORK / "garbage.json").write_text("{ not json")
crafted = fit.to_dict()
crafted["fits"][0]["params"]["e"] = "NaN"
(WORK / "nan.json").write_text(json.dumps(crafted))
(WORK / "dir").mkdir(exist_ok=True)



def distrusted(result):
    """A fit read with a NaN parameter must be called unreliable, and so must its plan."""
    verdicts = result.verdicts()
    verdict = verdicts["verdict"][0]
    plan = result.plan(1e21, forms="chinchilla", task=verdicts["task"][0])
    if verdict != "unreliable" or "ok" in plan["verdict"].to_list():
        raise AssertionError(f"a NaN parameter passed as {verdict}")


CASES = {
    # read
    "read columns int": lambda: t2.read(EXAMPLE, columns={"params": 5}),
    "read columns str": lambda: t2.read(EXAMPLE, columns="params"),
    "read columns int key": lambda: t2.read(EXAMPLE, columns={1: "params"}),
    "read kind bogus": lambda: t2.read(EXAMPLE, kind="bogus"),
    "read kind int": lambda: t2.read(EXAMPLE, kind=5),
    "read k text": lambda: t2.read(EXAMPLE, k=["a"]),
    "read k negative": lambda: t2.read(EXAMPLE, k=[-1]),
    "read k nan": lambda: t2.read(EXAMPLE, k=[NAN]),
    "read k scalar": lambda: t2.read(EXAMPLE, k=5),
    "read format xls": lambda: t2.read(EXAMPLE, format="xls"),
    "read format int": lambda: t2.read(EXAMPLE, format=3),
    "read name int": lambda: t2.fit(t2.read(EXAMPLE).table(), name=5),
    "read pretrain int": lambda: t2.read(EXAMPLE, pretrain_loss=5),
    "read pretrain missing": lambda: t2.read(EXAMPLE, pretrain_loss=WORK / "missing.csv"),
    "read pretrain dir": lambda: t2.read(EXAMPLE, pretrain_loss=WORK / "dir"),
    "read drop text": lambda: t2.read(EXAMPLE, drop_unestimable="yes"),
    "fit unknown read option": lambda: t2.fit(EXAMPLE, **FAST, colums={}),
    "read directory": lambda: t2.read(WORK / "dir"),
    "read fit file": lambda: t2.read(WORK / "garbage.json"),
    # fit
    "fit forms bogus": lambda: t2.fit(EXAMPLE, bootstrap=0, forms="bogus"),
    "fit forms ints": lambda: t2.fit(EXAMPLE, bootstrap=0, forms=[1]),
    "fit forms int": lambda: t2.fit(EXAMPLE, bootstrap=0, forms=5),
    "fit forms empty": lambda: t2.fit(EXAMPLE, bootstrap=0, forms=[]),
    "fit task int": lambda: t2.fit(EXAMPLE, **FAST, task=5),
    "fit task unknown": lambda: t2.fit(EXAMPLE, **FAST, task="nope"),
    "fit where unbalanced": lambda: t2.fit(EXAMPLE, **FAST, where="(("),
    "fit where int": lambda: t2.fit(EXAMPLE, **FAST, where=5),
    "fit where deep": lambda: t2.fit(EXAMPLE, **FAST, where="(" * 20000 + "k == 1" + ")" * 20000),
    "fit where unknown column": lambda: t2.fit(EXAMPLE, **FAST, where="nope == 1"),
    "fit where nothing left": lambda: t2.fit(EXAMPLE, **FAST, where="k > 1e9"),
    "fit exclude incomplete": lambda: t2.fit(EXAMPLE, **FAST, exclude_where="x >"),
    "fit drop negative": lambda: t2.fit(EXAMPLE, **FAST, drop_highest_loss=-1),
    "fit drop huge": lambda: t2.fit(EXAMPLE, **FAST, drop_highest_loss=HUGE),
    "fit drop all": lambda: t2.fit(EXAMPLE, **FAST, drop_highest_loss=10**9),
    "fit drop text": lambda: t2.fit(EXAMPLE, **FAST, drop_highest_loss="3"),
    "fit train_where bad": lambda: t2.fit(EXAMPLE, **FAST, train_where="bad("),
    "fit holdout_where alone": lambda: t2.fit(EXAMPLE, **FAST, holdout_where="k == 1"),
    "fit holdout share above 1": lambda: t2.fit(EXAMPLE, **FAST, holdout_share=1.5),
    "fit holdout share negative": lambda: t2.fit(EXAMPLE, **FAST, holdout_share=-0.1),
    "fit holdout share nan": lambda: t2.fit(EXAMPLE, **FAST, holdout_share=NAN),
    "fit holdout share text": lambda: t2.fit(EXAMPLE, **FAST, holdout_share="0.2"),
    "fit cluster unknown": lambda: t2.fit(EXAMPLE, **FAST, cluster="nosuch"),
    "fit cluster int": lambda: t2.fit(EXAMPLE, **FAST, cluster=3),
    "fit bootstrap negative": lambda: t2.fit(EXAMPLE, forms=["chinchilla"], bootstrap=-1),
    "fit bootstrap 2^40": lambda: t2.fit(EXAMPLE, forms=["chinchilla"], bootstrap=2**40),
    "fit bootstrap 2^70": lambda: t2.fit(EXAMPLE, forms=["chinchilla"], bootstrap=HUGE),
    "fit bootstrap text": lambda: t2.fit(EXAMPLE, forms=["chinchilla"], bootstrap="x"),
    "fit bootstrap float": lambda: t2.fit(EXAMPLE, forms=["chinchilla"], bootstrap=1.5),
    "fit seed negative": lambda: t2.fit(EXAMPLE, **FAST, seed=-1),
    "fit seed huge": lambda: t2.fit(EXAMPLE, **FAST, seed=HUGE),
    "fit seed text": lambda: t2.fit(EXAMPLE, **FAST, seed="x"),
    "fit level above 1": lambda: t2.fit(EXAMPLE, **FAST, level=1.5),
    "fit level 0": lambda: t2.fit(EXAMPLE, **FAST, level=0),
    "fit level nan": lambda: t2.fit(EXAMPLE, **FAST, level=NAN),
    "fit level text": lambda: t2.fit(EXAMPLE, **FAST, level="x"),
    "fit starts random:x": lambda: t2.fit(EXAMPLE, bootstrap=0, forms=["approach1"], starts="random:x"),
    "fit starts random:0": lambda: t2.fit(EXAMPLE, bootstrap=0, forms=["approach1"], starts="random:0"),
    "fit starts negative": lambda: t2.fit(EXAMPLE, bootstrap=0, forms=["approach1"], starts=-3),
    "fit starts huge": lambda: t2.fit(EXAMPLE, bootstrap=0, forms=["approach1"], starts=HUGE),
    "fit starts None": lambda: t2.fit(EXAMPLE, bootstrap=0, forms=["approach1"], starts=None),
    "fit objective bogus": lambda: t2.fit(EXAMPLE, bootstrap=0, approach1_objective="bogus"),
    "fit huber negative": lambda: t2.fit(EXAMPLE, bootstrap=0, huber_delta=-1),
    "fit huber inf": lambda: t2.fit(EXAMPLE, bootstrap=0, huber_delta=INF),
    "fit huber text": lambda: t2.fit(EXAMPLE, bootstrap=0, huber_delta="x"),
    "fit source int": lambda: t2.fit(5),
    # fit_chinchilla
    "chinchilla loss bogus": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, loss="x"),
    "chinchilla delta 0": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, delta=0),
    "chinchilla pin unknown": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, pin={"Q": 1}),
    "chinchilla pin text": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, pin={"E": "x"}),
    "chinchilla pin nan": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, pin={"E": NAN}),
    "chinchilla pin int": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, pin=5),
    "chinchilla bound reversed": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, bound={"alpha": (2, 1)}),
    "chinchilla bound scalar": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, bound={"alpha": 5}),
    "chinchilla bound text": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, bound={"alpha": ("a", None)}),
    "chinchilla bound unknown": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, bound={"zz": (0, 1)}),
    "chinchilla bound nan": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, bound={"alpha": (NAN, 1)}),
    "chinchilla starts grid:3": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, starts="grid:3"),
    "chinchilla budgets negative": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, budgets=[-1]),
    "chinchilla budgets text": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, budgets=["x"]),
    "chinchilla budgets scalar": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, budgets=5),
    "chinchilla budgets nan": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, budgets=[NAN]),
    "chinchilla cluster unknown": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, cluster="zz"),
    "chinchilla keep_draws text": lambda: t2.fit_chinchilla(EXAMPLE, **CHIN, keep_draws="x"),
    # plan
    "plan budgets text": lambda: fit.plan("x"),
    "plan budgets negative": lambda: fit.plan(-1),
    "plan budgets empty": lambda: fit.plan([]),
    "plan budgets list of text": lambda: fit.plan(["x"]),
    "plan budgets nan": lambda: fit.plan(NAN),
    "plan budgets reversed": lambda: fit.plan("1e25..1e17"),
    "plan budgets dict": lambda: fit.plan({"a": 1}),
    "plan budgets None": lambda: fit.plan(None),
    "plan inference negative": lambda: fit.plan(1e21, -1),
    "plan inference text": lambda: fit.plan(1e21, "x"),
    "plan inference inf": lambda: fit.plan(1e21, INF),
    "plan points 0": lambda: fit.plan(points=0),
    "plan points negative": lambda: fit.plan(points=-1),
    "plan points 2^40": lambda: fit.plan(points=2**40),
    "plan points text": lambda: fit.plan(points="x"),
    "plan forms bogus": lambda: fit.plan(1e21, forms="bogus"),
    "plan task unknown": lambda: fit.plan(1e21, task="nope"),
    "plan task int": lambda: fit.plan(1e21, task=5),
    "plan_text full text": lambda: fit.plan_text(1e21, full="x"),
    "plan queries text": lambda: fit.plan(queries="x", total_flops=1e24),
    "plan queries nan": lambda: fit.plan(queries=NAN, total_flops=1e24),
    "plan total without queries": lambda: fit.plan(total_flops=1e24),
    "plan total negative": lambda: fit.plan(queries=1e9, total_flops=-1),
    "plan total too small": lambda: fit.plan(queries=1e9, total_flops=7),
    "plan prompt inf": lambda: fit.plan(prompt_tokens=INF),
    "plan tokens per sample 0": lambda: fit.plan(tokens_per_sample=0),
    "plan unique tokens text": lambda: fit.plan(unique_tokens="x"),
    "plan unique tokens nan": lambda: fit.plan(unique_tokens=NAN),
    "plan horizon negative": lambda: fit.plan(unique_tokens=1e12, repetition_horizon=-1),
    "plan target loss list of text": lambda: fit.plan(target_loss=["x"]),
    "plan target pass 0": lambda: fit.plan(target_pass_at_k=0),
    "plan target pass dict": lambda: fit.plan(target_pass_at_k={"a": 1}),
    "plan params 0": lambda: fit.plan(params=0),
    "plan params 2^70": lambda: fit.plan(params=2**70, tokens=2**70, queries=1e9, total_flops=1e21),
    "plan tokens alone": lambda: fit.plan(tokens=1e9),
    "plan model unaffordable": lambda: fit.plan(params=1e9, tokens=1e12, queries=1e9, total_flops=1e20),
    "plan unknown keyword": lambda: fit.plan(querys=1),
    "design budget text": lambda: fit.design("x"),
    "design budget nan": lambda: fit.design(NAN),
    "design budget negative": lambda: fit.design(-1),
    "design quantity bogus": lambda: fit.design(1e20, quantity="bogus"),
    "design max runs negative": lambda: fit.design(1e20, max_runs=-1),
    "design max runs 2^70": lambda: fit.design(1e20, max_runs=2**70),
    "design max run flops 0": lambda: fit.design(1e20, max_run_flops=0),
    "design target tiny": lambda: fit.design(1e20, target_train_flops=1),
    "design candidates missing": lambda: fit.design(1e20, candidates=WORK / "missing.csv"),
    "design candidates dir": lambda: fit.design(1e20, candidates=WORK / "dir"),
    "design candidates garbage": lambda: fit.design(1e20, candidates=WORK / "garbage.json"),
    "design forms bogus": lambda: fit.design(1e20, forms="bogus"),
    "fit threads text": lambda: t2.fit(EXAMPLE, bootstrap=0, threads="x"),
    "fit threads 0": lambda: t2.fit(EXAMPLE, bootstrap=0, threads=0),
    "fit threads 2^70": lambda: t2.fit(EXAMPLE, bootstrap=0, threads=2**70),
    "plan threads negative": lambda: fit.plan(threads=-1),
    "plot threads 5000": lambda: fit.plot(WORK / "plots", threads=5000),
    "fit repetition without column": lambda: t2.fit(EXAMPLE, fit_repetition=True, bootstrap=0),
    "fit repetition and horizon": lambda: t2.fit(EXAMPLE, fit_repetition=True, repetition_horizon=3, bootstrap=0),
    "fit horizon negative": lambda: t2.fit(EXAMPLE, repetition_horizon=-3, bootstrap=0),
    # plot, report, files
    "plot out int": lambda: fit.plot(5),
    "plot out a file": lambda: fit.plot(EXAMPLE),
    "plot only bogus": lambda: fit.plot(WORK / "p", only="bogus"),
    "plot only ints": lambda: fit.plot(WORK / "p", only=[5]),
    "plot points huge": lambda: fit.plot(WORK / "p", points=HUGE),
    "report path int": lambda: fit.report(5),
    "report path dir": lambda: fit.report(WORK / "dir"),
    "report no parent": lambda: fit.report(WORK / "no" / "such" / "r.html"),
    "report over the sweep": lambda: t2.fit(EXAMPLE, **FAST).report(EXAMPLE),
    "to_json int": lambda: fit.to_json(5),
    "to_json dir": lambda: fit.to_json(WORK / "dir"),
    "read_fit int": lambda: t2.read_fit(5),
    "read_fit missing": lambda: t2.read_fit(WORK / "missing.json"),
    "read_fit csv": lambda: t2.read_fit(EXAMPLE),
    "read_fit garbage": lambda: t2.read_fit(WORK / "garbage.json"),
    "read_fit nan": lambda: distrusted(t2.read_fit(WORK / "nan.json")),
    "compare int": lambda: t2.compare(5),
    "compare ints": lambda: t2.compare([1, 2]),
    "compare dict of int": lambda: t2.compare({"a": 5}),
    "compare empty": lambda: t2.compare([]),
    "compare empty dict": lambda: t2.compare({}),
    "compare a string": lambda: t2.compare("fit.json"),
    "compare hostile name": lambda: t2.compare({"a\x1b[2J": fit, "b": fit}),
}

for label, call in CASES.items():
    print(json.dumps({"label": label, "started": True}), flush=True)
    try:
        call()
        outcome = "ok"
    except t2.T2Error as e:
        outcome = "T2Error" if "\x1b" not in str(e) else "T2Error with an escape"
    except BaseException as e:  # noqa: BLE001 -- what a call raised is the test's finding
        outcome = f"{type(e).__module__}.{type(e).__name__}: {e}"
    print(json.dumps({"label": label, "outcome": outcome}), flush=True)
