"""Parameter sweeps: a spec file or a function over a grid, one result file per point, resumable.

    res = nl.sweep("examples/specs/hh_step.toml", {"neuron.stimulus.0.amplitude": [5.0, 10.0, 15.0]},
                   out="sweep-hh", executor=("local", 2))
    res.summary_path        # sweep-hh/summary.csv: one row per finished point, parameters and metrics

Each point's result is written atomically (a temporary file renamed into ``DIR/points/<id>.json``)
by the process that drives the sweep, so an interrupted sweep leaves only whole files; rerunning
the same sweep skips every point that has one and computes the rest. A point whose run raises is
recorded with its error (status "error") and the sweep goes on. Points run in local worker
processes (``concurrent.futures``) or on Dask distributed (the ``distributed`` extra): a
``LocalCluster`` on this machine, or a scheduler address for a cluster, the way to go beyond one
machine; results travel back to the driver, so workers need no shared file system.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import math
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .core.errors import NeuroLadderError, ParameterError, SpecError

SUMMARY = "summary.csv"
MANIFEST = "sweep.json"


# ------------------------------------------------------------------------------------------- grids
def _scalar(text: str):
    """A grid value from the command line: int, float, true/false, else the string itself."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            value = cast(text)
        except ValueError:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise ParameterError(f"grid value {text!r} is not finite")
        return value
    return text.strip()


def parse_grid(items) -> dict:
    """``["a.b=0:10:5", "c=1,2,4"]`` -> ``{"a.b": [0.0, 2.5, ...], "c": [1, 2, 4]}``.

    ``START:STOP:NUM`` is ``numpy.linspace(START, STOP, NUM)`` (both ends included); the values stay
    integers when START and STOP are integers and the spacing is whole. ``v1,v2,...`` lists values.
    """
    grid = {}
    for item in items:
        if "=" not in item:
            raise ParameterError(f"--grid {item!r}: expected KEY=START:STOP:NUM or KEY=v1,v2,...")
        key, spec = (s.strip() for s in item.split("=", 1))
        if not key:
            raise ParameterError(f"--grid {item!r}: the key is empty")
        if key in grid:
            raise ParameterError(f"--grid {key}: given twice")
        if spec.count(":") == 2:
            start, stop, num = (s.strip() for s in spec.split(":"))
            try:
                a, b, n = float(start), float(stop), int(num)
            except ValueError:
                raise ParameterError(f"--grid {item!r}: START and STOP must be numbers and NUM an integer") from None
            if n < 1 or n > 1_000_000 or not (math.isfinite(a) and math.isfinite(b)):
                raise ParameterError(f"--grid {item!r}: NUM must lie in [1, 1000000], START and STOP be finite")
            values = np.linspace(a, b, n)
            integral = all(isinstance(_scalar(s), int) for s in (start, stop)) and np.all(values == np.round(values))
            grid[key] = [int(v) for v in values] if integral else [float(v) for v in values]
        else:
            values = [_scalar(s) for s in spec.split(",") if s.strip()]
            if not values:
                raise ParameterError(f"--grid {item!r}: no values")
            grid[key] = values
    if not grid:
        raise ParameterError("a sweep needs at least one --grid KEY=START:STOP:NUM")
    return grid


def grid_points(grid: dict) -> list[dict]:
    """Every combination, the last key varying fastest."""
    keys = list(grid)
    for key in keys:
        if isinstance(grid[key], (str, bytes)) or not hasattr(grid[key], "__iter__"):
            raise ParameterError(f"grid[{key!r}] must be a sequence of values")
    # numpy scalars become Python numbers: a spec's integer keys take no numpy.int64
    return [dict(zip(keys, combo)) for combo in itertools.product(*(_plain(list(grid[k])) for k in keys))]


def point_id(params: dict) -> str:
    """A stable name for a point: a hash of its parameters (JSON, sorted keys)."""
    return hashlib.sha1(json.dumps(_plain(params), sort_keys=True).encode()).hexdigest()[:16]


def _plain(x):
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    return x


# ------------------------------------------------------------------------------------------ targets
@dataclass(frozen=True)
class _SpecTarget:
    """A spec file's contents (plain data, picklable) and the folder its relative paths start from."""

    data: dict
    base_dir: str
    source: str

    def __call__(self, **params) -> dict:
        from .io.spec import apply_overrides, validate_spec
        from .io.spec_run import run_spec

        spec = validate_spec(apply_overrides(self.data, params, self.source), self.base_dir, self.source)
        return run_spec(spec, figures=False).metrics


def _evaluate(target, params: dict) -> dict:
    """Run one point; never raises: a failure is a result with status "error"."""
    start = time.perf_counter()
    try:
        metrics = target(**params)
        if not isinstance(metrics, dict):
            raise TypeError(f"a sweep function must return a dict of metrics, got {type(metrics).__name__}")
        status, error = "ok", ""
        metrics = {str(k): _plain(v) for k, v in metrics.items()}
    except Exception as err:  # noqa: BLE001 - one failing point must not stop the sweep
        status, metrics = "error", {}
        error = f"{type(err).__name__}: {err}"
        if not isinstance(err, NeuroLadderError):
            error += "\n" + "".join(traceback.format_exception(err)[-3:])
    return {"status": status, "metrics": metrics, "error": error, "seconds": time.perf_counter() - start,
            "worker_pid": os.getpid()}


def _target(spec_or_function):
    if callable(spec_or_function):
        name = getattr(spec_or_function, "__qualname__", type(spec_or_function).__name__)
        return spec_or_function, f"{getattr(spec_or_function, '__module__', '?')}.{name}"
    path = Path(spec_or_function)
    from .io.spec import read_toml

    data = read_toml(path)
    return _SpecTarget(data, str(path.parent.resolve()), str(path)), str(path.resolve())


# ------------------------------------------------------------------------------------------- result
@dataclass
class SweepResult:
    """What a sweep did. ``n_computed`` points ran now, ``n_skipped`` had results already."""

    out: Path
    n_points: int
    n_done: int
    n_computed: int
    n_skipped: int
    n_failed: int

    @property
    def summary_path(self) -> Path:
        return self.out / SUMMARY

    def records(self) -> list[dict]:
        """The finished points' records (params, status, metrics, error, seconds), in grid order."""
        return read_points(self.out)

    def to_pandas(self):
        """``summary.csv`` as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            raise NeuroLadderError("to_pandas needs pandas: pip install pandas") from None
        return pd.read_csv(self.summary_path)


def read_points(out) -> list[dict]:
    """Every point record of a sweep folder, in the grid's order."""
    out = Path(out)
    manifest = json.loads((out / MANIFEST).read_text())
    records = []
    for params in manifest["points"]:
        path = out / "points" / f"{point_id(params)}.json"
        if path.is_file():
            records.append(json.loads(path.read_text()))
    return records


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _json(obj) -> str:
    from .io.spec_run import strict_json

    return strict_json(obj)


def write_summary(out) -> Path:
    """Rewrite ``summary.csv`` from the point files: one row per finished point."""
    out = Path(out)
    manifest = json.loads((out / MANIFEST).read_text())
    keys = list(manifest["grid"])
    records = read_points(out)
    metric_names = []
    for r in records:
        for name in r["metrics"]:
            if name not in metric_names:
                metric_names.append(name)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["point", "status", *keys, *metric_names, "seconds", "error"])
    for r in records:
        writer.writerow([r["id"], r["status"], *(r["params"][k] for k in keys),
                         *("" if r["metrics"].get(m) is None else r["metrics"][m] for m in metric_names),
                         f"{r['seconds']:.4f}", r["error"].splitlines()[0] if r["error"] else ""])
    path = out / SUMMARY
    _write_atomic(path, buf.getvalue())
    return path


# -------------------------------------------------------------------------------------------- sweep
def sweep(spec_or_function, grid, out, executor="local", progress: bool | None = None) -> SweepResult:
    """Run ``spec_or_function`` at every point of ``grid``; results in ``out`` (resumable).

    Parameters
    ----------
    spec_or_function : path to a spec file (.toml) or callable
        A spec's points override its dotted keys (``"neuron.stimulus.0.amplitude"``); a function is
        called as ``f(**point)`` and returns a flat dict of metrics (for worker processes it must be
        importable, i.e. defined at module level).
    grid : dict ``{key: sequence of values}`` or list of ``"KEY=START:STOP:NUM"`` strings
    out : folder; ``out/points/<id>.json`` per point, ``out/summary.csv``, ``out/sweep.json`` (the grid)
    executor : ``"serial"`` (this process), ``"local"`` (one worker process per CPU), ``("local", N)``,
        ``"dask"`` (a Dask ``LocalCluster``), ``("dask", N)``, a scheduler address such as
        ``"tcp://10.0.0.1:8786"``, or a ``distributed.Client``.
    progress : show a progress bar with an ETA on stderr (None: only on a terminal).

    Returns
    -------
    SweepResult
    """
    if not isinstance(grid, dict):
        grid = parse_grid(list(grid))
    points = grid_points(grid)
    if not points:
        raise ParameterError("the grid is empty")
    target, description = _target(spec_or_function)
    if isinstance(target, _SpecTarget):  # a misspelt key fails now, not once per point
        from .io.spec import apply_overrides, validate_spec

        validate_spec(apply_overrides(target.data, points[0], target.source), target.base_dir,
                      f"{target.source} with {points[0]}")
    out = Path(out)
    (out / "points").mkdir(parents=True, exist_ok=True)
    manifest = {"target": description, "grid": _plain(grid), "points": _plain(points)}
    manifest_path = out / MANIFEST
    if manifest_path.is_file():
        old = json.loads(manifest_path.read_text())
        if old.get("target") != manifest["target"] or old.get("grid") != manifest["grid"]:
            raise SpecError(f"{out} holds a different sweep ({old.get('target')} over {list(old.get('grid', {}))}); "
                            f"use another --out folder")
    else:
        _write_atomic(manifest_path, _json(manifest))
    todo = [p for p in points if not (out / "points" / f"{point_id(p)}.json").is_file()]
    from .core.progress import Progress

    bar = Progress(f"sweep {out.name}", len(todo), enabled=progress, after_s=0.0)
    computed = failed_now = 0
    last_summary = time.perf_counter()

    def record(params, outcome):
        nonlocal computed, failed_now, last_summary
        pid = point_id(params)
        entry = {"id": pid, "params": _plain(params), **outcome, "finished_at": time.time(), "driver_pid": os.getpid()}
        _write_atomic(out / "points" / f"{pid}.json", _json(entry))
        with open(out / "log.jsonl", "a", encoding="utf-8") as fh:  # an audit trail: one line per computed point
            fh.write(json.dumps({"id": pid, "status": outcome["status"], "driver_pid": os.getpid()}) + "\n")
        computed += 1
        failed_now += outcome["status"] != "ok"
        bar.update(computed)
        if time.perf_counter() - last_summary > 2.0:
            write_summary(out)
            last_summary = time.perf_counter()

    if todo:
        _run_points(target, todo, executor, record)
    bar.close()
    write_summary(out)
    records = read_points(out)
    return SweepResult(out, len(points), len(records), computed, len(points) - len(todo),
                       sum(r["status"] != "ok" for r in records))


def _run_points(target, todo, executor, record) -> None:
    kind, n = (executor if isinstance(executor, tuple) else (executor, None))
    if kind == "serial" or (kind == "local" and n == 1):
        for params in todo:
            record(params, _evaluate(target, params))
        return
    if kind == "local":
        from concurrent.futures import ProcessPoolExecutor, as_completed

        workers = n if n is not None else (os.cpu_count() or 1)
        if not isinstance(workers, int) or workers < 1:
            raise ParameterError(f"local workers = {workers!r} must be an integer >= 1")
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_evaluate, target, p): p for p in todo}
            for fut in as_completed(futures):
                record(futures[fut], fut.result())
        return
    _run_dask(target, todo, kind, n, record)


def _run_dask(target, todo, kind, n, record) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise NeuroLadderError("Dask sweeps need the distributed extra: pip install 'neuroladder[distributed]'") from None
    own = []
    if isinstance(kind, Client):
        client = kind
    elif kind == "dask":
        cluster = LocalCluster(n_workers=n or min(4, os.cpu_count() or 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        own = [client, cluster]
    elif isinstance(kind, str) and "://" in kind:
        try:
            client = Client(kind, timeout=30)
        except OSError as err:
            raise NeuroLadderError(f"cannot reach the Dask scheduler at {kind}: {err}") from None
        own = [client]
    else:
        raise ParameterError(f"executor = {kind!r}: choose 'serial', 'local', ('local', N), 'dask', ('dask', N), "
                             f"a scheduler address 'tcp://host:port' or a distributed.Client")
    try:
        futures = [client.submit(_evaluate, target, p, pure=False) for p in todo]
        index = {f.key: p for f, p in zip(futures, todo)}
        for fut in as_completed(futures):
            record(index[fut.key], fut.result())
    finally:
        for obj in own:
            obj.close()
