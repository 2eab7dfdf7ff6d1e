"""The ``neuroladder`` command: list, run and tour the experiments; validate, run and sweep spec files.

    neuroladder list
    neuroladder run NAME [--set key=value ...] [--out DIR] [--json] [--quick]
    neuroladder run SPEC.toml [--out DIR] [--json]
    neuroladder validate SPEC.toml
    neuroladder sweep SPEC.toml --grid KEY=START:STOP:NUM [--grid ...] --out DIR [--local N | --scheduler ADDRESS]
    neuroladder tour [--out DIR] [--full] [--jobs N]
    neuroladder report DIR
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .core.errors import MissingExtraError, NeuroLadderError


def _cmd_list(args) -> int:
    from .experiments import REGISTRY

    width = max(len(n) for n in REGISTRY)
    for name, exp in REGISTRY.items():
        params = ", ".join(f"{k}={v!r}" + (f" {exp.params[k]}" if k in exp.params else "")
                           for k, v in exp.defaults.items())
        print(f"{name:<{width}}  {exp.description}")
        if params:
            print(f"{'':<{width}}  parameters: {params}")
    return 0


def _print_metrics(name, result) -> None:
    print(f"{name}  ({result.seconds:.1f} s)")
    width = max((len(k) for k in result.metrics), default=0)
    for key in result.metrics:
        print(f"  {key:<{width}}  {result.shown(key)}")
    for path in result.paths:
        print(f"  figure: {path}")


def _is_spec(name: str) -> bool:
    return name.endswith(".toml")


def _cmd_validate(args) -> int:
    from .io.spec import load_spec

    spec = load_spec(args.spec)
    print(f"{args.spec}: valid {spec.kind} spec {spec.name!r} ({spec.duration:g} ms at dt = {spec.dt:g} ms)")
    return 0


def _cmd_run_spec(args) -> int:
    from .io.spec_run import run_spec, save_run

    if args.set or args.quick:
        raise NeuroLadderError("--set and --quick are for named experiments; a spec file is changed by editing it "
                               "or swept with `neuroladder sweep`")
    run = run_spec(args.name)
    out = Path(args.out) if args.out else Path("neuroladder-out") / run.spec.name
    save_run(run, out)
    if args.json:
        print(run.to_json())
    else:
        print(f"{run.spec.name}  ({run.spec.kind} spec)")
        width = max((len(k) for k in run.metrics), default=0)
        for key, value in run.metrics.items():
            print(f"  {key:<{width}}  {value:.6g}" if isinstance(value, float) else f"  {key:<{width}}  {value}")
        for path in run.paths:
            print(f"  file: {path}")
    return 0


def _cmd_sweep(args) -> int:
    from .sweeps import parse_grid, sweep

    grid = parse_grid(args.grid or [])
    if args.local is not None and args.scheduler is not None:
        raise NeuroLadderError("--local and --scheduler exclude each other")
    if args.scheduler is not None:
        executor = "dask" if args.scheduler == "local" else args.scheduler
    else:
        executor = ("local", 1 if args.local is None else args.local)
    result = sweep(args.spec, grid, out=args.out, executor=executor, progress=None)
    print(f"sweep: {result.n_done} points done ({result.n_computed} computed now, {result.n_skipped} already there, "
          f"{result.n_failed} failed); summary: {result.summary_path}")
    return 1 if result.n_failed else 0


def _cmd_report(args) -> int:
    from .report.site import report_folder

    path = report_folder(args.dir)
    print(f"report: {path.resolve()}")
    return 0


def _cmd_run(args) -> int:
    from .experiments import run

    if _is_spec(args.name):
        return _cmd_run_spec(args)

    out = Path(args.out) if args.out else Path("neuroladder-out") / args.name
    settings = {}
    for item in args.set or []:
        if "=" not in item:
            raise NeuroLadderError(f"--set {item!r}: expected key=value (e.g. --set duration=500)")
        key, value = item.split("=", 1)
        settings[key.strip()] = value.strip()
    result = run(args.name, out_dir=out, quick=args.quick, **settings)
    if args.json:
        print(result.to_json())
    else:
        _print_metrics(args.name, result)
    return 0


def _tour_one(name: str, out: str, quick: bool) -> tuple[str, dict | None, str]:
    """Run one experiment of the tour (in a worker process): (status, report section, message)."""
    from .experiments import REGISTRY, run

    exp = REGISTRY[name]
    start = time.perf_counter()
    try:
        result = run(name, out_dir=Path(out), quick=quick)
    except MissingExtraError as err:  # an optional extra is not installed: skipped, not failed
        return "skipped", None, f"skipped: {err}"
    except Exception as err:  # noqa: BLE001 - one failing experiment must not lose the whole report
        return "failed", {"name": name, "description": exp.description, "metrics": {}, "figures": [],
                          "seconds": time.perf_counter() - start, "error": f"{type(err).__name__}: {err}"}, \
            f"FAILED: {type(err).__name__}: {err}"
    return "done", {"name": name, "description": exp.description, "metrics": result.metrics, "notes": result.notes,
                    "figures": [p.name for p in result.paths], "seconds": result.seconds}, \
        f"done ({result.seconds:.1f} s)"


def _cmd_tour(args) -> int:
    """Every experiment, in ``--jobs`` worker processes (the experiments are independent), then the report.
    The quick versions unless ``--full``: the tour is a first look (a few minutes on two cores, cold)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .experiments import REGISTRY

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = list(REGISTRY)
    jobs = args.jobs or min(4, multiprocessing.cpu_count())
    if args.quick and args.full:
        raise NeuroLadderError("choose --quick (the default) or --full, not both")
    quick = not args.full
    total = time.perf_counter()
    print(f"tour: {len(names)} experiments{' (quick versions)' if quick else ' (full size)'}, {jobs} at a time", flush=True)
    sections, failures = {}, 0

    def record(j, name, outcome):
        nonlocal failures
        status, section, message = outcome
        print(f"[{j}/{len(names)}] {name} {message}", flush=True)
        failures += status == "failed"
        if section is not None:
            sections[name] = section

    if jobs == 1:
        for j, name in enumerate(names, start=1):
            record(j, name, _tour_one(name, str(out), quick))
    else:
        # spawned workers: numba's thread pool and torch are not safe across fork
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_tour_one, name, str(out), quick): name for name in names}
            for j, future in enumerate(as_completed(futures), start=1):
                record(j, futures[future], future.result())
    ordered = [sections[name] for name in names if name in sections]
    from .report.site import write_site
    from .report.validation import evaluate

    path = write_site(out, ordered, evaluate(ordered))
    print(f"report: {path.resolve()}  ({time.perf_counter() - total:.0f} s, {len(ordered) - failures} of "
          f"{len(ordered)} experiments succeeded)")
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neuroladder", description="The ladder of neuron models: run experiments.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the registered experiments and their parameters")
    p_run = sub.add_parser("run", help="run one experiment, print its metrics, write its figures")
    p_run.add_argument("name", help="an experiment's name, or a spec file (.toml)")
    p_run.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter (repeatable)")
    p_run.add_argument("--out", help="folder for the PNG figures (default neuroladder-out/NAME)")
    p_run.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p_run.add_argument("--quick", action="store_true", help="smaller, faster version")
    p_tour = sub.add_parser("tour", help="run every experiment and write an HTML report")
    p_tour.add_argument("--out", default="neuroladder-report", help="report folder (default neuroladder-report)")
    p_tour.add_argument("--quick", action="store_true", help="the experiments' quick versions (the default)")
    p_tour.add_argument("--full", action="store_true", help="the experiments' full-size versions (several times longer)")
    p_tour.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="experiments run at a time, in worker processes (default: the CPUs, at most 4)")
    p_val = sub.add_parser("validate", help="check a spec file (.toml) without running it")
    p_val.add_argument("spec")
    p_sw = sub.add_parser("sweep", help="run a spec over a parameter grid, one result file per point (resumable)")
    p_sw.add_argument("spec")
    p_sw.add_argument("--grid", action="append", metavar="KEY=START:STOP:NUM",
                      help="a dotted spec key and its values: START:STOP:NUM (linspace) or v1,v2,... (repeatable)")
    p_sw.add_argument("--out", required=True, help="sweep folder (rerunning resumes it)")
    p_sw.add_argument("--local", type=int, metavar="N", help="N local worker processes (default 1)")
    p_sw.add_argument("--scheduler", metavar="ADDRESS",
                      help="a Dask scheduler address (tcp://host:8786), or 'local' for a Dask LocalCluster")
    p_rep = sub.add_parser("report", help="write the HTML report of a run or sweep folder")
    p_rep.add_argument("dir")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"list": _cmd_list, "run": _cmd_run, "tour": _cmd_tour, "validate": _cmd_validate, "sweep": _cmd_sweep,
               "report": _cmd_report}[args.command]
    try:
        return handler(args)
    except NeuroLadderError as err:
        print(f"neuroladder: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
