"""Network experiments: the Brette et al. (2007) CUBA/COBA benchmarks, Brunel (2000) states,
Izhikevich's (2003) 1000-neuron network."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ..core.rng import make_rng
from ..core.stimulus import TimeArray
from ..network import DeltaSynapse, ExpSynapse, Network, TsodyksMarkram
from ..neurons import LIF, Izhikevich, TraubMiles
from ..report import figure
from .registry import Choice, Range, experiment


def vogels_abbott(kind: str, seed: int, n: int = 4000, p: float = 0.02, dt: float = 0.1, threads: int = 1,
                  method: str = "auto") -> Network:
    """The Vogels & Abbott (2005) network as Brette et al. (2007) benchmarks 1 (COBA) and 2 (CUBA) define it,
    with the parameters of Brian2's CUBA/COBA examples: 80 % excitatory, connection probability 2 %,
    tau_m 20 ms, threshold -50 mV, reset -60 mV, refractory 5 ms, synaptic time constants 5 ms (exc.)
    and 10 ms (inh.), delay one step.

    CUBA: E_L = -49 mV; synaptic jumps 1.62 mV (exc.) and -9 mV (inh.) of a current-based variable
    in voltage units, i.e. currents of 1.62 * C/tau_m = 20.25 pA and -112.5 pA with C = 250 pF.
    COBA: C = 200 pF, g_L = 10 nS, E_L = -60 mV, E_exc = 0 mV, E_inh = -80 mV, weights 6 nS and 67 nS.
    ``method``: the membrane's integration ("auto" = exponential Euler, exact for frozen conductances;
    "euler" is what Brian2 picks by itself for COBA's equations).
    """
    if kind not in ("cuba", "coba"):
        raise ParameterError(f"kind = {kind!r} must be 'cuba' or 'coba' (COBAHH is cobahh_network)")
    rng = make_rng(seed)
    net = Network(dt=dt, seed=rng, threads=threads)
    n_exc = int(0.8 * n)
    v0 = rng.uniform(-60.0, -50.0, n) if kind == "cuba" else -60.0 + rng.normal(0.0, 5.0, n) - 5.0
    if kind == "cuba":
        model = LIF(c_m=250.0, tau_m=20.0, e_l=-49.0, v_th=-50.0, v_reset=-60.0, t_ref=5.0)
        exc, inh = ExpSynapse(5.0), ExpSynapse(10.0)
        w_exc, w_inh = 1.62 * 250.0 / 20.0, -9.0 * 250.0 / 20.0
    else:
        model = LIF(c_m=200.0, tau_m=20.0, e_l=-60.0, v_th=-50.0, v_reset=-60.0, t_ref=5.0)
        exc, inh = ExpSynapse(5.0, e_rev=0.0), ExpSynapse(10.0, e_rev=-80.0)
        w_exc, w_inh = 6.0, 67.0
    pop = net.add_population("P", model, n, method=method, v=v0)
    # one population, two presynaptic groups: explicit pairs drawn like Brian2's connect(p=...)
    for pre_range, syn, w in ((np.arange(n_exc), exc, w_exc), (np.arange(n_exc, n), inh, w_inh)):
        mask = rng.random((pre_range.size, n)) < p
        pre_i, post_i = np.nonzero(mask)
        keep = pre_range[pre_i] != post_i
        net.connect(pop, pop, rule="explicit", pre_ids=pre_range[pre_i][keep], post_ids=post_i[keep],
                    weight=w, delay=dt, synapse=syn)
    if kind == "coba":
        # Brette et al. (2007)/Brian's COBA starting conductances (nS); a few are negative, as there
        net.initialize_synapse(pop, exc, rng.normal(4.0, 1.5, n) * 10.0)
        net.initialize_synapse(pop, inh, rng.normal(20.0, 12.0, n) * 10.0)
    return net


def cobahh_network(seed: int, n: int = 4000, p: float = 0.02, dt: float = 0.1, threads: int = 1,
                   method: str = "auto") -> Network:
    """Brette et al. (2007) benchmark 3 (COBAHH) as Brian2's COBAHH example: the COBA network of
    Traub-Miles HH neurons (per unit area: the example's 20000 um^2 cell, so 6 nS and 67 nS become
    0.03 and 0.335 mS/cm^2), spikes at upward crossings of -20 mV, gates starting at 0.
    ``method``: the neurons' integration ("auto" = the model's default, exponential midpoint since
    issue 21; "exponential_euler" is what Brian2's example uses)."""
    rng = make_rng(seed)
    net = Network(dt=dt, seed=rng, threads=threads)
    area = 20000e-8  # cm^2
    n_exc = int(0.8 * n)
    pop = net.add_population("P", TraubMiles(), n, method=method, spike_threshold=-20.0,
                             v=-60.0 + rng.normal(0.0, 5.0, n) - 5.0)
    exc, inh = ExpSynapse(5.0, e_rev=0.0), ExpSynapse(10.0, e_rev=-80.0)
    for pre_range, syn, w in ((np.arange(n_exc), exc, 6e-6 / area), (np.arange(n_exc, n), inh, 67e-6 / area)):
        mask = rng.random((pre_range.size, n)) < p
        pre_i, post_i = np.nonzero(mask)
        keep = pre_range[pre_i] != post_i
        net.connect(pop, pop, rule="explicit", pre_ids=pre_range[pre_i][keep], post_ids=post_i[keep],
                    weight=w, delay=dt, synapse=syn)
    net.initialize_synapse(pop, exc, rng.normal(4.0, 1.5, n) * 10.0e-6 / area)
    net.initialize_synapse(pop, inh, rng.normal(20.0, 12.0, n) * 10.0e-6 / area)
    return net


def _benchmark(kind, duration, seed, method="auto", backend="neuroladder", threads=1):
    import time

    start = time.perf_counter()
    net = cobahh_network(seed) if kind == "cobahh" else vogels_abbott(kind, seed, method=method)
    construct_s = time.perf_counter() - start
    # backend="nest"/"neuron": the same network through PyNEST or NEURON (network/backends); threads: NEST's
    out = net.run(duration) if backend == "neuroladder" else net.run(duration, backend=backend, threads=threads)
    metrics = {"rate_hz": out.rate_hz(), "cv_isi": out.cv_isi(), "build_s": construct_s + out.build_s,
               "run_s": out.run_s, "n_synapses": net.n_synapses,
               "bytes_per_synapse": net.memory_per_synapse() if backend == "neuroladder" else None,
               "synchrony": out.synchrony("P", bin=1.0)}
    fig, (ax_r, ax_p) = figure(2, 1, width=7.0, height=5.0, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    out.raster(ax_r, max_neurons=400)
    ax_r.set_title(f"{kind.upper()} (Brette et al. 2007, {backend}): {metrics['rate_hz']:.1f} Hz, CV {metrics['cv_isi']:.2f}")
    out.plot_rates(ax_p, bin=5.0)
    ax_r.set_xlim(0, min(duration, 1000.0))
    return metrics, {"raster": fig}


@experiment("cuba", "Brette et al. (2007) benchmark 2: 4000 current-based LIF neurons, 2 % connectivity "
            "(Vogels & Abbott 2005). Metrics: rate, ISI CV, construction and simulation seconds.",
            params={"duration": Range(10.0, 1e5, "ms"), "method": Choice("auto", "exponential_euler", "euler"),
                    "backend": Choice("neuroladder", "nest", "neuron"), "threads": Range(1, 256)})
def cuba(quick=False, duration=1000.0, seed=1, method="auto", backend="neuroladder", threads=1):
    return _benchmark("cuba", 300.0 if quick else duration, seed, method, backend, threads)


@experiment("coba", "Brette et al. (2007) benchmark 1: 4000 conductance-based LIF neurons, 2 % connectivity "
            "(Vogels & Abbott 2005). Metrics: rate, ISI CV, construction and simulation seconds.",
            params={"duration": Range(10.0, 1e5, "ms"), "method": Choice("auto", "exponential_euler", "euler"),
                    "backend": Choice("neuroladder", "nest", "neuron"), "threads": Range(1, 256)})
def coba(quick=False, duration=1000.0, seed=1, method="auto", backend="neuroladder", threads=1):
    return _benchmark("coba", 300.0 if quick else duration, seed, method, backend, threads)


@experiment("cobahh", "Brette et al. (2007) benchmark 3: the COBA network of 4000 Traub-Miles Hodgkin-Huxley "
            "neurons (BrainPy's headline comparison). Metrics: rate, ISI CV, construction and simulation seconds.",
            params={"duration": Range(10.0, 1e5, "ms"), "backend": Choice("neuroladder", "nest", "neuron"),
                    "threads": Range(1, 256)})
def cobahh(quick=False, duration=1000.0, seed=1, backend="neuroladder", threads=1):
    return _benchmark("cobahh", 300.0 if quick else duration, seed, backend=backend, threads=threads)


#: Brunel (2000) Fig. 8 states: (g, nu_ext / nu_thr)
BRUNEL_STATES = {"SR": (3.0, 2.0), "AI": (5.0, 2.0), "SI_fast": (6.0, 4.0), "SI_slow": (4.5, 0.9)}


def brunel_network(g: float, eta: float, seed: int, scale: float = 1.0, dt: float = 0.1) -> Network:
    """Brunel (2000) model A: N_E = 10000 scale, N_I = N_E/4, C_E = 0.1 N_E, C_I = C_E/4 (fixed in-degree),
    delta synapses J = 0.1 mV (scaled by 1/scale so that J C_E stays 100 mV), inhibition -g J,
    delay 1.5 ms, tau = 20 ms, theta = 20 mV, V_r = 10 mV, t_ref = 2 ms; external Poisson input of
    C_E sources at nu_ext = eta nu_thr with nu_thr = theta / (J C_E tau)."""
    rng = make_rng(seed)
    n_exc = int(round(10000 * scale))
    n_inh = n_exc // 4
    c_exc = int(round(0.1 * n_exc))
    c_inh = c_exc // 4
    J = 0.1 / scale
    model = LIF(c_m=250.0, tau_m=20.0, e_l=0.0, v_th=20.0, v_reset=10.0, t_ref=2.0)
    net = Network(dt=dt, seed=rng)
    E = net.add_population("E", model, n_exc, v=rng.uniform(0.0, 20.0, n_exc))
    I = net.add_population("I", model, n_inh, v=rng.uniform(0.0, 20.0, n_inh))
    syn = DeltaSynapse()
    for post in (E, I):
        net.connect(E, post, rule="fixed_indegree", k=c_exc, weight=J, delay=1.5, synapse=syn,
                    allow_autapses=False)
        net.connect(I, post, rule="fixed_indegree", k=c_inh, weight=-g * J, delay=1.5, synapse=syn,
                    allow_autapses=False)
    nu_thr = 20.0 / (J * c_exc * 20.0) * 1000.0  # Hz
    for post in (E, I):
        net.add_poisson_input(post, rate=eta * nu_thr, weight=J, synapse=syn, n_sources=c_exc)
    return net


@experiment("brunel", "Brunel (2000) sparse E-I network of LIF neurons: the SR, SI-fast, AI and SI-slow states "
            "(Fig. 8) by relative inhibition g and external drive nu_ext/nu_thr; rate, ISI CV and synchrony each.",
            params={"duration": Range(200.0, 1e5, "ms"), "scale": Range(0.05, 2.0)})
def brunel(quick=False, duration=600.0, seed=1, scale=0.5):
    import time

    if quick:
        duration, scale = 300.0, 0.2
    fig, axes = figure(4, 2, width=10.0, height=9.0, gridspec_kw={"width_ratios": [3, 1]})
    metrics = {}
    total_spikes = total_n = 0
    build_s = run_s = 0.0
    cvs = []
    for row, (state, (g, eta)) in enumerate(BRUNEL_STATES.items()):
        start = time.perf_counter()
        net = brunel_network(g, eta, seed, scale)
        build_s += time.perf_counter() - start
        out = net.run(duration)
        build_s += out.build_s
        run_s += out.run_s
        rate = out.spikes["E"].rate_hz()
        cv = out.spikes["E"].cv_isi()
        sync = out.synchrony("E", bin=1.0)
        key = state.lower()
        metrics[f"{key}_rate_hz"] = rate
        metrics[f"{key}_cv_isi"] = cv
        metrics[f"{key}_synchrony"] = sync
        # the population rhythm: peak of the E rate's spectrum (after a 100 ms transient)
        t_pr, pr = out.rate("E", bin=0.5)
        pr = pr[t_pr > 100.0]
        power = np.abs(np.fft.rfft(pr - pr.mean())) ** 2
        freqs = np.fft.rfftfreq(pr.size, d=0.5e-3)
        band = freqs > 5.0
        metrics[f"{key}_oscillation_hz"] = float(freqs[band][np.argmax(power[band])])
        total_spikes += sum(len(s) for s in out.spikes.values())
        total_n += sum(s.n for s in out.spikes.values())
        cvs.append(out.cv_isi())
        window = (duration - 100.0, duration)
        ax_r, ax_s = axes[row]
        st = out.spikes["E"]
        shown = (st.ids < 50) & (st.times >= window[0])
        ax_r.scatter(st.times[shown], st.ids[shown], s=2.0, marker="|", color="k")
        t, r = out.rate("E", bin=0.5)
        ax_r2 = ax_r.twinx()
        sel = t >= window[0]
        ax_r2.plot(t[sel], r[sel], lw=0.7, alpha=0.7)
        ax_r2.set_ylabel("rate (Hz)")
        ax_r.set_ylabel(f"{state}\nneuron")
        ax_r.set_title(f"g = {g:g}, nu_ext/nu_thr = {eta:g}: {rate:.1f} Hz, CV {cv:.2f}, synchrony {sync:.2f}, "
                       f"rhythm {metrics[f'{key}_oscillation_hz']:.0f} Hz", fontsize=9)
        counts = st.counts()
        ax_s.hist(counts / (duration / 1000.0), bins=30, color="0.5")
        ax_s.set_xlabel("rate (Hz)")
    axes[-1][0].set_xlabel("time (ms)")
    from ..mass import brunel_mean_field

    metrics["ai_rate_mean_field_hz"] = brunel_mean_field(*BRUNEL_STATES["AI"], J=0.1 / scale,
                                                         c_e=int(round(1000 * scale)))
    metrics["rate_hz"] = total_spikes / total_n / (duration / 1000.0)
    metrics["cv_isi"] = float(np.nanmean(cvs))
    metrics["build_s"] = build_s
    metrics["run_s"] = run_s
    return metrics, {"states": fig}


@experiment("izhikevich-network", "Izhikevich's (2003) network: 800 regular-spiking excitatory and 200 "
            "fast-spiking inhibitory neurons, all-to-all random weights, noisy thalamic input; its rhythm.",
            params={"duration": Range(100.0, 1e5, "ms")})
def izhikevich_network(quick=False, duration=1000.0, seed=1):
    import time

    rng = make_rng(seed)
    n_e, n_i = 800, 200
    start = time.perf_counter()
    net = Network(dt=0.5, seed=rng)
    re, ri = rng.random(n_e), rng.random(n_i)
    # heterogeneity as in the paper's Matlab code: excitatory cells from RS towards CH, inhibitory FS to LTS
    exc = Izhikevich(a=0.02, b=0.2, c=-65.0 + 15.0 * re ** 2, d=8.0 - 6.0 * re ** 2)
    inh = Izhikevich(a=0.02 + 0.08 * ri, b=0.25 - 0.05 * ri, c=-65.0, d=2.0)
    E = net.add_population("E", exc, n_e, method="euler", v=-65.0, u=0.2 * -65.0)
    I = net.add_population("I", inh, n_i, method="euler", v=-65.0, u=(0.25 - 0.05 * ri) * -65.0)
    syn = DeltaSynapse()  # the paper adds the summed weights of the ms's spikes to I for one ms step
    for pre, scale in ((E, 0.5), (I, -1.0)):
        for post in (E, I):
            n_pre, n_post = pre.n, post.n
            w = scale * rng.random(n_pre * n_post)
            net.connect(pre, post, rule="all_to_all", weight=w, delay=0.5, synapse=syn)
    steps = int(duration / 1.0) + 1
    # thalamic input: a new Gaussian value every 1 ms (5 randn for E, 2 randn for I), as in the paper
    net.inject(E, TimeArray(5.0 * rng.standard_normal((steps, n_e)), dt=1.0))
    net.inject(I, TimeArray(2.0 * rng.standard_normal((steps, n_i)), dt=1.0))
    build = time.perf_counter() - start
    out = net.run(500.0 if quick else duration)
    t, r = out.rate("E", bin=1.0)
    spectrum = np.abs(np.fft.rfft(r - r.mean())) ** 2
    freqs = np.fft.rfftfreq(r.size, d=1e-3)
    band = freqs >= 2.0
    peak = float(freqs[band][np.argmax(spectrum[band])])
    fig, (ax_r, ax_s) = figure(1, 2, width=10.0, height=3.8, gridspec_kw={"width_ratios": [2, 1]})
    out.raster(ax_r, max_neurons=1000)
    ax_r.set_title("Izhikevich (2003) network")
    ax_s.semilogy(freqs[band], spectrum[band] + 1e-12)
    ax_s.set_xlabel("frequency (Hz)")
    ax_s.set_ylabel("power of E rate")
    ax_s.set_title(f"peak at {peak:.1f} Hz")
    return {"rate_hz": out.rate_hz(), "cv_isi": out.cv_isi(), "build_s": build + out.build_s, "run_s": out.run_s,
            "rhythm_hz": peak}, {"raster": fig}


#: Tsodyks-Markram parameters of NEST's depressing/facilitating example synapses (ms)
STP_TYPES = {"depressing": TsodyksMarkram(U=0.5, tau_rec=800.0, tau_facil=0.0),
             "facilitating": TsodyksMarkram(U=0.1, tau_rec=100.0, tau_facil=1000.0)}


@experiment("stp-synapse", "Tsodyks-Markram short-term plasticity: EPSP trains through a depressing and a "
            "facilitating synapse onto a LIF neuron (20 Hz train, then a recovery spike).",
            params={"rate_hz": Range(0.0, 200.0, "Hz", low_open=True),
                    "n_spikes": Range(2, 1000),
                    "weight": Range(0.0, 1e4, "pA", low_open=True),
                    "duration": Range(100.0, 1e6, "ms")})
def stp_synapse(quick=False, rate_hz=20.0, n_spikes=10, weight=400.0, duration=1100.0, seed=1):
    interval = 1000.0 / rate_hz
    times = np.concatenate([10.0 + interval * np.arange(n_spikes), [10.0 + interval * (n_spikes - 1) + 500.0]])
    if duration < times[-1] + 50.0:
        from ..core.errors import ParameterError

        raise ParameterError(f"duration = {duration} ms must reach past the recovery spike at {times[-1]} ms + 50 ms")
    fig, axes = figure(2, 1, width=7.0, height=5.0, sharex=True)
    # the postsynaptic cell stays below threshold (the point is the EPSPs), so no rate or ISI metric
    metrics = {"build_s": 0.0, "run_s": 0.0}
    for ax, (name, stp) in zip(axes, STP_TYPES.items()):
        net = Network(dt=0.1, seed=seed)
        post = net.add_population("post", LIF(v_th=0.0), 1)
        src = net.add_spike_generator("pre", times)
        net.connect(src, post, weight=weight, delay=1.0, synapse=ExpSynapse(3.0), stp=stp)
        net.record(post, "v")
        out = net.run(float(duration))
        metrics["build_s"] += out.build_s
        metrics["run_s"] += out.run_s
        t, v = out.state("post", "v")
        v = v[:, 0]
        peaks = [float(v[(t > s + 1.0) & (t < s + 1.0 + 0.5 * min(interval, 40.0))].max() - v[t <= s + 1.0][-1])
                 for s in times]
        metrics[f"{name}_first_epsp_mv"] = peaks[0]
        metrics[f"{name}_last_train_epsp_mv"] = peaks[n_spikes - 1]
        metrics[f"{name}_recovery_epsp_mv"] = peaks[-1]
        metrics[f"{name}_paired_pulse_ratio"] = peaks[1] / peaks[0]
        ax.plot(t, v)
        ax.set_ylabel("v (mV)")
        ax.set_title(f"{name}: U = {stp.U}, tau_rec = {stp.tau_rec:g} ms, tau_facil = {stp.tau_facil:g} ms",
                     fontsize=9)
    axes[-1].set_xlabel("time (ms)")
    return metrics, {"epsp_trains": fig}
