"""t2: Train-to-Test (T²) scaling laws from Python.

The same library as the ``t2`` command line, in a notebook: read a sweep (a CSV or Parquet path, a pandas or a
polars DataFrame), fit Chinchilla and the two T² forms with bootstrap intervals, plan N*, D*, k* for your budgets,
and draw the figures. Results come back as polars DataFrames (``pandas=True`` for pandas).

>>> import t2
>>> fit = t2.fit("data/example_sweep.csv", bootstrap=200, seed=0)
>>> fit                                   # every fit with its verdict
>>> fit.estimates()                       # parameters with intervals, one row per estimate
>>> fit.plan(train_flops="1e19..1e25", inference_flops=1.4e11)
>>> fit.plot("plots/mine")                # PNG and SVG figures

Bad input raises :class:`T2Error` (a ``ValueError``) with the command line's message, naming the file (or
``DataFrame``), the row (1-based, the header is row 1: a frame's first row is row 2) and the column; the
exception's ``path``, ``row`` and ``column`` attributes hold them. Fits release the GIL and print nothing.
"""

from __future__ import annotations

import inspect
import io
import json
import numbers
from os import PathLike
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Tuple, Union

import polars as pl

from . import _args, _t2
from ._t2 import T2Error, T2FileError, __version__

__all__ = [
    "T2Error",
    "T2FileError",
    "Sweep",
    "FitResult",
    "Figure",
    "read",
    "ingest",
    "fit",
    "fit_chinchilla",
    "read_fit",
    "compare",
    "SCENARIO_OPTIONS",
    "__version__",
]

Source = Union[str, PathLike, "pl.DataFrame", Any]
"""A path to a CSV or Parquet file, a polars DataFrame or a pandas DataFrame."""

DEFAULTS = dict(_t2.DEFAULTS)
"""The library's defaults (``t2_pipeline::defaults``), by the keyword they are the default of: the command
line's too."""
DEFAULT_TRAIN_FLOPS = DEFAULTS["train_flops"]
"""The training budgets plans and figures use by default: a log range, four per decade."""
DEFAULT_INFERENCE_FLOPS = DEFAULTS["inference_flops"]
"""C_inf per query: one forward pass of a 70B model."""
DEFAULT_POINTS = DEFAULTS["points"]
"""Budgets along a range."""

_DTYPES = {"f64": pl.Float64, "u64": pl.UInt64, "str": pl.String, "bool": pl.Boolean}


def _frame(columns: list, pandas: bool):
    """A DataFrame of the native layer's (name, dtype, values) columns."""
    pandas = _args.flag("pandas", pandas)
    frame = pl.DataFrame(
        {name: values for name, _, values in columns},
        schema={name: _DTYPES[dtype] for name, dtype, _ in columns},
    )
    return frame.to_pandas() if pandas else frame


def _arrow_stream(frame) -> bytes:
    """A pandas or polars DataFrame as Arrow IPC stream bytes (no text on the way). A frame that cannot be
    converted (mixed-type object columns, nested values) raises T2Error, as any bad input does."""
    try:
        if not isinstance(frame, pl.DataFrame):
            frame = pl.from_pandas(frame)
        buffer = io.BytesIO()
        frame.write_ipc_stream(buffer, compression="uncompressed")
    except Exception as error:  # polars, pyarrow and pandas raise many types for the same problem
        raise T2Error(f"DataFrame: cannot be read as a table ({type(error).__name__}: {error})") from error
    return buffer.getvalue()


def _is_frame(source) -> bool:
    return isinstance(source, pl.DataFrame) or type(source).__module__.startswith("pandas")


def _budgets(name: str, flops, points: int) -> list:
    """A float, a list of floats, or a text spec ("1e21", "1e19,1e21", "1e17..1e25") as a list of budgets."""
    points = _args.whole("points", points)
    if isinstance(flops, str):
        return _t2.budget_values(name, flops, points)
    if isinstance(flops, numbers.Real) and not isinstance(flops, bool):
        return [float(flops)]
    return _args.reals(name, flops)


SCENARIO_OPTIONS = (
    "queries",
    "total_flops",
    "tokens_per_sample",
    "prompt_tokens",
    "unique_tokens",
    "repetition_horizon",
    "target_loss",
    "target_pass_at_k",
    "params",
    "tokens",
)
"""The keywords ``plan``, ``plan_text``, ``plot`` and ``report`` take beyond their budgets, as ``t2 plan``'s flags:

- ``queries`` Q, with ``total_flops`` (a budget, a list or "1e23..1e26"): lifetime budgets 6ND + Q·C_inf(N, k)
  (Sardana et al. 2024), N, D and k chosen together.
- ``tokens_per_sample`` T and ``prompt_tokens`` P: a query costs C_inf = 2N·(P + k·T) (the paper: T = 1, P = 0).
- ``unique_tokens`` U (and ``repetition_horizon`` R*_D): limited data; every law sees Muennighoff et al.'s D′.
- ``target_loss``, ``target_pass_at_k`` (a value or a list): the cheapest allocation that reaches each, in C_train
  at ``inference_flops``, or in lifetime compute with ``queries``; "not reachable" when the law never does.
- ``params`` N (and ``tokens`` D): a model that exists; with both, its metric at k = 1, 2, 4, …, 1024.
"""


def _threads(threads) -> Optional[int]:
    """``threads=``: None (one per core) or a whole number, as the command line's ``--threads``."""
    return None if threads is None else _args.whole("threads", threads)


def _values(name: str, value) -> list:
    """None, a number or a list of numbers, as a list."""
    if value is None:
        return []
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return [float(value)]
    return _args.reals(name, value)


def _scenario(call: str, train_flops, inference_flops, points, options: Mapping[str, Any]) -> "_t2.Scenario":
    """The native scenario from a call's budgets and its ``SCENARIO_OPTIONS``."""
    _args.known(call, options, SCENARIO_OPTIONS)
    option = options.get
    total = option("total_flops")
    if total is not None and option("queries") is None:
        raise T2Error("total_flops: lifetime budgets need queries (the number of queries served)")
    flops = _budgets("train_flops", train_flops, points) if total is None else _budgets("total_flops", total, points)
    return _t2.Scenario(
        flops,
        _args.real("inference_flops", inference_flops),
        _args.real("queries", option("queries"), optional=True),
        _args.real("prompt_tokens", option("prompt_tokens", DEFAULTS["prompt_tokens"])),
        _args.real("tokens_per_sample", option("tokens_per_sample", DEFAULTS["tokens_per_sample"])),
        _args.real("unique_tokens", option("unique_tokens"), optional=True),
        _args.real("repetition_horizon", option("repetition_horizon"), optional=True),
        _args.real("params", option("params"), optional=True),
        _args.real("tokens", option("tokens"), optional=True),
        _values("target_loss", option("target_loss")),
        _values("target_pass_at_k", option("target_pass_at_k")),
    )


def _command(call: str, source, options: Mapping[str, Any]) -> list:
    """What the fit file records as its command: the call and the options given."""
    shown = str(source) if not _is_frame(source) else "DataFrame"
    return ["t2 (python)", call, shown] + [f"{k}={v!r}" for k, v in options.items() if v is not None]


class Sweep:
    """A sweep ingest has read and validated (see :func:`read`)."""

    def __init__(self, native: "_t2.Sweep"):
        self._native = native

    def table(self, pandas: bool = False):
        """The normalised run table: params, tokens, k, loss, pass_at_k, weight, task and extra columns."""
        return _frame(self._native.table(), pandas)

    @property
    def report(self) -> dict:
        """What was read, what was dropped (with the file rows) and the warnings; and the sweep's summary
        (rows, checkpoints, tasks, k grid, ranges, isoFLOP levels, design warnings), as ``t2 inspect --json``."""
        return json.loads(self._native.report_json())

    def describe(self) -> str:
        """What ``t2 inspect`` prints: rows read and dropped, checkpoints, tasks, k grid, ranges, warnings."""
        return self._native.describe()

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        report = self.report
        return (
            f"<t2.Sweep of {report['report']['path']}: {len(self)} rows, "
            f"{report['summary']['checkpoints']} checkpoints, tasks {report['summary']['tasks'] or '(none)'}>"
        )


def read(
    source: Source,
    *,
    columns: Optional[Mapping[str, str]] = None,
    kind: Optional[str] = None,
    k: Optional[Sequence[float]] = None,
    drop_unestimable: bool = False,
    format: Optional[str] = None,
    name: str = "DataFrame",
    pretrain_loss: Optional[Union[str, PathLike]] = None,
    correct_if: Optional[str] = None,
    harness: Optional[str] = None,
    lm_eval_metric: Optional[str] = None,
    lm_eval_filter: Optional[str] = None,
) -> Sweep:
    """Reads and validates a sweep: a run table, per-problem results or a raw log of generations (``t2 ingest``).

    source: a CSV, Parquet or JSON Lines path (.csv, .parquet, .jsonl; the text ones may be .gz or .zst), or a
    pandas or polars DataFrame.
    columns: canonical name -> the source's name, e.g. ``{"params": "Model Size"}``.
    kind: "run", "sampled", "likelihood" or "generations" (default: from the columns).
    k: the k grid of per-problem input. drop_unestimable: drop problems with fewer samples than k.
    format: "csv" or "parquet" when the extension does not say. name: a DataFrame's name in errors.
    pretrain_loss: a table of each checkpoint's pretraining loss (params, tokens, loss, and columns the sweep
    shares such as model), joined as the sweep's pretrain_loss column for the chained form (``--pretrain-loss``).
    correct_if: a raw log's verdict per generation as a filter on its own columns, e.g. ``"score >= 1"``.
    harness: ``"lm-eval"`` to read ``source`` as an index of ``lm_eval --log_samples`` logs (a CSV with file,
    params, tokens and optionally task; ``--from lm-eval``), with ``lm_eval_metric`` (the 0/1 metric, default:
    the one the logs name) and ``lm_eval_filter`` (for logs with several filters).
    """
    losses = _args.path("pretrain_loss", pretrain_loss, optional=True)
    correct_if = _args.text("correct_if", correct_if, optional=True)
    mapping = [
        (_args.text("columns' keys", c), _args.text(f"columns[{c!r}]", s))
        for c, s in _args.mapping("columns", columns).items()
    ]
    kind = _args.text("kind", kind, optional=True)
    k = None if k is None else _args.reals("k", k)
    drop_unestimable = _args.flag("drop_unestimable", drop_unestimable)
    format = _args.text("format", format, optional=True)
    harness_options = {
        "harness": _args.text("harness", harness, optional=True),
        "lm_eval_metric": _args.text("lm_eval_metric", lm_eval_metric, optional=True),
        "lm_eval_filter": _args.text("lm_eval_filter", lm_eval_filter, optional=True),
    }
    if _is_frame(source) and any(v is not None for v in harness_options.values()):
        raise T2Error("harness= reads an index file of logs: give its path, not a DataFrame")
    if _is_frame(source):
        native = _t2.Sweep.from_arrow(
            _arrow_stream(source),
            _args.text("name", name),
            columns=mapping,
            kind=kind,
            k=k,
            drop_unestimable=drop_unestimable,
            pretrain_loss=losses,
            correct_if=correct_if,
        )
    elif isinstance(source, (str, PathLike)):
        native = _t2.Sweep.read(
            str(source),
            columns=mapping,
            format=format,
            kind=kind,
            k=k,
            drop_unestimable=drop_unestimable,
            pretrain_loss=losses,
            correct_if=correct_if,
            **harness_options,
        )
    else:
        raise T2Error(
            f"a sweep is read from a path (str or os.PathLike) or a pandas or polars DataFrame, not "
            f"{type(source).__name__}"
        )
    return Sweep(native)


def ingest(source: Source, *, pandas: bool = False, **read_options) -> "pl.DataFrame":
    """The normalised run table of ``source`` (see :func:`read` for the options)."""
    return read(source, **read_options).table(pandas)


def _sweep(source, read_options) -> Sweep:
    if isinstance(source, Sweep):
        return source
    reading = [p for p in inspect.signature(read).parameters if p != "source"]
    _args.known("read", read_options, reading)
    return read(source, **read_options)


class Figure:
    """One t2 figure: shown inline by a notebook (SVG), written by :meth:`save` as .svg or .png."""

    def __init__(self, svg: str, png: bytes):
        self._svg = svg
        self._png = png

    def _repr_svg_(self) -> str:
        return self._svg

    def save(self, path: Union[str, PathLike]) -> Path:
        """Writes the figure as SVG or PNG, by the file's extension; returns the path."""
        path = Path(_args.path("path", path))
        if path.suffix == ".svg":
            data = self._svg.encode()
        elif path.suffix == ".png":
            data = self._png
        else:
            raise T2Error(f"path: use a .svg or .png file name, not {path}")
        try:
            path.write_bytes(data)
        except OSError as error:
            raise T2FileError(f"{path}: cannot write: {error.strerror or error}") from error
        return path


class FitResult:
    """Fitted forms with estimates, intervals, verdicts and predictions: a t2 fit file in memory."""

    def __init__(self, native: "_t2.Fit"):
        self._native = native

    def estimates(self, pandas: bool = False):
        """One row per estimate: form, task, name, kind, value, se, factor (×/÷ spread of log-scale
        quantities), lo, hi (the percentile interval), draws, and the fit's verdict."""
        return _frame(self._native.estimates(), pandas)

    def verdicts(self, pandas: bool = False):
        """One row per fit: target, verdict and its reasons, objective, R², convergence, resamples, held-out
        error."""
        return _frame(self._native.fits(), pandas)

    def predictions(self, pandas: bool = False):
        """Observed against predicted for every row of every fit (``heldout`` marks extrapolation targets)."""
        return _frame(self._native.predictions(), pandas)

    def _plan(self, call, train_flops, inference_flops, points, forms, task, threads, options):
        return self._native.plan(
            _scenario(call, train_flops, inference_flops, points, options),
            forms=_args.texts("forms", forms),
            task=_args.text("task", task, optional=True),
            threads=_threads(threads),
        )

    def plan(
        self,
        train_flops=DEFAULT_TRAIN_FLOPS,
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        *,
        points: int = DEFAULT_POINTS,
        forms=None,
        task: Optional[str] = None,
        pandas: bool = False,
        threads: Optional[int] = None,
        **scenario,
    ):
        """The compute-optimal plan (``t2 plan``): one row per form and budget (or target) with N* (params), D*
        (tokens), D*/N*, k* and the metric, their bootstrap bands (``_lo``, ``_hi``), the Chinchilla and 20:1
        reference points and a verdict with its reasons.

        train_flops: a budget, a list, or "1e17..1e25" (``points`` log-spaced values). inference_flops: C_inf per
        query. forms: e.g. ["approach1"]. task: one task, or "macro". Lifetime budgets, the inference cost,
        limited data, targets and a model that exists: see ``t2.SCENARIO_OPTIONS``, e.g.
        ``fit.plan(queries=1e9, total_flops="1e23..1e26", tokens_per_sample=200)``.
        """
        plan = self._plan("plan", train_flops, inference_flops, points, forms, task, threads, scenario)
        return _frame(plan.table(), pandas)

    def plan_text(
        self,
        train_flops=DEFAULT_TRAIN_FLOPS,
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        *,
        points: int = DEFAULT_POINTS,
        forms=None,
        task: Optional[str] = None,
        full: bool = False,
        threads: Optional[int] = None,
        **scenario,
    ) -> str:
        """The plan table ``t2 plan`` prints (``full``: every budget with the reference points); the keywords of
        ``plan``."""
        plan = self._plan("plan_text", train_flops, inference_flops, points, forms, task, threads, scenario)
        return plan.text(_args.flag("full", full))

    def design(
        self,
        budget: float,
        *,
        target_train_flops: float = DEFAULTS["target_train_flops"],
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        quantity: str = "n-star",
        max_runs: int = DEFAULTS["max_runs"],
        max_run_flops: Optional[float] = None,
        candidates: Union[str, PathLike, None] = None,
        forms=None,
        task: Optional[str] = None,
        pandas: bool = False,
        threads: Optional[int] = None,
    ):
        """What to train next (``t2 design``): for each fit, the runs (N, D) that would shrink the uncertainty of
        ``quantity`` ("n-star", "tokens-per-param", "k-star" or "metric") of the plan at ``target_train_flops`` most,
        within ``budget`` FLOPs of training in at most ``max_runs`` runs (0: any number, chosen per FLOP). One
        row per run with its reason, beside the fit's value, standard deviation now and after, and the ratio of
        the local (delta-method) band to the bootstrap band; a fit without advice has one row saying why
        (``refused``). candidates: a CSV of the runs a team can train (params, tokens)."""
        columns = self._native.design(
            _args.real("budget", budget),
            target_train_flops=_args.real("target_train_flops", target_train_flops),
            inference_flops=_args.real("inference_flops", inference_flops),
            quantity=_args.text("quantity", quantity),
            max_runs=_args.whole("max_runs", max_runs),
            max_run_flops=_args.real("max_run_flops", max_run_flops, optional=True),
            candidates=_args.path("candidates", candidates, optional=True),
            forms=_args.texts("forms", forms),
            task=_args.text("task", task, optional=True),
            threads=_threads(threads),
        )
        return _frame(columns, pandas)

    def plot(
        self,
        out_dir: Union[str, PathLike],
        *,
        train_flops=DEFAULT_TRAIN_FLOPS,
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        points: int = DEFAULT_POINTS,
        only: Optional[Iterable[str]] = None,
        threads: Optional[int] = None,
        **scenario,
    ) -> list:
        """Draws the figures (frontier, isoflop, parity, metric_vs_k; or ``only`` some) into ``out_dir`` as PNG
        and SVG, as ``t2 plot``; returns the paths written. The frontier is drawn in the scenario of
        ``t2.SCENARIO_OPTIONS`` (its budgets; e.g. ``unique_tokens`` marks the data wall)."""
        written = self._native.plot(
            _args.path("out_dir", out_dir),
            _scenario("plot", train_flops, inference_flops, points, scenario),
            only=_args.texts("only", only),
            threads=_threads(threads),
        )
        return [Path(p) for p in written]

    def report(
        self,
        path: Union[str, PathLike],
        *,
        train_flops=DEFAULT_TRAIN_FLOPS,
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        points: int = DEFAULT_POINTS,
        threads: Optional[int] = None,
        **scenario,
    ) -> Path:
        """Writes the one-page, self-contained HTML report (``t2 report``) and returns its path; its plan is made
        in the scenario of ``t2.SCENARIO_OPTIONS``."""
        self._native.report(
            _args.path("path", path),
            _scenario("report", train_flops, inference_flops, points, scenario),
            threads=_threads(threads),
        )
        return Path(path)

    def to_json(self, path: Union[str, PathLike, None] = None) -> str:
        """The fit file's JSON text; with ``path``, also writes it (atomically) for ``t2 plan``, ``t2 plot``…"""
        if path is not None:
            self._native.write(_args.path("path", path))
        return self._native.to_json()

    def to_dict(self) -> dict:
        """The fit file as a JSON-compatible dict (non-finite numbers are the strings "NaN", "inf", "-inf")."""
        return json.loads(self._native.to_json())

    @property
    def summary(self) -> str:
        """The summary ``t2 fit`` prints: verdicts and reasons, then each fit's estimates."""
        return self._native.summary()

    def __repr__(self) -> str:
        return repr(self._native)

    def _repr_html_(self) -> str:
        """A notebook shows the fit as its verdicts and the headline plan (HTML, nothing fetched)."""
        return self._native.summary_html()

    def figure(
        self,
        kind: str = "frontier",
        *,
        task: Optional[str] = None,
        train_flops=DEFAULT_TRAIN_FLOPS,
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        points: int = DEFAULT_POINTS,
        threads: Optional[int] = None,
        **scenario,
    ) -> Figure:
        """One figure ("frontier", "isoflop", "parity", "metric_vs_k") of ``task`` (default: the primary task group),
        shown inline by a notebook; ``.save(path)`` writes it. The frontier takes the planning keywords of
        ``plan``."""
        svg, png = self._native.figure(
            _args.text("kind", kind),
            _scenario("figure", train_flops, inference_flops, points, scenario),
            task=_args.text("task", task, optional=True),
            threads=_threads(threads),
        )
        return Figure(svg, png)


def fit(
    source: Union[Source, Sweep],
    *,
    forms=None,
    task: Optional[str] = None,
    where: Optional[str] = None,
    exclude_where: Optional[str] = None,
    drop_highest_loss: int = 0,
    train_where: Optional[str] = None,
    holdout_where: Optional[str] = None,
    holdout_share: Optional[float] = DEFAULTS["holdout_share"],
    cluster: str = "checkpoint",
    bootstrap: int = DEFAULTS["bootstrap"],
    seed: int = DEFAULTS["seed"],
    level: float = DEFAULTS["level"],
    starts: Union[str, int] = "fast",
    approach1_objective: str = "sse",
    huber_delta: float = DEFAULTS["huber_delta"],
    fit_repetition: bool = False,
    repetition_horizon: Optional[float] = None,
    threads: Optional[int] = None,
    **read_options,
) -> FitResult:
    """Fits the T² forms to a sweep, as ``t2 fit t2``: Chinchilla on the k = 1 loss, Approach 1 on the loss of
    every row, Approach 2 on pass@k; each task and the macro average; bootstrapped by checkpoint.

    forms: some of "chinchilla", "approach1", "approach2" (default: every form the rows support; the others
    are skipped with the reason). task: one task only. where / exclude_where: filter expressions such as
    'k == 1 and tokens <= 7e10'. drop_highest_loss: leave out the N highest-loss rows. train_where /
    holdout_where: the extrapolation check. holdout_share: without them, the forecast check holds out the most
    overtrained share of each size's checkpoints (None: no forecast check, ``--no-holdout``). cluster: "checkpoint", "row" or a column name. bootstrap:
    resamples (0 for none). starts: Approach 1's search, "fast" (projected) or "random:N" (the paper's N
    random starts; an int N means the same). fit_repetition / repetition_horizon: for a sweep with a
    ``unique_tokens`` column, every law is fitted on the data-constrained D′ with R*_D fitted, or fixed (default:
    Muennighoff et al.'s 15.39). threads: how many cores (default one per core; results do not depend on it).
    read_options: see :func:`read`.
    """
    options = dict(locals())
    sweep = _sweep(options.pop("source"), options.pop("read_options"))
    native = _t2.fit_sweep(
        sweep._native,
        command=_command("t2.fit", source, options),
        forms=_args.texts("forms", forms),
        task=_args.text("task", task, optional=True),
        keep_where=_args.text("where", where, optional=True),
        exclude_where=_args.text("exclude_where", exclude_where, optional=True),
        drop_highest_loss=_args.whole("drop_highest_loss", drop_highest_loss),
        train_where=_args.text("train_where", train_where, optional=True),
        holdout_where=_args.text("holdout_where", holdout_where, optional=True),
        holdout_share=_args.real("holdout_share", holdout_share, optional=True),
        cluster=_args.text("cluster", cluster),
        bootstrap=_args.whole("bootstrap", bootstrap),
        seed=_args.whole("seed", seed),
        level=_args.real("level", level),
        starts=_starts(starts),
        approach1_objective=_args.text("approach1_objective", approach1_objective),
        huber_delta=_args.real("huber_delta", huber_delta),
        fit_repetition=_args.flag("fit_repetition", fit_repetition),
        repetition_horizon=_args.real("repetition_horizon", repetition_horizon, optional=True),
        threads=_threads(threads),
    )
    return FitResult(native)


def fit_chinchilla(
    source: Union[Source, Sweep],
    *,
    where: Optional[str] = None,
    exclude_where: Optional[str] = None,
    drop_highest_loss: int = 0,
    loss: str = "huber",
    delta: float = DEFAULTS["huber_delta"],
    pin: Optional[Mapping[str, float]] = None,
    bound: Optional[Mapping[str, Tuple[Optional[float], Optional[float]]]] = None,
    starts: str = "fast",
    bootstrap: int = DEFAULTS["bootstrap"],
    seed: int = DEFAULTS["seed"],
    level: float = DEFAULTS["level"],
    cluster: str = "row",
    budgets: Sequence[float] = tuple(DEFAULTS["chinchilla_budgets"]),
    keep_draws: bool = True,
    threads: Optional[int] = None,
    **read_options,
) -> FitResult:
    """Fits the Chinchilla law L(N, D) = E + A/N^α + B/D^β to all selected rows, as ``t2 fit chinchilla``
    (Epoch-compatible: Huber δ = 1e-3 on ln L, summed).

    loss: "huber", "sq-log" or "sq". pin: e.g. {"E": 1.8}. bound: e.g. {"alpha": (0, 1), "E": (None, 2.5)}.
    starts: "fast" (projected), "grid" (Epoch's 4,500) or "random:N". budgets: C at which N*(C), D*(C) and
    D*/N* are reported. read_options: see :func:`read`.

    >>> t2.fit_chinchilla("chinchilla_epoch_svg.csv", columns={"params": "Model Size",
    ...     "train_flops": "Training FLOP"}, drop_highest_loss=5, bootstrap=1000, seed=0)
    """
    options = dict(locals())
    sweep = _sweep(options.pop("source"), options.pop("read_options"))
    native = _t2.fit_chinchilla(
        sweep._native,
        command=_command("t2.fit_chinchilla", source, options),
        keep_where=_args.text("where", where, optional=True),
        exclude_where=_args.text("exclude_where", exclude_where, optional=True),
        drop_highest_loss=_args.whole("drop_highest_loss", drop_highest_loss),
        loss=_args.text("loss", loss),
        delta=_args.real("delta", delta),
        pins=[
            (_args.text("pin's keys", name), _args.real(f"pin[{name!r}]", value))
            for name, value in _args.mapping("pin", pin).items()
        ],
        bounds=[_bound(name, pair) for name, pair in _args.mapping("bound", bound).items()],
        starts=_starts(starts),
        bootstrap=_args.whole("bootstrap", bootstrap),
        seed=_args.whole("seed", seed),
        level=_args.real("level", level),
        cluster=_args.text("cluster", cluster),
        budgets=_args.reals("budgets", budgets),
        keep_draws=_args.flag("keep_draws", keep_draws),
        threads=_threads(threads),
    )
    return FitResult(native)


def _starts(starts) -> str:
    """Approach 1's and Chinchilla's search: a text spec, or an int N for "random:N"."""
    if isinstance(starts, numbers.Integral) and not isinstance(starts, bool):
        return f"random:{_args.whole('starts', starts)}"
    return _args.text("starts", starts)


def _bound(name, pair) -> tuple:
    """A ``bound`` entry: (name, lo, hi), either end None."""
    name = _args.text("bound's keys", name)
    sides = list(pair) if isinstance(pair, Iterable) and not isinstance(pair, (str, bytes)) else []
    if len(sides) != 2:
        raise _args.wrong(f"bound[{name!r}]", "a pair (lo, hi), either None", pair)
    lo, hi = sides
    return name, _args.real(f"bound[{name!r}][0]", lo, optional=True), _args.real(f"bound[{name!r}][1]", hi, optional=True)


def read_fit(path: Union[str, PathLike]) -> FitResult:
    """Reads a fit file written by ``t2 fit``, ``t2 run`` or :meth:`FitResult.to_json`."""
    return FitResult(_t2.Fit.read(_args.path("path", path)))


def compare(fits: Union[Mapping[str, FitResult], Sequence[FitResult]], pandas: bool = False):
    """Several fits' estimates side by side (``t2 compare``): one row per (fit, parameter), for each fit its
    value, ``_lo`` and ``_hi``, and ``disjoint`` where some pair of intervals does not overlap. Give a dict
    name -> fit, or a list (named fit1, fit2, …)."""
    if isinstance(fits, Mapping):
        names = [_args.text("fits' names", name) for name in fits]
        results = list(fits.values())
    elif isinstance(fits, Iterable) and not isinstance(fits, (str, bytes)):
        results = list(fits)
        names = [f"fit{i + 1}" for i in range(len(results))]
    else:
        raise _args.wrong("fits", "a dict name -> FitResult or a list of FitResult", fits)
    if not results:
        raise T2Error("compare: give at least one fit")
    for result in results:
        if not isinstance(result, FitResult):
            raise _args.wrong("fits", "FitResult values (from t2.fit or t2.read_fit)", result)
    return _frame(_t2.compare([f._native for f in results], names), pandas)
