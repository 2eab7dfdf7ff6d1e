"""Build and run a validated spec (:mod:`neuroladder.io.spec`) with the library's own engines.

A spec is turned into the same calls a Python user writes: ``nl.simulate`` for ``[neuron]``,
``nl.Network`` for ``[network]``, ``nl.Cell`` + ``nl.simulate`` for ``[cell]`` and
``nl.BrainNetwork.run`` for ``[brain]``; there is no second integrator here. Random draws (initial
states, connectivity, Poisson input, noise) come from one generator made from ``seed``, in the
order the sections list them, so a spec and its Python twin give identical results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .spec import Spec, load_spec


@dataclass
class SpecRun:
    """What running a spec gives: the engine's result, flat metrics (units in the names) and figures."""

    spec: Spec
    result: object
    metrics: dict
    figures: dict = field(default_factory=dict)
    paths: list = field(default_factory=list)

    def to_json(self) -> str:
        """Strict JSON (NaN and infinities become null)."""
        return strict_json({"spec": self.spec.name, "kind": self.spec.kind, "metrics": self.metrics,
                            "files": [str(p) for p in self.paths]})


def strict_json(obj, indent: int | None = 2) -> str:
    """Strict JSON (undefined numbers as null): the one helper of :mod:`neuroladder.report.strict_json`."""
    from ..report import strict_json as _strict

    return _strict.dumps(obj, indent=indent)


# ------------------------------------------------------------------------------------------ builders
def _stimulus(items):
    """The sum of a list of stimulus tables (0.0 for none)."""
    from ..core.stimulus import Constant, Ramp, Sinusoid, Step

    total = None
    for s in items:
        if s.type == "constant":
            stim = Constant(s.amplitude)
        elif s.type == "step":
            stim = Step(s.amplitude, start=s.start, stop=math.inf if s.stop is None else s.stop, baseline=s.baseline)
        elif s.type == "ramp":
            stim = Ramp(s.amplitude_start, s.amplitude_stop, s.start, s.stop)
        else:
            stim = Sinusoid(s.amplitude, s.frequency, phase=s.phase, offset=s.offset, start=s.start,
                            stop=math.inf if s.stop is None else s.stop)
        total = stim if total is None else total + stim
    return 0.0 if total is None else total


def _model(name: str, params: dict):
    from .spec import _model_classes

    return _model_classes()[name](**params)


def _synapse(s):
    from ..network.synapses import AlphaSynapse, DeltaSynapse, ExpSynapse

    if s.type == "delta":
        return DeltaSynapse()
    cls = ExpSynapse if s.type == "exp" else AlphaSynapse
    return cls(s.tau) if s.e_rev is None else cls(s.tau, e_rev=s.e_rev)


def _draw(value, n: int, rng):
    if isinstance(value, (int, float)):
        return float(value)
    if value.distribution == "uniform":
        return rng.uniform(value.low, value.high, n)
    return rng.normal(value.mean, value.std, n)


def _weight(value):
    from ..network import connectivity

    if isinstance(value, (int, float)):
        return float(value)
    if value.distribution == "uniform":
        return connectivity.uniform(value.low, value.high)
    return connectivity.normal(value.mean, value.std)


def build_network(spec: Spec):
    """The ``nl.Network`` of a ``[network]`` spec (not yet run)."""
    from ..core.rng import make_rng
    from ..network import Network

    ns = spec.network
    rng = make_rng(spec.seed)
    net = Network(dt=spec.dt, seed=rng, threads=ns.threads)
    for p in ns.populations:
        initial = {k: _draw(v, p.n, rng) for k, v in p.initial.items()}
        pop = net.add_population(p.name, _model(p.model, p.params), p.n, method=p.method,
                                 spike_threshold=p.spike_threshold, **initial)
        if p.stimulus:
            net.inject(pop, _stimulus(p.stimulus))
        if p.record:
            net.record(pop, p.record, interval=spec.record_dt)
    for c in ns.connections:
        net.connect(c.pre, c.post, rule=c.rule, weight=_weight(c.weight), delay=c.delay, synapse=_synapse(c.synapse),
                    p=c.p, k=c.k, allow_autapses=c.allow_autapses, allow_multapses=c.allow_multapses)
    for inp in ns.poisson_inputs:
        net.add_poisson_input(inp.post, rate=inp.rate, weight=inp.weight, synapse=_synapse(inp.synapse),
                              n_sources=inp.n_sources)
    return net


def build_cell(spec: Spec):
    """The ``nl.Cell`` of a ``[cell]`` spec, with its clamps and synapses."""
    from ..cable import Cell

    cs = spec.cell
    m = cs.morphology
    kwargs = dict(cm=cs.cm, ra=cs.ra, g_pas=cs.g_pas, e_pas=cs.e_pas, nseg=cs.nseg, d_lambda=cs.d_lambda,
                  membrane=None if cs.membrane is None else _model(cs.membrane.model, cs.membrane.params))
    if m.type == "ball_and_stick":
        cell = Cell.ball_and_stick(m.soma_diam, m.dend_length, m.dend_diam, **kwargs)
    elif m.type == "cable":
        cell = Cell.cable(m.length, m.diam, **kwargs)
    else:
        cell = Cell.from_swc(m.file, **kwargs)
    for c in cs.clamps:
        cell.add_clamp(c.section, c.x, _stimulus(c.stimulus))
    for s in cs.synapses:
        cell.add_synapse(s.section, s.x, s.spike_times, s.weight, _synapse(s.synapse))
    return cell


def build_brain(spec: Spec):
    """The ``nl.BrainNetwork`` of a ``[brain]`` spec."""
    from ..mass import BrainNetwork

    b = spec.brain
    return BrainNetwork(_model(b.model, b.params), b.weights, lengths=b.lengths, velocity=b.velocity,
                        delays=b.delays, coupling=b.coupling, output=b.output, dt=spec.dt)


# ------------------------------------------------------------------------------------------- running
def run_spec(spec, overrides: dict | None = None, figures: bool = True) -> SpecRun:
    """Run a spec (a :class:`Spec` or a path to a TOML file); returns a :class:`SpecRun`."""
    if not isinstance(spec, Spec):
        spec = load_spec(spec, overrides)
    elif overrides:
        raise TypeError("overrides apply to a spec file path, not to a validated Spec")
    runner = {"neuron": _run_neuron, "network": _run_network, "cell": _run_cell, "brain": _run_brain}[spec.kind]
    result, metrics, figs = runner(spec, figures)
    return SpecRun(spec, result, {k: _plain(v) for k, v in metrics.items()}, figs)


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


def _run_neuron(spec: Spec, figures: bool):
    from ..core.simulate import simulate

    ns = spec.neuron
    model = _model(ns.model, ns.params)
    res = simulate(model, spec.duration, spec.dt, current=_stimulus(ns.stimulus), n=ns.n, method=ns.method,
                   seed=spec.seed, record=None if ns.record is None else tuple(ns.record), record_dt=spec.record_dt,
                   initial_state=dict(ns.initial) or None, spike_threshold=ns.spike_threshold)
    metrics = {"n_spikes": int(res.spike_counts.sum()), "rate_hz": float(res.rates().mean())}
    for name in res.keys():
        unit = res.units.get(name, "")
        suffix = f"_{unit.lower()}" if unit in ("mV",) else ""
        values = np.asarray(res[name])
        metrics[f"{name}_max{suffix}"] = float(values.max())
        metrics[f"{name}_min{suffix}"] = float(values.min())
    figs = {}
    if figures:
        from ..report import figure

        names = list(res.keys())
        if names:
            fig, axes = figure(len(names), 1, width=7.0, height=2.2 * len(names) + 0.6, sharex=True, squeeze=False)
            for ax, name in zip(axes[:, 0], names):
                ax.plot(res.t, np.asarray(res[name]).reshape(res.t.size, -1)[:, :20], lw=1.0)
                unit = res.units.get(name) or model.state_units.get(name, "") if hasattr(model, "state_units") else ""
                ax.set_ylabel(f"{name} ({unit})" if unit else name)
            axes[-1, 0].set_xlabel("time (ms)")
            axes[0, 0].set_title(f"{spec.name}: {ns.model}, {metrics['n_spikes']} spikes")
            figs["traces"] = fig
    return res, metrics, figs


def _run_network(spec: Spec, figures: bool):
    net = build_network(spec)
    out = net.run(spec.duration)
    metrics = {"rate_hz": out.rate_hz(), "cv_isi": out.cv_isi(), "n_synapses": int(net.n_synapses)}
    for name, trains in out.spikes.items():
        metrics[f"{name}_rate_hz"] = trains.rate_hz()
        metrics[f"{name}_cv_isi"] = trains.cv_isi()
    figs = {}
    if figures:
        from ..report import figure

        fig, (ax_r, ax_p) = figure(2, 1, width=7.0, height=5.0, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
        out.raster(ax_r, max_neurons=400)
        ax_r.set_title(f"{spec.name}: {metrics['rate_hz']:.1f} Hz")
        out.plot_rates(ax_p, bin=5.0)
        figs["raster"] = fig
    return out, metrics, figs


def _run_cell(spec: Spec, figures: bool):
    from ..core.simulate import simulate

    cell = build_cell(spec)
    sites = [(s.section, s.x) for s in spec.cell.record]
    res = simulate(cell, spec.duration, spec.dt, method=spec.cell.method, record=sites, record_dt=spec.record_dt)
    v = res["v"].reshape(res.t.size, -1)
    metrics = {}
    for k in range(len(sites)):
        metrics[f"site{k}_v_peak_mv"] = float(v[:, k].max())
        metrics[f"site{k}_v_min_mv"] = float(v[:, k].min())
        metrics[f"site{k}_v_final_mv"] = float(v[-1, k])
    metrics["n_compartments"] = int(cell.n)
    figs = {}
    if figures:
        from ..report import figure

        fig, ax = figure(1, 1, width=7.0, height=3.6)
        for k, (section, x) in enumerate(sites):
            ax.plot(res.t, v[:, k], label=f"section {section}, x = {x:g}")
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("v (mV)")
        ax.set_title(f"{spec.name}: {cell.n} compartments")
        ax.legend(fontsize=8)
        figs["voltage"] = fig
    return res, metrics, figs


def _run_brain(spec: Spec, figures: bool):
    b = spec.brain
    net = build_brain(spec)
    res = net.run(spec.duration, current=np.asarray(b.current, dtype=float), noise=b.noise, seed=spec.seed,
                  method=b.method, record=None if b.record is None else tuple(b.record), record_dt=spec.record_dt)
    if b.model == "JansenRit" and "y1" in res and "y2" in res:
        signal, label = res["y1"] - res["y2"], "EEG y1 - y2 (mV)"
    else:
        name = net.output if net.output in res else next(iter(res.keys()))
        signal, label = res[name], name
    signal = np.asarray(signal).reshape(res.t.size, -1)
    keep = res.t >= 0.2 * spec.duration  # past the start-up transient
    mean_signal = signal[keep].mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mean_signal - mean_signal.mean())) ** 2
    freqs = np.fft.rfftfreq(mean_signal.size, d=(res.t[1] - res.t[0]) * 1e-3)
    band = freqs > 1.0
    peak = float(freqs[band][np.argmax(spectrum[band])]) if band.any() and spectrum[band].max() > 0 else float("nan")
    metrics = {"n_regions": int(net.n), "signal_mean": float(signal[keep].mean()),
               "signal_std": float(signal[keep].std()), "peak_frequency_hz": peak}
    figs = {}
    if figures:
        from ..report import figure

        fig, (ax_t, ax_s) = figure(1, 2, width=10.0, height=3.6, gridspec_kw={"width_ratios": [2, 1]})
        ax_t.plot(res.t, signal[:, :8], lw=0.8)
        ax_t.set_xlabel("time (ms)")
        ax_t.set_ylabel(label)
        ax_t.set_title(f"{spec.name}: {net.n} regions of {b.model}")
        if band.any():
            ax_s.semilogy(freqs[band], spectrum[band] + 1e-30)
        ax_s.set_xlabel("frequency (Hz)")
        ax_s.set_ylabel("power of the region mean")
        ax_s.set_xlim(0, 60)
        figs["signal"] = fig
    return res, metrics, figs


def save_run(run: SpecRun, out_dir) -> list[Path]:
    """Write ``metrics.json``, the figures (PNG) and the recorded data (``result.npz``) into ``out_dir``."""
    from ..report.style import save

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fig in run.figures.items():
        path = out / f"{run.spec.name}_{name}.png"
        save(fig, path)
        paths.append(path)
    arrays = _arrays(run.result)
    if arrays:
        np.savez_compressed(out / "result.npz", **arrays)
        paths.append(out / "result.npz")
    (out / "metrics.json").write_text(strict_json({"spec": run.spec.name, "kind": run.spec.kind,
                                                   "metrics": run.metrics}) + "\n")
    paths.append(out / "metrics.json")
    run.paths = paths
    return paths


def _arrays(result) -> dict:
    from ..core.result import Result

    if isinstance(result, Result):
        arrays = {"t": result.t, "spike_times": result.spikes[0], "spike_units": result.spikes[1]}
        for name in result.keys():
            arrays[f"trace_{name}"] = np.asarray(result[name])
        return arrays
    arrays = {}
    for name, trains in getattr(result, "spikes", {}).items():
        arrays[f"{name}_spike_times"] = trains.times
        arrays[f"{name}_spike_ids"] = trains.ids
    return arrays
