"""Across the ladder in epilepsy: a Nav1.1 mutation in one interneuron, reduced to a point model, in an E-I
network; and seizures in the Epileptor neural mass, alone and on a connectome.

Units: the Wang-Buzsaki interneuron in uA/cm^2 (mV, ms); its point-model reduction (``nl.AdEx``) in pA for a
2000 um^2 membrane (20 pA per uA/cm^2, so c_m 1 uF/cm^2 becomes 20 pF); network weights in nS; the Epileptor
in its own units with time in ms (The Virtual Brain's convention).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analysis.fitting import FitResult, coincidence_factor, fit_model, simulate_spikes
from ..core.parameters import require_int, require_positive, require_range
from ..core.simulate import simulate
from ..core.stimulus import TimeArray
from ..neurons.adex import AdEx
from ..neurons.lif import LIF
from ..neurons.wang_buzsaki import WangBuzsaki
from ..stochastic.noise import OUCurrent

#: pA per uA/cm^2 for a 2000 um^2 (2e-5 cm^2) membrane: the interneuron's reduction scale
PA_PER_UA_CM2 = 20.0

#: Search box of the AdEx reduction (units of nl.AdEx; a = 0, tau_w = 50 ms and v_peak = 0 mV are fixed)
REDUCTION_BOUNDS = {"c_m": (5.0, 60.0), "g_l": (0.5, 10.0), "e_l": (-75.0, -45.0), "v_t": (-62.0, -40.0),
                    "delta_t": (0.5, 8.0), "v_reset": (-85.0, -50.0), "b": (0.0, 20.0), "t_ref": (0.0, 3.0)}


def fluctuating_currents(seeds, duration: float = 2000.0, dt: float = 0.02, mean: float = 1.0, sigma: float = 1.0,
                         tau: float = 3.0) -> list[np.ndarray]:
    """Ornstein-Uhlenbeck currents (uA/cm^2) sampled every ``dt`` ms, one per seed (the fitting protocol:
    frozen noise, as in Jolivet et al. 2008)."""
    times = np.arange(0.0, duration, dt)
    return [OUCurrent(mean, sigma, tau, seed=int(s)).sample(times, 1)[:, 0] for s in seeds]


def interneuron_spikes(model: WangBuzsaki, currents, duration: float, dt: float = 0.02) -> list[np.ndarray]:
    """Spike times (ms; upward crossings of -20 mV) of the detailed interneuron under each current."""
    return [simulate(model, duration, dt, current=TimeArray(c, duration / c.size), spike_threshold=-20.0,
                     record=(), progress=False).spike_times for c in currents]


@dataclass(frozen=True)
class Reduction:
    """A detailed interneuron reduced to an AdEx: the fit and its coincidence factor on a held-out current."""

    severity: float
    fit: FitResult
    held_out_gamma: float
    held_out_target: np.ndarray
    held_out_model: np.ndarray


def reduce_interneuron(severity: float, train_seeds=(1, 2, 3), test_seed: int = 4, duration: float = 2000.0,
                       popsize: int = 12, maxiter: int = 80, seed: int = 1) -> Reduction:
    """Fit an AdEx to ``nl.WangBuzsaki(nav11_severity=severity)`` on fluctuating currents, test on another."""
    require_range("severity", severity, 0.0, 1.0)
    cell = WangBuzsaki(nav11_severity=severity)
    currents = fluctuating_currents([*train_seeds, test_seed], duration)
    targets = interneuron_spikes(cell, currents, duration)
    start = AdEx(c_m=20.0, g_l=2.0, e_l=-65.0, v_t=-55.0, delta_t=2.0, tau_w=50.0, a=0.0, b=0.0, v_reset=-70.0,
                 v_peak=0.0, t_ref=1.0)
    fit = fit_model(start, targets[:-1], currents[:-1], REDUCTION_BOUNDS, duration, dt=0.05,
                    current_scale=PA_PER_UA_CM2, popsize=popsize, maxiter=maxiter, seed=seed)
    model_train = simulate_spikes(fit.model, currents[-1:], duration, 0.05, current_scale=PA_PER_UA_CM2)[0][0]
    gamma = coincidence_factor(targets[-1], model_train, 4.0, duration)
    return Reduction(float(severity), fit, gamma, targets[-1], model_train)


@dataclass(frozen=True)
class EINetwork:
    """E-I network: ``n_e`` pyramidal ``nl.LIF`` (NEST defaults) and ``n_i`` interneurons (any point model,
    the reduced interneuron here), conductance synapses (exc. e_rev 0 mV, tau 5 ms; inh. e_rev -80 mV, tau 10
    ms), fixed in-degrees, Poisson drive ``ext_rate_hz`` x 100 sources per cell. Weights in nS; the
    interneurons' are smaller, their membrane being ~10x smaller (20 pF against 250 pF)."""

    n_e: int = 800
    n_i: int = 200
    w_ee: float = 0.6
    w_ei: float = 0.06
    w_ie: float = 3.0
    w_ii: float = 0.1
    k_e: int = 80
    k_i: int = 40
    ext_rate_hz: float = 20.0
    ext_rate_i_hz: float = 0.0
    i_bias_pa: float = 12.0

    def run(self, interneuron, duration: float = 2000.0, dt: float = 0.1, seed=None):
        """Simulate; returns the ``NetworkResult`` (populations "E" and "I")."""
        from ..network import ExpSynapse, Network

        require_positive("duration", duration, "ms")
        net = Network(dt=dt, seed=seed)
        rng = np.random.default_rng(seed)
        e = net.add_population("E", LIF(), self.n_e, v=rng.uniform(-70.0, -55.0, self.n_e))
        i = net.add_population("I", interneuron, self.n_i)
        exc = ExpSynapse(tau=5.0, e_rev=0.0)
        inh = ExpSynapse(tau=10.0, e_rev=-80.0)
        net.connect(e, e, "fixed_indegree", k=self.k_e, weight=self.w_ee, delay=1.5, synapse=exc)
        net.connect(e, i, "fixed_indegree", k=self.k_e, weight=self.w_ei, delay=1.0, synapse=exc)
        net.connect(i, e, "fixed_indegree", k=self.k_i, weight=self.w_ie, delay=1.0, synapse=inh)
        net.connect(i, i, "fixed_indegree", k=self.k_i, weight=self.w_ii, delay=1.0, synapse=inh)
        net.add_poisson_input(e, rate=self.ext_rate_hz, n_sources=100, weight=self.w_ee, synapse=exc)
        if self.ext_rate_i_hz > 0:
            net.add_poisson_input(i, rate=self.ext_rate_i_hz, n_sources=100, weight=self.w_ei, synapse=exc)
        net.inject(i, self.i_bias_pa)
        return net.run(duration, progress=False)


# -- the Epileptor ----------------------------------------------------------------------------------------
def seizure_onsets(z, dt_ms: float, min_rise: float = 0.05) -> np.ndarray:
    """Onset times (ms) of seizure-like events of an Epileptor from its slow variable z (one region).

    z falls between seizures and rises during them (Jirsa et al. 2014): an onset is a minimum of z followed by
    a rise of at least ``min_rise`` before the next fall (so numerical wiggles do not count)."""
    z = np.asarray(z, dtype=float)
    rising = np.diff(z) > 0
    turns = np.flatnonzero(np.diff(rising.astype(np.int8)) != 0) + 1
    onsets = []
    for j, k in enumerate(turns):
        if not rising[k]:
            continue
        end = turns[j + 1] if j + 1 < turns.size else z.size - 1
        if z[end] - z[k] >= min_rise:
            onsets.append(k)
    return np.asarray(onsets, dtype=float) * dt_ms


def recruited_regions(x1, t_skip: int = 0) -> np.ndarray:
    """Regions (columns of x1, shape (T, N)) whose x1 became positive, the ictal branch, after sample ``t_skip``."""
    return np.flatnonzero((np.asarray(x1)[t_skip:] > 0.0).any(axis=0))


def epileptor_network_recruitment(x0_zone_values, zone: int = 0, n_regions: int = 20, coupling: float = 3.0,
                                  x0_range=(-2.4, -2.05), duration: float = 30_000.0, seed: int = 1):
    """Regions recruited into seizures on ``nl.BrainNetwork`` as the epileptogenic zone's x0 rises.

    ``n_regions`` Epileptors on the synthetic connectome (``example_connectome``), difference coupling of x1
    into z with strength ``coupling`` (Proix et al. 2014), conduction 3 m/s; every region but the zone draws
    x0 uniformly from ``x0_range`` (below the critical ~ -2.05: they seize only when pulled). Returns the
    recruited counts, one per x0 of the zone, and the last run's x1 (T, N) sampled every ms."""
    from ..mass import BrainNetwork, example_connectome
    from ..mass.epileptor import Epileptor

    n_regions = require_int("n_regions", n_regions, low=2)
    weights, lengths = example_connectome(n_regions, seed=seed)
    x0 = np.random.default_rng(seed).uniform(*x0_range, n_regions)
    counts, x1 = [], None
    for value in x0_zone_values:
        x0[zone] = value
        net = BrainNetwork(Epileptor(x0=x0.copy()), weights, lengths=lengths, velocity=3.0, coupling=coupling,
                           output="x1", dt=0.05, difference=True)
        res = net.run(duration, record=("x1",), record_dt=1.0)
        x1 = res["x1"]
        counts.append(int(recruited_regions(x1, t_skip=2000).size))
    return counts, x1, weights
