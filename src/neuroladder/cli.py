"""The ``neuroladder`` command: list, run and tour the experiments.

    neuroladder list
    neuroladder run NAME [--set key=value ...] [--out DIR] [--json] [--quick]
    neuroladder tour [--out DIR] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .core.errors import NeuroLadderError


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


def _cmd_run(args) -> int:
    from .experiments import run

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


def _cmd_tour(args) -> int:
    from .experiments import REGISTRY, run
    from .report import write_report

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sections = []
    failures = 0
    total = time.perf_counter()
    for j, (name, exp) in enumerate(REGISTRY.items(), start=1):
        print(f"[{j}/{len(REGISTRY)}] {name} ...", end=" ", flush=True)
        start = time.perf_counter()
        try:
            result = run(name, out_dir=out, quick=args.quick)
            sections.append({"name": name, "description": exp.description, "metrics": result.metrics,
                             "notes": result.notes, "figures": [p.name for p in result.paths],
                             "seconds": result.seconds})
            print(f"done ({result.seconds:.1f} s)", flush=True)
        except Exception as err:  # noqa: BLE001 - one failing experiment must not lose the whole report
            failures += 1
            sections.append({"name": name, "description": exp.description, "metrics": {}, "figures": [],
                             "seconds": time.perf_counter() - start, "error": f"{type(err).__name__}: {err}"})
            print(f"FAILED: {type(err).__name__}: {err}", flush=True)
    path = write_report(out, sections)
    print(f"report: {path.resolve()}  ({time.perf_counter() - total:.0f} s, {len(sections) - failures} of "
          f"{len(sections)} experiments succeeded)")
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neuroladder", description="The ladder of neuron models: run experiments.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the registered experiments and their parameters")
    p_run = sub.add_parser("run", help="run one experiment, print its metrics, write its figures")
    p_run.add_argument("name")
    p_run.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter (repeatable)")
    p_run.add_argument("--out", help="folder for the PNG figures (default neuroladder-out/NAME)")
    p_run.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p_run.add_argument("--quick", action="store_true", help="smaller, faster version")
    p_tour = sub.add_parser("tour", help="run every experiment and write an HTML report")
    p_tour.add_argument("--out", default="neuroladder-report", help="report folder (default neuroladder-report)")
    p_tour.add_argument("--quick", action="store_true", help="smaller, faster versions of the experiments")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"list": _cmd_list, "run": _cmd_run, "tour": _cmd_tour}[args.command]
    try:
        return handler(args)
    except NeuroLadderError as err:
        print(f"neuroladder: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
