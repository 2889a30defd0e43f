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

import io
import json
from os import PathLike
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Tuple, Union

import polars as pl

from . import _t2
from ._t2 import T2Error, __version__

__all__ = [
    "T2Error",
    "Sweep",
    "FitResult",
    "read",
    "ingest",
    "fit",
    "fit_chinchilla",
    "read_fit",
    "compare",
    "__version__",
]

Source = Union[str, PathLike, "pl.DataFrame", Any]
"""A path to a CSV or Parquet file, a polars DataFrame or a pandas DataFrame."""

DEFAULT_TRAIN_FLOPS = "1e17..1e25"
"""The training budgets plans and figures use by default: a log range, four per decade."""
DEFAULT_INFERENCE_FLOPS = 1.4e11
"""C_inf per query: one forward pass of a 70B model."""
DEFAULT_POINTS = _t2.DEFAULT_POINTS
"""Budgets along a range."""

_DTYPES = {"f64": pl.Float64, "u64": pl.UInt64, "str": pl.String, "bool": pl.Boolean}


def _frame(columns: list, pandas: bool):
    """A DataFrame of the native layer's (name, dtype, values) columns."""
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


def _budgets(train_flops, points: int) -> list:
    """A float, a list of floats, or a text spec ("1e21", "1e19,1e21", "1e17..1e25") as a list of budgets."""
    if isinstance(train_flops, str):
        return _t2.train_budgets(train_flops, points)
    if isinstance(train_flops, (int, float)):
        return [float(train_flops)]
    return [float(c) for c in train_flops]


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
) -> Sweep:
    """Reads and validates a sweep: a run table or per-problem results (``t2 ingest``).

    source: a CSV (.csv, .csv.gz, .csv.zst) or Parquet path, or a pandas or polars DataFrame.
    columns: canonical name -> the source's name, e.g. ``{"params": "Model Size"}``.
    kind: "run", "sampled" or "likelihood" (default: from the columns).
    k: the k grid of per-problem input. drop_unestimable: drop problems with fewer samples than k.
    format: "csv" or "parquet" when the extension does not say. name: a DataFrame's name in errors.
    pretrain_loss: a table of each checkpoint's pretraining loss (params, tokens, loss, and columns the sweep
    shares such as model), joined as the sweep's pretrain_loss column for the chained form (``--pretrain-loss``).
    """
    losses = None if pretrain_loss is None else str(pretrain_loss)
    mapping = list((columns or {}).items())
    k = None if k is None else [float(v) for v in k]
    if _is_frame(source):
        native = _t2.Sweep.from_arrow(
            _arrow_stream(source),
            name,
            columns=mapping,
            kind=kind,
            k=k,
            drop_unestimable=drop_unestimable,
            pretrain_loss=losses,
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
    return source if isinstance(source, Sweep) else read(source, **read_options)


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

    def _plan(self, train_flops, inference_flops, points, forms, task):
        return self._native.plan(
            _budgets(train_flops, points), float(inference_flops), forms=_names(forms), task=task
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
    ):
        """The compute-optimal plan (``t2 plan``): one row per form and training budget with N* (params), D*
        (tokens), D*/N*, k* and the metric, their bootstrap bands (``_lo``, ``_hi``), the Chinchilla and 20:1
        reference points and a verdict with its reasons.

        train_flops: a budget, a list, or "1e17..1e25" (``points`` log-spaced values). inference_flops: C_inf per
        query. forms: e.g. ["approach1"]. task: one task, or "macro".
        """
        return _frame(self._plan(train_flops, inference_flops, points, forms, task).table(), pandas)

    def plan_text(
        self,
        train_flops=DEFAULT_TRAIN_FLOPS,
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        *,
        points: int = DEFAULT_POINTS,
        forms=None,
        task: Optional[str] = None,
        full: bool = False,
    ) -> str:
        """The plan table ``t2 plan`` prints (``full``: every budget with D* and the reference points)."""
        return self._plan(train_flops, inference_flops, points, forms, task).text(full)

    def plot(
        self,
        out_dir: Union[str, PathLike],
        *,
        train_flops=DEFAULT_TRAIN_FLOPS,
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        points: int = DEFAULT_POINTS,
        only: Optional[Iterable[str]] = None,
    ) -> list:
        """Draws the figures (frontier, isoflop, parity, metric_vs_k; or ``only`` some) into ``out_dir`` as PNG
        and SVG, as ``t2 plot``; returns the paths written."""
        written = self._native.plot(
            str(out_dir), _budgets(train_flops, points), float(inference_flops), only=_names(only)
        )
        return [Path(p) for p in written]

    def report(
        self,
        path: Union[str, PathLike],
        *,
        train_flops=DEFAULT_TRAIN_FLOPS,
        inference_flops: float = DEFAULT_INFERENCE_FLOPS,
        points: int = DEFAULT_POINTS,
    ) -> Path:
        """Writes the one-page, self-contained HTML report (``t2 report``) and returns its path."""
        self._native.report(str(path), _budgets(train_flops, points), float(inference_flops))
        return Path(path)

    def to_json(self, path: Union[str, PathLike, None] = None) -> str:
        """The fit file's JSON text; with ``path``, also writes it (atomically) for ``t2 plan``, ``t2 plot``…"""
        if path is not None:
            self._native.write(str(path))
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


def _names(values) -> Optional[list]:
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    return list(values)


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
    holdout_share: Optional[float] = 0.2,
    cluster: str = "checkpoint",
    bootstrap: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    starts: Union[str, int] = "fast",
    approach1_objective: str = "sse",
    huber_delta: float = 1e-3,
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
    random starts; an int N means the same). read_options: see :func:`read`.
    """
    options = dict(locals())
    sweep = _sweep(options.pop("source"), options.pop("read_options"))
    native = _t2.fit_sweep(
        sweep._native,
        command=_command("t2.fit", source, options),
        forms=_names(forms),
        task=task,
        keep_where=where,
        exclude_where=exclude_where,
        drop_highest_loss=drop_highest_loss,
        train_where=train_where,
        holdout_where=holdout_where,
        holdout_share=holdout_share,
        cluster=cluster,
        bootstrap=bootstrap,
        seed=seed,
        level=level,
        starts=str(starts),
        approach1_objective=approach1_objective,
        huber_delta=huber_delta,
    )
    return FitResult(native)


def fit_chinchilla(
    source: Union[Source, Sweep],
    *,
    where: Optional[str] = None,
    exclude_where: Optional[str] = None,
    drop_highest_loss: int = 0,
    loss: str = "huber",
    delta: float = 1e-3,
    pin: Optional[Mapping[str, float]] = None,
    bound: Optional[Mapping[str, Tuple[Optional[float], Optional[float]]]] = None,
    starts: str = "fast",
    bootstrap: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    cluster: str = "row",
    budgets: Sequence[float] = (1e21, 5.88e23, 1e25),
    keep_draws: bool = True,
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
        keep_where=where,
        exclude_where=exclude_where,
        drop_highest_loss=drop_highest_loss,
        loss=loss,
        delta=delta,
        pins=[(name, float(value)) for name, value in (pin or {}).items()],
        bounds=[(name, lo, hi) for name, (lo, hi) in (bound or {}).items()],
        starts=starts,
        bootstrap=bootstrap,
        seed=seed,
        level=level,
        cluster=cluster,
        budgets=[float(c) for c in budgets],
        keep_draws=keep_draws,
    )
    return FitResult(native)


def read_fit(path: Union[str, PathLike]) -> FitResult:
    """Reads a fit file written by ``t2 fit``, ``t2 run`` or :meth:`FitResult.to_json`."""
    return FitResult(_t2.Fit.read(str(path)))


def compare(fits: Union[Mapping[str, FitResult], Sequence[FitResult]], pandas: bool = False):
    """Several fits' estimates side by side (``t2 compare``): one row per (fit, parameter), for each fit its
    value, ``_lo`` and ``_hi``, and ``disjoint`` where some pair of intervals does not overlap. Give a dict
    name -> fit, or a list (named fit1, fit2, …)."""
    if isinstance(fits, Mapping):
        names, results = list(fits.keys()), list(fits.values())
    else:
        results = list(fits)
        names = [f"fit{i + 1}" for i in range(len(results))]
    return _frame(_t2.compare([f._native for f in results], names), pandas)
