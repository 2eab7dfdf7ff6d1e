"""The HTML report: the validation table's logic, and the site opened in headless Chromium.

The browser test uses Debian's ``chromium`` (``.ci/run`` installs it): it takes a screenshot and
reads back, after the load event, how many images the page has and how many failed to load
(``data-images`` / ``data-broken``, set by the page's own script), and checks that the browser's
console log is empty. A copy of the site with one figure deleted must be caught (negative control).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from neuroladder.cli import main
from neuroladder.experiments import run
from neuroladder.report.site import write_site
from neuroladder.report.validation import CHECKS, Check, evaluate

SPECS = Path(__file__).resolve().parents[2] / "examples" / "specs"


def test_validation_rows_pass_fail_and_skip():
    checks = (Check("a", "x", 1.0, "theory", tolerance=0.1), Check("a", "y", "y_theory", "formula", tolerance=0.01,
                                                                     relative=True),
              Check("a", "z", 0.5, "bound", kind="below"), Check("b", "x", 1.0, "paper", tolerance=0.1),
              Check("c", "x", 1.0, "paper", tolerance=0.1))
    sections = [{"name": "a", "metrics": {"x": 1.05, "y": 2.03, "y_theory": 2.0, "z": float("nan")}},
                {"name": "b", "metrics": {}, "error": "ValueError: boom"}]
    rows = evaluate(sections, checks)
    # 1.05 within 0.1 of 1; 2.03 is 1.5 % off 2.0 (> 1 %); NaN is no number; b failed; c did not run
    assert [r["status"] for r in rows] == ["pass", "fail", "fail", "fail", "skip"]
    assert rows[1]["reference"] == 2.0 and "y_theory" in rows[1]["reference_text"]


def test_every_check_names_a_registered_experiment_and_a_source():
    from neuroladder.experiments import REGISTRY

    for c in CHECKS:
        assert c.experiment in REGISTRY, c
        assert len(c.source) > 15 and c.kind in ("approx", "below", "above")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.environ.get("NEUROLADDER_REQUIRE_BROWSER"):
        pytest.fail("chromium is not installed (apt-get install chromium); CI requires the browser test")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def _open(browser: str, page: Path, screenshot: Path) -> tuple[str, str]:
    """The DOM after the load event and the browser's log, plus a screenshot of the page."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--allow-file-access-from-files",
             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"]
    url = page.resolve().as_uri()
    env = {**os.environ, "HOME": str(screenshot.parent)}  # chromium's profile goes there, not into ~
    proc = subprocess.run([browser, *flags, "--window-size=1280,2400", f"--screenshot={screenshot}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


def _body(dom: str) -> dict:
    tag = re.search(r"<body([^>]*)>", dom).group(1)
    return dict(re.findall(r'data-([a-z]+)="([^"]*)"', tag))


def _console(log: str) -> list[str]:
    return [line for line in log.splitlines() if "CONSOLE" in line]


def test_report_in_headless_chromium(tmp_path):
    browser = _chromium()
    site = tmp_path / "site"
    sections = []
    for name in ("cable-steady-state", "lif-fi"):
        res = run(name, out_dir=site, quick=True)
        sections.append({"name": name, "description": "", "metrics": res.metrics,
                         "figures": [p.name for p in res.paths], "seconds": res.seconds})
    validation = evaluate(sections)
    index = write_site(site, sections, validation)
    # the three checks of these two experiments pass; the others were not run
    statuses = {(r["experiment"], r["check"]): r["status"] for r in validation}
    assert statuses[("cable-steady-state", "max_rel_error")] == "pass"
    assert statuses[("lif-fi", "max_rel_error")] == statuses[("lif-fi", "rheobase_pa")] == "pass"
    # a sweep folder's report, with a plot per metric
    assert main(["sweep", str(SPECS / "hh_step.toml"), "--grid", "neuron.stimulus.0.amplitude=0:12:3",
                 "--out", str(tmp_path / "sweep")]) == 0
    assert main(["report", str(tmp_path / "sweep")]) == 0
    pages = [index, site / "exp-lif-fi.html", tmp_path / "sweep" / "index.html"]
    for k, page in enumerate(pages):
        n_img = len(re.findall(r"<img ", page.read_text()))
        assert n_img >= 1
        dom, log = _open(browser, page, tmp_path / f"shot{k}.png")
        body = _body(dom)
        assert body.get("images") == str(n_img) and body.get("broken") == "0", (page, body)
        assert _console(log) == [], (page, _console(log))
        assert (tmp_path / f"shot{k}.png").stat().st_size > 10_000
        assert "validation" in dom.lower() or "sweep" in dom.lower()
    # negative control: a missing figure and a console message are caught by the same checks
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    (broken / sections[1]["figures"][0]).unlink()
    text = (broken / "index.html").read_text().replace("</body>", '<script>console.error("oops")</script></body>')
    (broken / "index.html").write_text(text)
    dom, log = _open(browser, broken / "index.html", tmp_path / "broken.png")
    assert _body(dom).get("broken") == "1" and "figure missing" in dom
    assert any("oops" in line for line in _console(log))


@pytest.mark.slow  # ~80-110 s: every experiment in its quick form
def test_quick_tour_passes_every_validation_check(tmp_path):
    import json

    assert main(["tour", "--quick", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "tour.json").read_text())
    rows = data["validation"]
    assert len(rows) == len(CHECKS)
    failed = [(r["experiment"], r["check"], r["value"], r["reference"]) for r in rows if r["status"] != "pass"]
    assert failed == []
    for s in data["sections"]:
        assert (tmp_path / f"exp-{s['name']}.html").is_file()
        assert all((tmp_path / f).is_file() for f in s["figures"])
    assert main(["report", str(tmp_path)]) == 0  # rebuilt from tour.json
