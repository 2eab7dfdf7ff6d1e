"""Short-term plasticity, STDP, spike files and the adaptive LIF.

* Tsodyks-Markram without facilitation under a regular train of interval h: the steady-state
  amplitude is w U (1 - e) / (1 - (1 - U) e), e = exp(-h / tau_rec) (Tsodyks, Pawelzik & Markram
  1998, eq. for the stationary release; NEST tsodyks2_synapse docs). The first spike transmits w U.
* Pair-based STDP for one pre/post pair at t_pre, t_post: dw = a_plus exp(-(t_post - t_pre)/tau_plus)
  (times (w_max - w) if multiplicative) or dw = -a_minus exp(-(t_pre - t_post)/tau_minus) (times w)
  (Song, Miller & Abbott 2000; van Rossum et al. 2000). Weights are stored as float32: 1e-6 bound.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.io import read_spikes


def _jumps(U, tau_rec, tau_facil, interval, n_spikes, w=100.0, dt=0.1):
    """Sizes of the jumps of an exponential synaptic variable driven through a TM synapse."""
    net = nl.Network(dt=dt, seed=1)
    post = net.add_population("post", nl.LIF(v_th=400.0), 1)
    times = np.arange(1, n_spikes + 1) * interval
    src = net.add_spike_generator("pre", times)
    tau_s = 5.0
    net.connect(src, post, weight=w, delay=dt, synapse=nl.ExpSynapse(tau_s), stp=nl.TsodyksMarkram(U, tau_rec, tau_facil))
    net.record(post, "syn0")
    out = net.run(times[-1] + 10.0)
    t, g = out.state("post", "syn0")
    g = g[:, 0]
    decay = math.exp(-dt / tau_s)
    # the jump lands at the start of the step beginning at t + delay (= t + dt); sample k is taken at
    # the end of step k, time (k + 1) dt, so that step's sample is k = (t + dt)/dt and obeys the exact
    # one-step recursion g[k] = (g[k-1] + jump) e^{-dt/tau_s}
    idx = np.rint((times + dt) / dt).astype(int)
    return g[idx] / decay - g[idx - 1]


def test_tsodyks_markram_first_spike_and_steady_state():
    U, tau_rec, h, w = 0.5, 800.0, 50.0, 100.0
    jumps = _jumps(U, tau_rec, 0.0, h, 40, w)
    assert jumps[0] == pytest.approx(w * U, rel=1e-9)          # u = U, x = 1 at the first spike
    e = math.exp(-h / tau_rec)
    steady = w * U * (1 - e) / (1 - (1 - U) * e)
    assert jumps[-1] == pytest.approx(steady, rel=1e-6)


def test_facilitation_increases_the_second_response():
    # with tau_facil >> interval, u grows: u2 = U + U (1 - U) e^{-h/tau_f}; x2 = 1 - U e^{-h/tau_rec}
    U, tau_rec, tau_f, h = 0.1, 100.0, 1000.0, 20.0
    jumps = _jumps(U, tau_rec, tau_f, h, 2, 100.0)
    u2 = U + U * (1 - U) * math.exp(-h / tau_f)
    x2 = 1.0 + (1.0 - U - 1.0) * math.exp(-h / tau_rec)
    assert jumps[1] == pytest.approx(100.0 * u2 * x2, rel=1e-9)
    assert jumps[1] > jumps[0]


@pytest.mark.parametrize("mult", [False, True])
@pytest.mark.parametrize("t_pre, t_post", [(10.0, 20.0), (30.0, 20.0)])
def test_stdp_pair_changes_the_weight_by_the_rule(mult, t_pre, t_post):
    rule = nl.STDP(a_plus=0.1, a_minus=0.12, tau_plus=20.0, tau_minus=15.0, w_min=0.0, w_max=1.0,
                   multiplicative=mult)
    net = nl.Network(dt=0.1, seed=1)
    post = net.add_population("post", nl.LIF(), 1)
    pre = net.add_spike_generator("pre", [t_pre])
    drive = net.add_spike_generator("drive", [t_post - 1.0])
    proj = net.connect(pre, post, weight=0.5, delay=1.0, synapse=nl.ExpSynapse(5.0), stdp=rule)
    net.connect(drive, post, weight=40.0, delay=1.0, synapse=nl.DeltaSynapse())  # a 40 mV jump: spike
    out = net.run(60.0)
    spikes = out.spikes["post"].times
    assert spikes.size == 1 and spikes[0] == pytest.approx(t_post, abs=1e-9)
    d = t_post - t_pre
    if d > 0:
        expected = 0.5 + 0.1 * math.exp(-d / 20.0) * ((1.0 - 0.5) if mult else 1.0)
    else:
        expected = 0.5 - 0.12 * math.exp(d / 15.0) * (0.5 if mult else 1.0)
    assert proj.weights[0] == pytest.approx(expected, abs=1e-6)


def test_stdp_respects_its_bounds():
    rule = nl.STDP(a_plus=1.0, a_minus=0.0, tau_plus=20.0, tau_minus=20.0, w_min=0.0, w_max=0.6)
    net = nl.Network(dt=0.1, seed=1)
    post = net.add_population("post", nl.LIF(), 1)
    pre = net.add_spike_generator("pre", [10.0])
    drive = net.add_spike_generator("drive", [11.0])
    proj = net.connect(pre, post, weight=0.5, delay=1.0, synapse=nl.ExpSynapse(5.0), stdp=rule)
    net.connect(drive, post, weight=40.0, delay=1.0, synapse=nl.DeltaSynapse())
    net.run(30.0)
    assert proj.weights[0] == pytest.approx(0.6, abs=1e-7)   # 0.5 + 1.0 e^{-2/20} = 1.4 clipped to 0.6


def test_spike_file_holds_the_same_spikes(tmp_path):
    pytest.importorskip("h5py")
    from neuroladder.experiments.networks import vogels_abbott

    net = vogels_abbott("cuba", seed=2, n=1000, p=0.05)
    path = tmp_path / "spikes.h5"
    out = net.run(300.0, spikes_file=path)
    stored = read_spikes(path)["P"]
    np.testing.assert_array_equal(stored[0], out.spikes["P"].times)
    np.testing.assert_array_equal(stored[1], out.spikes["P"].ids)
    assert stored[0].size > 50


def test_adaptive_lif_adapts_and_reduces_to_lif():
    m = nl.AdaptiveLIF(g_ahp_increment=5.0, tau_ahp=100.0)
    res = nl.simulate(m, 1000.0, 0.1, current=600.0)
    isi = np.diff(res.spike_times)
    assert isi[-1] > 2.0 * isi[0]   # the AHP conductance builds up: later ISIs much longer
    # no AHP: the analytic LIF rate (Tuckwell), as tests/neurons/test_lif.py checks for LIF
    plain = nl.simulate(m.replace(g_ahp_increment=0.0), 2000.0, 0.1, current=600.0)
    v_inf = -70.0 + 10.0 / 250.0 * 600.0
    rate = 1000.0 / (2.0 + 10.0 * math.log((v_inf + 70.0) / (v_inf + 55.0)))
    assert 1000.0 / np.diff(plain.spike_times).mean() == pytest.approx(rate, rel=1e-3)
