"""Every registered experiment refuses bad parameter values before running, with the CLI's one-line error.

The sweep iterates the registry, so experiments added later are swept too. Expected behaviour
(issue 15): ``neuroladder run brunel --set scale=0`` ended in ZeroDivisionError and
``run markov-reset --set duration=10`` in a numpy IndexError; both must be a ParameterError.
"""

from __future__ import annotations

import pytest

from neuroladder.cli import main
from neuroladder.core.errors import ParameterError
from neuroladder.experiments import REGISTRY, Choice, Range

BAD_VALUES = ["0", "-1", "1e12", "nan", "inf", "abc", "1.5"]


def _refused(exp, key, text) -> bool:
    """True when the registry's own checks reject ``text`` for ``key`` (so the sweep may run the CLI on it)."""
    from neuroladder.experiments.registry import parse_settings

    try:
        exp.check(parse_settings(exp, [f"{key}={text}"]))
    except ParameterError:
        return True
    return False


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_parameter_declares_its_range(name):
    exp = REGISTRY[name]
    for key, default in exp.defaults.items():
        if isinstance(default, bool) or key == "seed":
            continue
        rule = exp.params.get(key)
        assert isinstance(rule, (Range, Choice)), f"{name}: parameter {key!r} declares no Range/Choice"
        exp.check({key: default})  # the default itself is allowed


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_bad_values_give_one_line_error(name, capsys, tmp_path):
    exp = REGISTRY[name]
    swept = 0
    for key, default in exp.defaults.items():
        if isinstance(default, bool):
            continue
        # a huge, a non-finite and a non-numeric value are never allowed
        for text in ("1e12", "nan", "abc"):
            assert _refused(exp, key, text), f"{name}: {key}={text} is accepted"
        for text in BAD_VALUES:
            if not _refused(exp, key, text):
                continue  # an allowed value (e.g. noise=0): not run here, the quick-mode tests run experiments
            code = main(["run", name, "--set", f"{key}={text}", "--out", str(tmp_path)])
            err = capsys.readouterr().err
            assert code == 2, f"{name} {key}={text}: exit {code}"
            assert err.startswith("neuroladder: error: ") and err.count("\n") == 1, err
            assert "Traceback" not in err and key in err, err
            swept += 1
    assert swept > 0 or not exp.defaults


def test_the_reported_crashes_are_refused(capsys, tmp_path):
    for args in (["brunel", "--set", "scale=0"], ["markov-reset", "--set", "duration=10"]):
        assert main(["run", *args, "--out", str(tmp_path)]) == 2
        assert "allowed range" in capsys.readouterr().err


def test_python_api_values_are_typed_and_checked():
    from neuroladder.experiments import run

    with pytest.raises(ParameterError, match="integer"):
        run("hh-channel-block", n_currents=2.5)
    with pytest.raises(ParameterError, match="n_currents"):
        run("hh-channel-block", n_currents=1)
    with pytest.raises(ParameterError, match="seed"):
        run("markov-reset", seed=-1)
