"""The static HTML site of ``neuroladder tour`` and ``neuroladder report DIR``.

A tour folder gets ``index.html`` (the validation table, then every experiment's metrics and figures),
one page per experiment (``exp-<name>.html``) and ``tour.json`` (what the pages were made from, so
``neuroladder report DIR`` can rebuild them). A sweep folder gets ``index.html`` with a plot of each
metric over the grid and the summary table; a spec run folder gets its metrics and figures.

The pages are plain HTML with one small inline script that marks a figure that failed to load
(``data-broken`` on ``<body>`` and a visible note), which the browser test reads back.
"""

from __future__ import annotations

import datetime
import html
import json
import math
import platform
from pathlib import Path

from ..core.errors import NeuroLadderError

#: metric-name endings -> units shown in the metric tables' unit column
_UNITS = [("_m_per_s", "m/s"), ("_hz", "Hz"), ("_ms", "ms"), ("_mv", "mV"), ("_um", "um"), ("_mohm", "MOhm"),
          ("_bits", "bits"), ("_pa", "pA"), ("_na", "nA"), ("_ua_cm2", "uA/cm^2"), ("_s", "s"), ("_deg", "deg")]

_CSS = """body { font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto;
       color: #222; line-height: 1.45; padding: 0 1em; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; } th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.4em 0; }
.meta { color: #666; font-size: 0.9em; } .error { color: #b00; white-space: pre-wrap; }
.pass { color: #060; font-weight: bold; } .fail { color: #b00; font-weight: bold; } .skip { color: #888; }
nav a { margin-right: 1em; } .broken { color: #b00; font-weight: bold; }"""

# marks figures that did not load: visible to a reader, and readable by a headless browser (data-broken)
_SCRIPT = """<script>
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var broken = images.filter(function (im) { return !(im.complete && im.naturalWidth > 0); });
  broken.forEach(function (im) {
    var note = document.createElement("span");
    note.className = "broken";
    note.textContent = "figure missing: " + im.getAttribute("src");
    im.insertAdjacentElement("afterend", note);
  });
  document.body.setAttribute("data-images", String(images.length));
  document.body.setAttribute("data-broken", String(broken.length));
});
</script>"""


def unit_of(metric: str) -> str:
    """The unit a metric's name ends with (``rate_hz`` -> Hz), or ''."""
    for ending, unit in _UNITS:
        if metric.endswith(ending):
            return unit
    return ""


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "undefined"
    if isinstance(value, float):
        return f"{value:.6g}"
    return html.escape(str(value))


def _page(title: str, body: list[str], nav: str = "") -> str:
    from .. import __version__

    return "\n".join([
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>',
        f"<style>{_CSS}</style></head><body>",
        nav,
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">neuroladder {__version__} &middot; {datetime.datetime.now():%Y-%m-%d %H:%M} &middot; '
        f"Python {platform.python_version()} on {html.escape(platform.machine())}</p>",
        *body, _SCRIPT, "</body></html>"])


def metrics_table(metrics: dict) -> str:
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td class=\"num\">{_fmt(v)}</td><td>{unit_of(k)}</td></tr>"
                   for k, v in metrics.items())
    return f"<table><tr><th>metric</th><th>value</th><th>unit</th></tr>{rows}</table>"


def validation_table(rows: list[dict], pages=()) -> str:
    """The validation table: what, the number, the reference, the tolerance, pass/fail, the source."""
    out = ["<table><tr><th>experiment</th><th>check</th><th>value</th><th>reference</th><th>tolerance</th>"
           "<th>result</th><th>source of the reference</th></tr>"]
    for r in rows:
        name = html.escape(r["experiment"])
        where = f'<a href="exp-{name}.html">{name}</a>' if r["experiment"] in pages else name
        value = "not run" if r["status"] == "skip" else _fmt(r["value"])
        out.append(f"<tr><td>{where}</td><td>{html.escape(r['check'])}</td><td class=\"num\">{value}</td>"
                   f"<td class=\"num\">{html.escape(r['reference_text'])}</td><td>{html.escape(r['tolerance_text'])}"
                   f"</td><td class=\"{r['status']}\">{r['status']}</td><td>{html.escape(r['source'])}</td></tr>")
    out.append("</table>")
    return "".join(out)


def write_site(out_dir, sections: list[dict], validation: list[dict] | None = None,
               title: str = "neuroladder tour") -> Path:
    """Write the tour site into ``out_dir`` and return the index's path.

    ``sections``: dicts with ``name``, ``description``, ``metrics``, ``figures`` (file names in
    out_dir), ``seconds`` and optionally ``error``. ``validation``: rows of
    :func:`neuroladder.report.validation.evaluate`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    validation = validation or []
    (out / "tour.json").write_text(_strict({"title": title, "sections": sections, "validation": validation}))
    nav = '<nav><a href="index.html">index</a>' + "".join(
        f'<a href="exp-{html.escape(s["name"])}.html">{html.escape(s["name"])}</a>' for s in sections) + "</nav>"
    counts = {k: sum(r["status"] == k for r in validation) for k in ("pass", "fail", "skip")}
    ok = sum(not s.get("error") for s in sections)
    body = [f"<p>{ok} of {len(sections)} experiments ran; validation: <span class=\"pass\">{counts['pass']} pass</span>, "
            f"<span class=\"fail\">{counts['fail']} fail</span>, <span class=\"skip\">{counts['skip']} not run</span>.</p>",
            "<h2 id=\"validation\">Validation table</h2>",
            "<p>Each number against a reference the code did not produce: an analytic result, a published value, "
            "or a peer simulator's output recorded with its command.</p>",
            validation_table(validation, pages={s["name"] for s in sections})]
    for s in sections:
        name = html.escape(s["name"])
        body.append(f'<h2 id="{name}"><a href="exp-{name}.html">{name}</a></h2>')
        body.extend(_section_body(s))
        _write(out / f"exp-{s['name']}.html", _page(s["name"], [
            f"<p>{html.escape(s.get('description', ''))}</p>", *(_section_body(s, heading=False)),
            "<h2>Validation</h2>",
            validation_table([r for r in validation if r["experiment"] == s["name"]])
            if any(r["experiment"] == s["name"] for r in validation) else "<p>No check declared.</p>"], nav))
    index = out / "index.html"
    _write(index, _page(title, body, nav))
    return index


def _section_body(s: dict, heading: bool = True) -> list[str]:
    parts = []
    if heading:
        parts.append(f"<p>{html.escape(s.get('description', ''))} "
                     f"<span class=\"meta\">({s.get('seconds', 0.0):.1f} s)</span></p>")
    if s.get("error"):
        parts.append(f'<p class="error">failed: {html.escape(s["error"])}</p>')
        return parts
    parts.append(metrics_table(s["metrics"]))
    for fig in s.get("figures", []):
        alt = f"{s['name']}: {Path(str(fig)).stem}"
        parts.append(f'<img src="{html.escape(str(fig))}" alt="{html.escape(alt)}">')
    return parts


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _strict(obj) -> str:
    from ..io.spec_run import strict_json

    return strict_json(obj)


# ------------------------------------------------------------------------------ neuroladder report
def report_folder(folder) -> Path:
    """(Re)write the report of a tour, sweep or spec-run folder; returns ``index.html``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NeuroLadderError(f"{folder}: no such folder (give a tour, sweep or run folder)")
    if (folder / "tour.json").is_file():
        data = json.loads((folder / "tour.json").read_text())
        return write_site(folder, data["sections"], data.get("validation"), data.get("title", "neuroladder tour"))
    if (folder / "sweep.json").is_file():
        return write_sweep_report(folder)
    if (folder / "metrics.json").is_file():
        data = json.loads((folder / "metrics.json").read_text())
        figures = sorted(p.name for p in folder.glob("*.png"))
        section = {"name": data.get("spec", folder.name), "description": f"{data.get('kind', '')} spec run",
                   "metrics": data["metrics"], "figures": figures, "seconds": 0.0}
        return write_site(folder, [section], [], title=f"run: {section['name']}")
    raise NeuroLadderError(f"{folder}: neither a tour (tour.json), a sweep (sweep.json) nor a run (metrics.json) "
                           f"folder")


def write_sweep_report(folder) -> Path:
    """``index.html`` of a sweep folder: each metric plotted over the grid, and the summary table."""
    from ..sweeps import read_points, write_summary
    from .style import figure, save

    folder = Path(folder)
    manifest = json.loads((folder / "sweep.json").read_text())
    keys = list(manifest["grid"])
    write_summary(folder)
    records = [r for r in read_points(folder) if r["status"] == "ok"]
    names = []
    for r in records:
        names += [m for m, v in r["metrics"].items() if isinstance(v, (int, float)) and m not in names]
    body = [f"<p>{html.escape(manifest['target'])} over {', '.join(html.escape(k) for k in keys)}: "
            f"{len(records)} of {len(manifest['points'])} points finished without error. "
            f'Table: <a href="summary.csv">summary.csv</a>.</p>']
    x_key = next((k for k in keys if all(isinstance(r["params"][k], (int, float)) for r in records)), None)
    for metric in names:
        fig, ax = figure(1, 1, width=6.0, height=3.4)
        others = [k for k in keys if k != x_key]
        groups: dict = {}
        for r in records:
            label = ", ".join(f"{k} = {r['params'][k]}" for k in others)
            x = r["params"][x_key] if x_key else len(groups.get(label, []))
            y = r["metrics"].get(metric)
            groups.setdefault(label, []).append((x, float("nan") if y is None else float(y)))
        for label, pts in list(groups.items())[:12]:
            pts.sort()
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", ms=3, label=label or None)
        ax.set_xlabel(f"{x_key}" if x_key else "point")
        unit = unit_of(metric)
        ax.set_ylabel(f"{metric} ({unit})" if unit else metric)
        if any(groups) and len(groups) > 1:
            ax.legend(fontsize=7)
        path = folder / f"sweep_{_safe(metric)}.png"
        save(fig, path)
        body.append(f'<h2>{html.escape(metric)}</h2><img src="{path.name}" alt="{html.escape(metric)} over the grid">')
    body.append("<h2>Points</h2>")
    rows = "".join("<tr>" + "".join(f"<td>{_fmt(r['params'][k])}</td>" for k in keys) + f"<td>{r['status']}</td>"
                   + "".join(f'<td class="num">{_fmt(r["metrics"].get(m))}</td>' for m in names) + "</tr>"
                   for r in read_points(folder))
    body.append("<table><tr>" + "".join(f"<th>{html.escape(k)}</th>" for k in keys) + "<th>status</th>"
                + "".join(f"<th>{html.escape(m)}</th>" for m in names) + f"</tr>{rows}</table>")
    index = folder / "index.html"
    _write(index, _page(f"sweep: {folder.name}", body))
    return index


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
