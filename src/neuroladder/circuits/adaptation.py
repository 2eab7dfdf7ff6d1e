"""Adaptation as spike-triggered negative feedback: an AHP conductance against depressing synapses.

Both make a neuron respond more to changes than to steady input (a high-pass filter, change detection),
but in different places: the AHP potassium conductance (``nl.AdaptiveLIF``) is in the cell, so it adapts
the response to *every* input; Tsodyks-Markram depression (``nl.TsodyksMarkram``) is in each synapse, so
it adapts only the pathway that was active, and a second, unadapted pathway still drives the cell fully.

Linearised adaptation theory (Benda & Herz 2003, Neural Comput. 15:2523): with onset f-I slope ``f0'``
(adaptation frozen) and steady-state slope ``finf'``, the rate's response to a modulated current is the
first-order high-pass ``H(f) = finf' (1 + 2 pi i f tau) / (1 + 2 pi i f tau_eff)`` with
``tau_eff = tau finf' / f0'`` and ``tau`` the adaptation time constant: ``finf'`` at low frequencies,
``f0'`` at high ones. Units: current pA, rates Hz, time ms, frequencies Hz.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ..core.parameters import require_int, require_non_negative, require_positive, require_range
from ..core.rng import make_rng


def ahp_transfer_theory(frequency_hz, onset_slope: float, steady_slope: float, tau_ms: float) -> np.ndarray:
    """|H(f)| (Hz per current unit) of linearised adaptation (Benda & Herz 2003), see the module docstring."""
    require_positive("onset_slope", onset_slope)
    require_positive("steady_slope", steady_slope)
    require_positive("tau_ms", tau_ms, "ms")
    w = 2.0 * np.pi * np.asarray(frequency_hz, dtype=float) * 1e-3
    tau_eff = tau_ms * steady_slope / onset_slope
    return steady_slope * np.sqrt(1.0 + (w * tau_ms) ** 2) / np.sqrt(1.0 + (w * tau_eff) ** 2)


def population_rate(spike_times, n_units: int, duration: float, bin_ms: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """PSTH: bin centres (ms) and the mean rate per unit (Hz) of ``n_units`` units' pooled spike times."""
    require_positive("bin_ms", bin_ms, "ms")
    edges = np.arange(0.0, duration + bin_ms / 2, bin_ms)
    counts, _ = np.histogram(np.asarray(spike_times, dtype=float), edges)
    return 0.5 * (edges[:-1] + edges[1:]), counts / (n_units * bin_ms * 1e-3)


def modulation_amplitude(t_ms, rate_hz, frequency_hz: float, t_start: float) -> float:
    """First-harmonic amplitude (Hz) of ``rate`` at ``frequency_hz`` over the whole cycles after ``t_start``."""
    t = np.asarray(t_ms, dtype=float)
    r = np.asarray(rate_hz, dtype=float)
    period = 1000.0 / frequency_hz
    n_cycles = int((t[-1] - t_start) // period)
    if n_cycles < 1:
        raise ParameterError(f"the run after {t_start} ms holds no whole cycle of {frequency_hz} Hz")
    sel = (t >= t_start) & (t < t_start + n_cycles * period)
    phase = 2.0 * np.pi * frequency_hz * t[sel] * 1e-3
    return float(2.0 * abs(np.mean(r[sel] * np.exp(-1j * phase))))


def inhomogeneous_poisson(rate_hz, duration: float, n_trains: int, rate_max_hz: float, seed=None) -> list[np.ndarray]:
    """``n_trains`` Poisson spike trains (ms) of time-varying rate ``rate_hz(t_ms)`` (vectorised callable),
    drawn by thinning a homogeneous process of ``rate_max_hz`` (Lewis & Shedler 1979)."""
    require_positive("duration", duration, "ms")
    n_trains = require_int("n_trains", n_trains, low=1)
    require_positive("rate_max_hz", rate_max_hz, "Hz")
    rng = make_rng(seed)
    trains = []
    for _ in range(n_trains):
        count = rng.poisson(rate_max_hz * duration * 1e-3)
        t = np.sort(rng.uniform(0.0, duration, count))
        r = np.asarray(rate_hz(t), dtype=float)
        if np.any(r > rate_max_hz * (1 + 1e-9)) or np.any(r < 0):
            raise ParameterError(f"rate_hz must stay within [0, rate_max_hz = {rate_max_hz}] Hz")
        keep = rng.uniform(0.0, rate_max_hz, count) < r
        trains.append(t[keep])
    return trains


def depressing_population(rate_groups, duration: float, n_post: int = 40, n_inputs: int = 60, weight_pa: float = 275.0,
                          bias_pa: float = 300.0, stp=None, dt: float = 0.1, seed=None):
    """LIF neurons driven by Poisson inputs through Tsodyks-Markram synapses, in ``nl.Network``.

    ``rate_groups`` is a list of pathways per group: each group is a list of rate functions (Hz of t in ms,
    vectorised), one per input pathway; group g has ``n_post`` LIFs, each receiving ``n_inputs`` sources of
    every pathway (fixed in-degree from a pool of 4 n_inputs sources per pathway) through current-based
    exponential synapses (``weight_pa``, tau 5 ms) with depression ``stp`` (default U 0.5, tau_rec 500 ms;
    Tsodyks & Markram 1997 measured tau_rec ~ 0.5-0.8 s), plus a constant ``bias_pa`` just below the
    LIF's rheobase (375 pA).
    Returns the network result and the post populations' names.
    """
    from ..network import ExpSynapse, Network, TsodyksMarkram
    from ..neurons.lif import LIF

    stp = TsodyksMarkram(U=0.5, tau_rec=500.0) if stp is None else stp
    n_post = require_int("n_post", n_post, low=1)
    n_inputs = require_int("n_inputs", n_inputs, low=1)
    require_non_negative("weight_pa", weight_pa, "pA")
    net = Network(dt=dt, seed=seed)
    rng = make_rng(seed)
    names = []
    for g, pathways in enumerate(rate_groups):
        post = net.add_population(f"post{g}", LIF(), n_post, v=rng.uniform(-70.0, -56.0, n_post))
        names.append(post.name)
        net.inject(post, bias_pa)
        for k, rate in enumerate(pathways):
            peak = float(np.max(rate(np.linspace(0.0, duration, 20001))))
            trains = inhomogeneous_poisson(rate, duration, 4 * n_inputs, max(peak, 1e-9), seed=rng)
            trains = [tr[tr >= dt] for tr in trains]
            src = net.add_spike_generator(f"src{g}_{k}", trains)
            net.connect(src, post, "fixed_indegree", k=n_inputs, weight=weight_pa, synapse=ExpSynapse(tau=5.0), stp=stp,
                        allow_multapses=False)
    return net.run(duration, progress=False), names


#: Step (ms) of the AHP population runs; the white noise is redrawn every step, so slopes and gains
#: compared with each other must share it.
_AHP_DT = 0.2


def _noisy_run(neuron, current, n: int, duration: float, noise_pa: float, seed, dt: float = _AHP_DT):
    from ..core.simulate import simulate
    from ..stochastic.noise import WhiteNoiseCurrent

    require_non_negative("noise_pa", noise_pa, "pA")
    stim = current + WhiteNoiseCurrent(0.0, noise_pa, dt=dt, seed=seed) if noise_pa > 0 else current
    return simulate(neuron, duration, dt, current=stim, n=n, record=())


def _group_rate(spikes, first: int, count: int, duration: float, bin_ms: float = 1.0):
    """PSTH of units first ... first + count - 1 from a result's flat ``(times, ids)``."""
    times, ids = spikes
    mine = (ids >= first) & (ids < first + count)
    return population_rate(times[mine], count, duration, bin_ms)


def step_slopes(neuron, base_pa: float, delta_pa: float, n: int, noise_pa: float, seed=None,
                t_step: float = 1000.0, window: float = 500.0) -> dict:
    """Onset and steady-state f-I slopes (Hz/pA) around ``base_pa`` from steps of +-``delta_pa`` at ``t_step``.

    Two groups of ``n`` noisy units step up and down; their rate difference per pA after the step is fitted
    with ``steady + (onset - steady) exp(-s / tau_eff)`` (scipy ``curve_fit``), which gives the onset slope
    f0' (adaptation not yet changed), the steady slope finf' and the effective time constant tau_eff (ms).
    """
    from scipy.optimize import curve_fit

    from ..core.stimulus import Constant, Step

    require_positive("delta_pa", delta_pa, "pA")
    n = require_int("n", n, low=2)
    duration = t_step + window
    current = Constant(base_pa) + Step(np.repeat([delta_pa, -delta_pa], n), start=t_step)
    res = _noisy_run(neuron, current, 2 * n, duration, noise_pa, seed)
    t, up = _group_rate(res.spikes, 0, n, duration)
    _, down = _group_rate(res.spikes, n, n, duration)
    after = t > t_step + 1.0
    s = t[after] - t_step
    y = (up[after] - down[after]) / (2.0 * delta_pa)
    model = lambda s, steady, jump, tau: steady + jump * np.exp(-s / tau)   # noqa: E731
    (steady, jump, tau), _ = curve_fit(model, s, y, p0=(y[-100:].mean(), max(y[:20].mean() - y[-100:].mean(), 1e-3),
                                                        30.0), maxfev=20_000)
    return {"onset_slope": float(steady + jump), "steady_slope": float(steady), "tau_eff": float(abs(tau)),
            "base_rate_hz": float(0.5 * (up[t < t_step] + down[t < t_step])[t[t < t_step] > 300.0].mean())}


def modulation_gains(neuron, base_pa: float, amplitude_pa: float, frequencies_hz, n: int, noise_pa: float,
                     seed=None, transient: float = 500.0, cycles: int = 2) -> np.ndarray:
    """Gain (Hz/pA) of the population rate to ``base + amplitude sin(2 pi f t)`` at each frequency: the rate's
    first-harmonic amplitude over ``cycles`` cycles of the slowest frequency after ``transient`` ms, divided by
    ``amplitude_pa``. One group of ``n`` noisy units per frequency, all in one ``nl.simulate`` run."""
    from ..core.stimulus import FunctionOfTime

    freqs = np.asarray(frequencies_hz, dtype=float)
    require_positive("frequencies_hz", freqs, "Hz")
    require_positive("amplitude_pa", amplitude_pa, "pA")
    n = require_int("n", n, low=1)
    duration = transient + cycles * 1000.0 / freqs.min()
    per_unit = np.repeat(2e-3 * np.pi * freqs, n)      # rad/ms, one group of n units per frequency
    current = FunctionOfTime(lambda t: base_pa + amplitude_pa * np.sin(np.multiply.outer(np.atleast_1d(t), per_unit)))
    res = _noisy_run(neuron, current, freqs.size * n, duration, noise_pa, seed)
    spikes = res.spikes
    gains = []
    for j, f in enumerate(freqs):
        t, r = _group_rate(spikes, j * n, n, duration)
        gains.append(modulation_amplitude(t, r, f, transient) / amplitude_pa)
    return np.array(gains)


def onset_and_steady(t_ms, rate_hz, t_step: float, onset_window: float = 100.0, steady_window: float = 300.0,
                     bin_ms: float = 5.0) -> tuple[float, float]:
    """Onset (peak of the ``bin_ms``-smoothed rate within ``onset_window`` ms after ``t_step``) and steady
    (mean over the last ``steady_window`` ms) rates in Hz of a step response."""
    t = np.asarray(t_ms, dtype=float)
    r = np.asarray(rate_hz, dtype=float)
    width = max(1, int(round(bin_ms / (t[1] - t[0]))))
    smooth = np.convolve(r, np.ones(width) / width, mode="same")
    onset = float(smooth[(t >= t_step) & (t < t_step + onset_window)].max())
    steady = float(r[t >= t[-1] - steady_window].mean())
    return onset, steady


def ahp_step_response(neuron, low_pa: float, high_pa: float, n: int, noise_pa: float, seed=None,
                      t_step: float = 500.0, hold: float = 1500.0):
    """PSTH (t ms, rate Hz) of ``n`` noisy units stepped from ``low_pa`` to ``high_pa`` at ``t_step``."""
    from ..core.stimulus import Constant, Step

    n = require_int("n", n, low=1)
    duration = t_step + hold
    res = _noisy_run(neuron, Constant(low_pa) + Step(high_pa - low_pa, start=t_step), n, duration, noise_pa, seed)
    return _group_rate(res.spikes, 0, n, duration)


def ahp_specificity(neuron, base_pa: float, adapt_pa: float, test_pa: float, n: int, noise_pa: float, seed=None,
                    adapt_ms: float = 1000.0, test_window: float = 100.0) -> float:
    """Response to a test input after another input adapted the cell, over the response without it.

    Pathway A (``adapt_pa`` for ``adapt_ms``) then pathway B (``test_pa`` from ``adapt_ms`` on), both
    currents into the same cell; control: B alone. Ratio of the mean rates in the first ``test_window`` ms
    of B: < 1 when adaptation is in the cell (the AHP), ~1 when it is in A's synapses."""
    from ..core.stimulus import Constant, Step

    n = require_int("n", n, low=1)
    duration = adapt_ms + test_window
    a = Step(np.concatenate([np.full(n, adapt_pa), np.zeros(n)]), start=0.0, stop=adapt_ms)
    current = Constant(base_pa) + a + Step(test_pa, start=adapt_ms)
    res = _noisy_run(neuron, current, 2 * n, duration, noise_pa, seed)
    t, adapted = _group_rate(res.spikes, 0, n, duration)
    _, control = _group_rate(res.spikes, n, n, duration)
    window = t >= adapt_ms
    return float(adapted[window].mean() / max(control[window].mean(), 1e-12))


def depression_protocols(base_rate_hz: float, step_rate_hz: float, modulation: float, frequencies_hz, n_post: int,
                         stp, seed=None, transient: float = 500.0, cycles: int = 2) -> dict:
    """The depression counterparts in one ``nl.Network`` run (see :func:`depressing_population`):

    * ``step``: input rate ``base`` -> ``step_rate`` at ``transient`` ms (change detection);
    * ``gains``: input rate ``base (1 + modulation sin 2 pi f t)``, gain = output F1 / input F1 (Hz/Hz);
    * ``specificity``: pathway A at ``step_rate`` until ``transient + 1000`` ms, then pathway B at ``step_rate``
      for 100 ms; its response over that of B alone.
    """
    freqs = np.asarray(frequencies_hz, dtype=float)
    require_positive("frequencies_hz", freqs, "Hz")
    require_positive("base_rate_hz", base_rate_hz, "Hz")
    require_positive("step_rate_hz", step_rate_hz, "Hz")
    require_range("modulation", modulation, 0.0, 1.0, low_open=True)
    duration = transient + cycles * 1000.0 / freqs.min()
    t_b = transient + 1000.0
    if duration < t_b + 100.0:
        raise ParameterError("the run is too short for the specificity protocol: lower the lowest frequency")
    off = lambda t: np.zeros(np.shape(t))                                            # noqa: E731
    groups = [[lambda t: np.where(t >= transient, step_rate_hz, base_rate_hz)]]
    groups += [[(lambda freq: lambda t: base_rate_hz * (1.0 + modulation * np.sin(2e-3 * np.pi * freq * t)))(f)]
               for f in freqs]
    pathway_b = lambda t: np.where((t >= t_b), step_rate_hz, 0.0)                   # noqa: E731
    groups += [[lambda t: np.where(t < t_b, step_rate_hz, 0.0), pathway_b], [off, pathway_b]]
    out, names = depressing_population(groups, duration, n_post=n_post, stp=stp, seed=seed)

    def psth(name):
        trains = out.spikes[name]
        return population_rate(trains.times, n_post, duration, 1.0)

    t, r_step = psth(names[0])
    onset, steady = onset_and_steady(t[t < transient + 1000.0], r_step[t < transient + 1000.0], transient)
    gains = []
    for j, f in enumerate(freqs):
        tt, r = psth(names[1 + j])
        gains.append(modulation_amplitude(tt, r, f, transient) / (base_rate_hz * modulation))
    t, adapted = psth(names[-2])
    _, control = psth(names[-1])
    window = (t >= t_b) & (t < t_b + 100.0)
    return {"onset_hz": onset, "steady_hz": steady, "gains": np.array(gains), "step": (t, r_step),
            "specificity": float(adapted[window].mean() / max(control[window].mean(), 1e-12))}
