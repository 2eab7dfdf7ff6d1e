"""The HTML report of ``neuroladder tour``: every experiment's figures and metrics on one page."""

from __future__ import annotations

import datetime
import html
import platform
from pathlib import Path


def _fmt(value, note: str | None = None) -> str:
    if value is None:
        return html.escape(f"n/a ({note or 'undefined'})")
    if isinstance(value, float):
        return f"{value:.6g}"
    return html.escape(str(value))


def write_report(out_dir: Path, sections: list[dict], title: str = "neuroladder tour") -> Path:
    """Write ``out_dir/index.html``.

    ``sections``: dicts with keys ``name``, ``description``, ``metrics`` (flat dict; None for an
    undefined value), ``figures`` (paths relative to out_dir), ``seconds`` (wall time) and optionally
    ``notes`` (metric -> why it is None) and ``error`` (a message).
    """
    from .. import __version__

    out_dir = Path(out_dir)
    parts = [f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto;
       color: #222; line-height: 1.45; }}
h1 {{ margin-bottom: 0.2em; }} h2 {{ border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }}
td, th {{ border: 1px solid #ddd; padding: 3px 10px; text-align: left; }} th {{ background: #f4f4f4; }}
img {{ max-width: 100%; border: 1px solid #eee; margin: 0.4em 0; }}
.meta {{ color: #666; font-size: 0.9em; }} .error {{ color: #b00; white-space: pre-wrap; }}
nav a {{ margin-right: 1em; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="meta">neuroladder {__version__} &middot; {datetime.datetime.now():%Y-%m-%d %H:%M} &middot;
Python {platform.python_version()} on {html.escape(platform.machine())}</p>
<nav>{''.join(f'<a href="#{html.escape(s["name"])}">{html.escape(s["name"])}</a>' for s in sections)}</nav>"""]
    for s in sections:
        parts.append(f'<h2 id="{html.escape(s["name"])}">{html.escape(s["name"])}</h2>')
        parts.append(f'<p>{html.escape(s.get("description", ""))} '
                     f'<span class="meta">({s.get("seconds", 0.0):.1f} s)</span></p>')
        if s.get("error"):
            parts.append(f'<p class="error">failed: {html.escape(s["error"])}</p>')
            continue
        notes = s.get("notes", {})
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{_fmt(v, notes.get(k))}</td></tr>"
                       for k, v in s["metrics"].items())
        parts.append(f"<table><tr><th>metric</th><th>value</th></tr>{rows}</table>")
        for fig in s["figures"]:
            parts.append(f'<img src="{html.escape(str(fig))}" alt="{html.escape(str(fig))}">')
    parts.append("</body></html>")
    path = out_dir / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
