"""Malformed specs: one error naming the key, exit status 2, no traceback; a fuzz test over mutations."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from neuroladder.cli import main
from neuroladder.io.spec import read_toml

SPECS = Path(__file__).resolve().parents[2] / "examples" / "specs"

HH = """duration = 100.0
dt = 0.01
[neuron]
model = "HodgkinHuxley"
[[neuron.stimulus]]
type = "step"
amplitude = 10.0
start = 20.0
"""


@pytest.mark.parametrize("text, key, words", [
    (HH.replace('"HodgkinHuxley"', '"HodgkinHuxly"'), "neuron.model", "HodgkinHuxley"),           # unknown model
    (HH.replace("duration = 100.0", 'duration = "100"'), "duration", "number"),                    # wrong type
    (HH.replace("duration = 100.0\n", ""), "duration", "missing"),                                 # missing key
    (HH.replace("dt = 0.01", "dt = -0.01"), "dt", "greater than 0"),                               # out of range
    (HH.replace('model = "HodgkinHuxley"', 'model = "HodgkinHuxley"\ntemperatur = 6.3'),
     "neuron.temperatur", "unknown key"),                                                          # unknown key
    (HH.replace('model = "HodgkinHuxley"', 'model = "HodgkinHuxley"\nparams = { g_na = -1.0 }'),
     "neuron.params", "g_na"),                                                                     # model range
    (HH.replace('model = "HodgkinHuxley"', 'model = "HodgkinHuxley"\nparams = { gna = 1.0 }'),
     "neuron.params", "gna"),                                                                      # unknown param
    (HH.replace("amplitude = 10.0", "amplitude = nan"), "amplitude", "finite"),                     # NaN
    (HH.replace("[neuron]", "[neuron"), "not a TOML file", "TOML"),                                  # not TOML
])
def test_malformed_spec_gives_one_error_naming_the_key(tmp_path, capsys, text, key, words):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("neuroladder: error: ")
    assert key in err and words.lower() in err.lower(), err
    assert main(["run", str(path)]) == 2


def test_binary_file_and_missing_file(tmp_path, capsys):
    path = tmp_path / "x.toml"
    path.write_bytes(b"\xff\xfe\x00\x01")
    assert main(["validate", str(path)]) == 2
    assert main(["validate", str(tmp_path / "nope.toml")]) == 2
    err = capsys.readouterr().err
    assert "not a TOML file" in err and "cannot read" in err and "Traceback" not in err


def _mutate(data, rng: random.Random):
    """One random change somewhere in the tree: delete a key, change a type, push a value out of range,
    add an unknown key, or empty a list."""
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append(path + (k,))
                walk(v, path + (k,))
        elif isinstance(node, list):
            for j, v in enumerate(node):
                paths.append(path + (j,))
                walk(v, path + (j,))
    walk(data, ())
    path = rng.choice(paths)
    parent = data
    for p in path[:-1]:
        parent = parent[p]
    last = path[-1]
    old = parent[last]
    kind = rng.choice(["delete", "type", "negative", "huge", "zero", "unknown", "string", "list", "bool"])
    if kind == "delete":
        del parent[last]
    elif kind == "type":
        parent[last] = {"x": 1} if not isinstance(old, dict) else 3.0
    elif kind == "negative" and isinstance(old, (int, float)) and not isinstance(old, bool):
        parent[last] = -abs(old) - 1
    elif kind == "huge":
        parent[last] = 1e300 if not isinstance(old, int) else 10**15
    elif kind == "zero":
        parent[last] = 0
    elif kind == "unknown" and isinstance(old, dict):
        old["no_such_key"] = 1.0
    elif kind == "string":
        parent[last] = "abc"
    elif kind == "list":
        parent[last] = []
    else:
        parent[last] = True
    return data


def _dump(data) -> str:
    """A small TOML writer for the mutated trees (inline tables; tomllib reads it back)."""
    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v) if isinstance(v, int) or v == v else "nan"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return "{" + ", ".join(f'"{k}" = {value(x)}' for k, x in v.items()) + "}"
    return "\n".join(f'"{k}" = {value(v)}' for k, v in data.items()) + "\n"


def _run_briefly(path) -> int:
    import neuroladder as nl
    from neuroladder.io import load_spec, run_spec

    try:
        spec = load_spec(path)
        run_spec(load_spec(path, {"duration": min(spec.duration, 5.0)}), figures=False)
    except nl.NeuroLadderError:
        pass
    return 1


def test_fuzzed_specs_never_raise_a_traceback(tmp_path, capsys):
    rng = random.Random(19)
    originals = {p.name: read_toml(p) for p in sorted(SPECS.glob("*.toml"))}
    for data in originals.values():  # the mutated copies live elsewhere: connectome files by absolute path
        for key in ("weights", "lengths"):
            if key in data.get("brain", {}):
                data["brain"][key] = str(SPECS / data["brain"][key])
    assert len(originals) >= 4
    outcomes = {0: 0, 2: 0}
    ran = 0
    for trial in range(160):
        name = rng.choice(sorted(originals))
        data = copy.deepcopy(originals[name])
        for _ in range(rng.randint(1, 3)):
            if data:
                data = _mutate(data, rng)
        path = tmp_path / name
        text = _dump(data)
        if trial % 10 == 0:
            text = text[: rng.randint(0, len(text))]  # truncated: often not TOML any more
        path.write_text(text)
        rc = main(["validate", str(path)])  # any exception escaping here fails the test with its traceback
        assert rc in outcomes
        outcomes[rc] += 1
        if rc == 0 and ("neuron" in data or "cell" in data):
            # what validates also builds and runs (briefly) or fails with a neuroladder error, never deeper
            ran += _run_briefly(path)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert outcomes[2] > 100  # the mutations do produce errors, each reported as one line
    assert ran >= 3, ran  # (4 with this seed)
    assert err.count("neuroladder: error: ") == outcomes[2] == err.count("\n")
