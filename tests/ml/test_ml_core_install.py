"""On a core install (no torch) the ml experiments are listed, say how to install the extra, and the tour
skips them. These tests need no torch: they hide it."""

import sys

import pytest

import neuroladder as nl
from neuroladder.cli import main
from neuroladder.experiments import ml as ml_experiments
from neuroladder.experiments import registry


def test_import_neuroladder_does_not_import_torch():
    import subprocess

    code = "import sys, neuroladder, neuroladder.experiments, neuroladder.cli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_torch_the_experiment_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)        # `import torch` now raises ImportError
    monkeypatch.delitem(sys.modules, "neuroladder.ml", raising=False)
    with pytest.raises(nl.MissingExtraError, match=r"pip install torch==2\.13\.0"):
        ml_experiments.neural_ode(quick=True)


def test_tour_skips_an_experiment_whose_extra_is_missing(monkeypatch, tmp_path, capsys):
    def needs_extra(quick=False):
        raise nl.MissingExtraError("install the ml extra")

    fake = {"needs-extra": registry.Experiment("needs-extra", needs_extra, "an experiment of an extra")}
    monkeypatch.setattr(registry, "REGISTRY", fake)
    import neuroladder.experiments as experiments

    monkeypatch.setattr(experiments, "REGISTRY", fake)
    assert main(["tour", "--quick", "--jobs", "1", "--out", str(tmp_path)]) == 0      # skipped, not failed
    assert "skipped: install the ml extra" in capsys.readouterr().out
