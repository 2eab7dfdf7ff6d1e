"""Brain networks: delays through the ring buffer, connectome checks."""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl


def test_a_pulse_arrives_after_exactly_the_delay():
    # node 0 -> node 1 with 7.3 ms (73 steps of 0.1 ms): node 1 first moves one delay (plus its own
    # one integration step, as node 0 did) after node 0 first moves
    w = np.array([[0.0, 0.0], [1.0, 0.0]])
    d = np.array([[0.0, 0.0], [7.3, 0.0]])
    net = nl.BrainNetwork(nl.WilsonCowan(), w, delays=d, coupling=5.0, dt=0.1)
    res = net.run(30.0, current=np.array([2.0, 0.0]))
    e = res["E"]
    t0 = res.t[np.flatnonzero(np.abs(e[:, 0]) > 1e-12)[0]]
    t1 = res.t[np.flatnonzero(np.abs(e[:, 1]) > 1e-12)[0]]
    assert t1 - t0 == pytest.approx(7.3, abs=0.1 + 1e-9)   # to dt, as the issue asks
    assert t1 - t0 == pytest.approx(7.3 + 0.1, abs=1e-9)   # and exactly: delay + one step


def test_connectome_from_csv_and_npy(tmp_path):
    w, lengths = nl.mass.example_connectome(10, seed=1)
    np.savetxt(tmp_path / "w.csv", w, delimiter=",")
    np.save(tmp_path / "l.npy", lengths)
    net = nl.BrainNetwork(nl.WilsonCowan(), tmp_path / "w.csv", lengths=tmp_path / "l.npy", velocity=5.0)
    np.testing.assert_allclose(net.weights, w)
    assert np.all(net.delay_steps == np.rint(lengths / 5.0 / 0.1))


@pytest.mark.parametrize("weights, kwargs, match", [
    (np.ones((3, 4)), {}, "square"),
    (np.array([[0.0, np.nan], [1.0, 0.0]]), {}, "NaN"),
    (np.array([[0.0, -1.0], [1.0, 0.0]]), {}, "weights must be >= 0"),
    (np.ones((2, 2)), {"delays": -np.ones((2, 2))}, "delays"),
    (np.ones((2, 2)), {"delays": np.ones((3, 3))}, "delays"),
])
def test_bad_connectomes(weights, kwargs, match):
    with pytest.raises(nl.ParameterError, match=match):
        nl.BrainNetwork(nl.WilsonCowan(), weights, **kwargs)


def test_non_numeric_csv_is_a_spec_error(tmp_path):
    (tmp_path / "bad.csv").write_text("0,1\n1,x\n")
    with pytest.raises(nl.SpecError):
        nl.BrainNetwork(nl.WilsonCowan(), tmp_path / "bad.csv")
