"""Brain networks: delays through the ring buffer, connectome checks."""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl


@pytest.mark.slow  # ~13 s: compiles the brain-network kernel; the default run must stay near 5 minutes cold (CI runs slow tests too)
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


@nl.kernel(cache=False)
def _leaky_equations(t, y, p, i_ext, a, b):
    for k in range(y.shape[1]):
        a[0, k] = i_ext[k] / p[0, k]
        b[0, k] = -1.0 / p[0, k]


from dataclasses import dataclass  # noqa: E402


@dataclass(frozen=True)
class _Leaky(nl.Model):
    """tau dx/dt = -x + I: a linear node whose coupled response is known in closed form."""

    tau: float = 10.0
    state_names = ("x",)
    spike_variable = "none"
    equations = staticmethod(_leaky_equations)

    def _pack(self):
        return (self.tau,)

    def initial_state(self):
        return {"x": 0.0}


# slow: the brain kernel compiles anew for this test-local model (~10 s; numba cannot cache it)
@pytest.mark.slow
def test_two_linear_nodes_follow_the_closed_form():
    # node 0: tau x0' = -x0 + 1 from x0(0) = 0, so x0 = 1 - exp(-t/tau); node 1 receives k x0(t - d),
    # k = coupling * w. Then for s = t - d > 0: x1 = k (1 - exp(-s/tau) - (s/tau) exp(-s/tau)),
    # the step response of two identical first-order stages in series (Laplace: k / (1 + tau p)^2).
    tau, d, w, coupling, dt = 10.0, 5.0, 0.5, 3.0, 0.01
    net = nl.BrainNetwork(_Leaky(tau=tau), np.array([[0.0, 0.0], [w, 0.0]]), delays=np.array([[0, 0], [d, 0]]),
                          coupling=coupling, dt=dt)
    res = net.run(100.0, current=np.array([1.0, 0.0]), method="rk4")
    t, x = res.t, res["x"]
    k = coupling * w
    np.testing.assert_allclose(x[:, 0], 1.0 - np.exp(-t / tau), atol=1e-9)
    s = np.clip(t - d, 0.0, None) / tau
    expected = k * (1.0 - np.exp(-s) - s * np.exp(-s))
    # the delayed input is read on the step grid (and one step late, as test_a_pulse_arrives... shows):
    # the error is then at most k * dt * max|x0'| = k dt / tau
    assert np.max(np.abs(x[:, 1] - expected)) < 2 * k * dt / tau
    assert x[-1, 1] == pytest.approx(k * (1 - 11 * np.exp(-9.5)), rel=1e-3)
