"""What a network run returns: spikes per population, population rates, recorded states."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import ParameterError


@dataclass(frozen=True)
class SpikeTrains:
    """Spikes of one population: ``times`` (ms, sorted) and ``ids`` (neuron index within the population)."""

    times: np.ndarray
    ids: np.ndarray
    n: int
    t_start: float
    t_stop: float

    def __len__(self):
        return self.times.size

    def trains(self) -> list[np.ndarray]:
        """One array of spike times per neuron."""
        order = np.argsort(self.ids, kind="stable")
        ids, times = self.ids[order], self.times[order]
        bounds = np.searchsorted(ids, np.arange(self.n + 1))
        return [times[bounds[k]:bounds[k + 1]] for k in range(self.n)]

    def counts(self) -> np.ndarray:
        return np.bincount(self.ids, minlength=self.n)

    def rate_hz(self) -> float:
        """Mean firing rate over all neurons and the run (Hz)."""
        return float(self.times.size / self.n / ((self.t_stop - self.t_start) / 1000.0))

    def cv_isi(self, min_spikes: int = 3) -> float:
        """Mean ISI coefficient of variation over neurons with at least ``min_spikes`` spikes (NaN if none)."""
        cvs = []
        for train in self.trains():
            if train.size >= min_spikes:
                d = np.diff(train)
                cvs.append(d.std() / d.mean())
        return float(np.mean(cvs)) if cvs else float("nan")


class NetworkResult:
    """Recordings of one :meth:`Network.run`.

    ``out.spikes["E"]`` is a :class:`SpikeTrains`; ``out.rate("E", bin=1.0)`` the population rate;
    ``out.state("E", "v")`` a (times, values) pair; ``build_s``/``run_s`` the wall seconds for
    construction and for the simulation alone.
    """

    def __init__(self, network, spike_times, spike_ids, t_start, t_stop, monitors, build_s, run_s):
        self.dt = network.dt
        self.t_start, self.t_stop = t_start, t_stop
        self.build_s, self.run_s = build_s, run_s
        order = np.lexsort((spike_ids, spike_times))
        spike_times, spike_ids = spike_times[order], spike_ids[order]
        self.spikes: dict[str, SpikeTrains] = {}
        for pop in network.populations.values():
            mask = (spike_ids >= pop.id_offset) & (spike_ids < pop.id_offset + pop.n)
            self.spikes[pop.name] = SpikeTrains(spike_times[mask], spike_ids[mask] - pop.id_offset, pop.n,
                                                t_start, t_stop)
        self._states = {(name, var): (ids, times, values) for name, var, ids, times, values in monitors}

    def to_nwb(self, path, description: str = "neuroladder network simulation", **kwargs):
        """Write every neuron's spikes (NWB units table, with population and index) and recorded states."""
        from ..io.nwb import network_to_nwb

        return network_to_nwb(self, path, description, **kwargs)

    def rate(self, population: str, bin: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Population rate (Hz per neuron) in bins of ``bin`` ms: (bin centres in ms, rates)."""
        st = self._pop(population)
        if not bin > 0:
            raise ParameterError(f"bin = {bin} ms must be > 0")
        edges = np.arange(self.t_start, self.t_stop + 0.5 * bin, bin)
        counts, _ = np.histogram(st.times, edges)
        return 0.5 * (edges[1:] + edges[:-1]), counts / st.n / (bin / 1000.0)

    def state(self, population: str, variable: str) -> tuple[np.ndarray, np.ndarray]:
        """(times in ms, values of shape (time, recorded neurons)) of a recorded variable."""
        key = (population, variable)
        if key not in self._states:
            raise KeyError(f"{variable!r} of {population!r} was not recorded; call net.record({population!r}, "
                           f"{variable!r}) before net.run")
        ids, times, values = self._states[key]
        return times, values

    def _pop(self, population):
        if population not in self.spikes:
            raise ParameterError(f"population {population!r} is unknown; populations: {', '.join(self.spikes)}")
        return self.spikes[population]

    def rate_hz(self) -> float:
        """Mean rate over all neurons of all populations (Hz)."""
        total = sum(len(s) for s in self.spikes.values())
        n = sum(s.n for s in self.spikes.values())
        return float(total / n / ((self.t_stop - self.t_start) / 1000.0))

    def cv_isi(self) -> float:
        """Mean ISI CV over all neurons (of all populations) with >= 3 spikes."""
        cvs = []
        for st in self.spikes.values():
            for train in st.trains():
                if train.size >= 3:
                    d = np.diff(train)
                    cvs.append(d.std() / d.mean())
        return float(np.mean(cvs)) if cvs else float("nan")

    def synchrony(self, population: str, bin: float = 1.0) -> float:
        """Variance of the population count signal over the mean variance of single neurons' counts
        (Golomb 2007's chi^2-like measure on binned spike counts): ~1/N for asynchronous, ~1 for synchronous."""
        st = self._pop(population)
        edges = np.arange(self.t_start, self.t_stop + 0.5 * bin, bin)
        per_neuron = np.zeros((st.n, edges.size - 1))
        idx = np.clip(np.searchsorted(edges, st.times, side="right") - 1, 0, edges.size - 2)
        np.add.at(per_neuron, (st.ids, idx), 1.0)
        pop_var = per_neuron.mean(axis=0).var()
        single = per_neuron.var(axis=1).mean()
        return float(pop_var / single) if single > 0 else float("nan")

    def raster(self, ax=None, populations=None, max_neurons: int = 500):
        """Raster plot of up to ``max_neurons`` neurons per population (stacked); returns the figure."""
        from ..report import figure

        fig = None
        if ax is None:
            fig, ax = figure(1, 1, width=7.0, height=3.6)
        base = 0
        from ..report.style import COLORS

        for j, name in enumerate(populations or self.spikes):
            st = self.spikes[name]
            shown = min(st.n, max_neurons)
            mask = st.ids < shown
            ax.scatter(st.times[mask], st.ids[mask] + base, s=1.0, marker="|", color=COLORS[j % len(COLORS)],
                       label=name, linewidths=0.6)
            base += shown
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("neuron")
        if len(populations or self.spikes) > 1:  # one population needs no legend (its name may be just "P")
            ax.legend(loc="upper right", fontsize=7, markerscale=6)
        return fig if fig is not None else ax.figure

    def plot_rates(self, ax=None, bin: float = 5.0):
        """Population rates over time; returns the figure."""
        from ..report import figure

        fig = None
        if ax is None:
            fig, ax = figure(1, 1, width=7.0, height=2.6)
        for name in self.spikes:
            t, r = self.rate(name, bin)
            ax.plot(t, r, label=name)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel(f"rate (Hz, {bin:g} ms bins)")
        ax.legend(loc="upper right", fontsize=7)
        return fig if fig is not None else ax.figure
