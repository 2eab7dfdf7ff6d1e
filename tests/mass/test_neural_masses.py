"""Neural masses against their known behaviour.

* Jansen & Rit (1995): with the standard parameters and noisy input (120-320 pulses/s, here a
  Gaussian of the same mean 220 and SD 57.7 redrawn every ms) the EEG-like output y1 - y2 has its
  dominant spectral peak in the alpha band, between 8 and 12 Hz (Jansen & Rit 1995, Fig. 3; the
  issue's bound).
* Wilson & Cowan (1972), limit-cycle parameters: the dynamics tools' fixed points and their
  stability agree with simulation (a stable point attracts a nearby start; an unstable focus
  repels it onto a cycle), and the Hopf point where the upper focus regains stability, found from
  the Jacobian's eigenvalues, is where simulated oscillations vanish.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize
from scipy.signal import welch

import neuroladder as nl


def test_jansen_rit_alpha_peak():
    stim = nl.WhiteNoiseCurrent(220.0, 100.0 / np.sqrt(3.0), dt=1.0, seed=1)
    res = nl.simulate(nl.JansenRit(), 20_000.0, 0.1, current=stim, record=("y1", "y2"))
    eeg = nl.JansenRit.eeg(res)[20_000:]      # after a 2 s transient
    freqs, power = welch(eeg - eeg.mean(), fs=1e4, nperseg=2 ** 15)
    band = freqs > 1.0
    peak = freqs[band][np.argmax(power[band])]
    assert 8.0 <= peak <= 12.0


WC = nl.WilsonCowan()


def _upper_focus(p):
    fps = nl.fixed_points(WC, p, v_range=(0.12, 0.6), n_grid=241)
    assert len(fps) == 1
    return fps[0]


@pytest.mark.parametrize("p", [0.5, 2.5])
def test_stable_fixed_points_attract_simulations(p):
    fp = [f for f in nl.fixed_points(WC, p, v_range=(-0.05, 0.6), n_grid=601) if f.stable][0]
    start = {"E": fp.state[0] + 0.01, "I": fp.state[1] + 0.01}
    res = nl.simulate(WC, 3000.0, 0.05, current=p, initial_state=start, record=("E", "I"))
    assert abs(res["E"][-1] - fp.state[0]) < 1e-6 and abs(res["I"][-1] - fp.state[1]) < 1e-6


def test_unstable_focus_repels_onto_a_limit_cycle():
    fp = _upper_focus(1.25)
    assert fp.kind == "unstable focus"
    start = {"E": fp.state[0] + 1e-4, "I": fp.state[1]}
    res = nl.simulate(WC, 2000.0, 0.05, current=1.25, initial_state=start, record=("E",))
    late = res["E"][res.t > 1000.0]
    assert late.max() - late.min() > 0.1     # an oscillation of finite amplitude (the cycle)


def test_hopf_point_agrees_with_simulation():
    growth = lambda p: _upper_focus(p).eigenvalues.real.max()   # noqa: E731
    p_hopf = optimize.brentq(growth, 1.5, 2.5, xtol=1e-6)
    assert np.abs(_upper_focus(p_hopf).eigenvalues.imag).max() > 0   # a complex pair crosses: Hopf
    amplitudes = {}
    for p in (p_hopf - 0.05, p_hopf + 0.05):
        fp = _upper_focus(p)
        res = nl.simulate(WC, 6000.0, 0.05, current=p, initial_state={"E": fp.state[0] + 1e-3, "I": fp.state[1]},
                          record=("E",))
        late = res["E"][res.t > 4000.0]
        amplitudes[p > p_hopf] = late.max() - late.min()
    assert amplitudes[False] > 1e-3      # just below the Hopf point: still oscillating
    assert amplitudes[True] < 1e-4       # just above: the focus attracts, oscillations have died out
