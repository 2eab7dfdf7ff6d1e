"""Izhikevich (2003) firing patterns, one panel per pattern."""

from __future__ import annotations

import numpy as np

from .. import analysis
from ..core.simulate import simulate
from ..neurons import Izhikevich
from ..report import figure
from .registry import Range, Undefined, experiment


@experiment("izhikevich-patterns", "The Izhikevich (2003) model's named firing patterns (RS, IB, CH, FS, LTS, TC, "
            "RZ), each driven by its own input; spike count, mean ISI, adaptation index and burst count each.",
            params={"duration": Range(1.0, 1e5, "ms"), "dt": Range(0.001, 0.2, "ms")})
def izhikevich_patterns(quick=False, duration=400.0, dt=0.05):
    names = list(Izhikevich.PATTERNS)
    fig, axes = figure(len(names), 1, width=7.0, height=1.6 * len(names), sharex=True)
    metrics = {}
    for ax, name in zip(axes, names):
        pattern = Izhikevich.PATTERNS[name]
        res = simulate(Izhikevich.from_pattern(name), duration, dt, current=pattern.current)
        spikes = res.spike_times
        isi = np.diff(spikes)
        key = name.lower()
        metrics[f"{key}_spike_count"] = int(spikes.size)
        metrics[f"{key}_mean_isi_ms"] = (float(isi.mean()) if isi.size else
                                          Undefined(f"{spikes.size} spike(s) in {duration:g} ms: no ISI"))
        adaptation = analysis.adaptation_index(spikes)
        too_few = Undefined(f"{spikes.size} spike(s) in {duration:g} ms: needs 3 for two ISIs")
        metrics[f"{key}_adaptation_index"] = adaptation if np.isfinite(adaptation) else too_few
        metrics[f"{key}_burst_count"] = analysis.burst_count(spikes)
        drive = pattern.current._values(res.t)
        ax.plot(res.t, res["v"], lw=0.9)
        ax.plot(res.t, -90.0 + 1.5 * drive, color="0.5", lw=0.8)
        ax.set_ylabel(f"{name}\nv (mV)")
        ax.set_ylim(-100, 40)
        # the description above the panel, not over the trace (it used to cover the spikes)
        ax.set_title(pattern.description, fontsize=7, loc="right", pad=2)
    axes[-1].set_xlabel("time (ms)")
    fig.suptitle("Izhikevich (2003) patterns (grey: input, scaled)", fontsize=10)
    return metrics, {"patterns": fig}
