"""Exact spike times of one current-based LIF with exponential synaptic currents (the CUBA neuron).

The reference of ``bench_work_precision.py`` case (d), independent of every simulator under test:
between input arrivals the state (v, I_exc, I_inh) solves a linear ODE in closed form,

    tau_m dv/dt = e_l - v + tau_m (I_exc + I_inh) / C,   tau_x dI_x/dt = -I_x,

    v(t) = e_l + sum_x A_x e^{-t/tau_x} + (v0 - e_l - sum_x A_x) e^{-t/tau_m},
    A_x = (I_x0 / C) tau_m tau_x / (tau_x - tau_m),

so the first threshold crossing in each interval is a root of a sum of three exponentials, found by a
fine scan (``scan`` ms) and Brent's method to 1e-12 ms. After a spike v is held at ``v_reset`` for
``t_ref`` (the synaptic currents go on decaying and jumping), as in Brian2's CUBA example and NEST's
iaf_psc_exp.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq


def cuba_inputs(seed: int = 7, duration: float = 1000.0, n_exc: int = 100, n_inh: int = 25,
                rate_exc: float = 20.0, rate_inh: float = 8.0, grid: float = 0.1):
    """Poisson input trains (ms) on a ``grid`` (so every dt dividing it delivers them exactly): a list of
    ``n_exc`` excitatory and ``n_inh`` inhibitory arrays, at most one spike per train per grid point."""
    rng = np.random.default_rng(seed)
    trains = []
    for k in range(n_exc + n_inh):
        rate = rate_exc if k < n_exc else rate_inh
        times = np.sort(rng.uniform(0.0, duration, rng.poisson(rate * duration / 1000.0)))
        ticks = np.unique(np.maximum(np.round(times / grid).astype(np.int64), 1))
        trains.append(ticks * grid)
    return trains


def exact_spikes(trains, n_exc, w_exc, w_inh, duration, delay=0.1, c_m=250.0, tau_m=20.0, e_l=-49.0,
                 v_th=-50.0, v_reset=-60.0, t_ref=5.0, tau_exc=5.0, tau_inh=10.0, v0=-60.0, scan=0.002):
    """Spike times (ms) of the LIF driven by ``trains`` (weights in pA, arriving ``delay`` ms later)."""
    arrivals = {}
    for k, train in enumerate(trains):
        for t in np.round(np.asarray(train) + delay, 9):
            e, i = arrivals.get(t, (0.0, 0.0))
            arrivals[t] = (e + w_exc, i) if k < n_exc else (e, i + w_inh)
    events = sorted(arrivals.items())
    taus = (tau_exc, tau_inh)

    def v_at(s, v_start, currents):
        amps = [cur / c_m * tau_m * tau / (tau - tau_m) for cur, tau in zip(currents, taus)]
        out = e_l + (v_start - e_l - sum(amps)) * np.exp(-s / tau_m)
        for a, tau in zip(amps, taus):
            out = out + a * np.exp(-s / tau)
        return out

    t, v, cur = 0.0, v0, [0.0, 0.0]
    refractory_until = -1.0
    spikes = []
    k = 0
    while t < duration:
        t_next = min(events[k][0] if k < len(events) else math.inf, duration)
        if refractory_until > t:
            t_next = min(t_next, refractory_until)
        span = t_next - t
        if refractory_until <= t and span > 0:
            s = np.arange(0.0, span + scan, scan)
            s[-1] = min(s[-1], span)
            vs = v_at(s, v, cur)
            hit = np.flatnonzero(vs >= v_th)
            if hit.size:
                j = hit[0]
                lo = s[j - 1] if j > 0 else 0.0
                root = lo if j == 0 else brentq(lambda x, v=v, cur=cur: v_at(x, v, cur) - v_th, lo, s[j], xtol=1e-12)
                cur = [c * math.exp(-root / tau) for c, tau in zip(cur, taus)]
                t += root
                spikes.append(t)
                v = v_reset
                refractory_until = t + t_ref
                continue
            v = float(vs[-1]) if s[-1] == span else float(v_at(span, v, cur))
        cur = [c * math.exp(-span / tau) for c, tau in zip(cur, taus)]
        t = t_next
        if k < len(events) and abs(t - events[k][0]) < 1e-12:
            cur = [cur[0] + events[k][1][0], cur[1] + events[k][1][1]]
            k += 1
    return np.array(spikes)
