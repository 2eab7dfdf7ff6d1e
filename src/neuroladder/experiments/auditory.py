"""Detail vs efficiency in sound localisation: a Rothman-Manis neuron against an event-driven detector."""

from __future__ import annotations

import time

import numpy as np

from ..circuits.coincidence import binaural_input, coincidence_detector, detailed_detector
from ..report import figure
from .registry import Range, experiment


def _best_itd(itds, rates, frequency):
    """Best ITD (us) from the best interaural phase: the angle of the tuning curve's component at the
    tone frequency, ``arg sum r(ITD) e^{i 2 pi f ITD}`` (Yin & Chan 1990), over the ITDs of one
    period (the last point of a closed period is left out). Resolves below the ITD step."""
    itds = np.asarray(itds, dtype=float)
    rates = np.asarray(rates, dtype=float)
    period_us = 1e6 / frequency
    keep = itds < itds[0] + period_us - 1e-9
    phase = np.angle(np.sum(rates[keep] * np.exp(2j * np.pi * frequency * itds[keep] * 1e-6)))
    return float(phase / (2 * np.pi * frequency) * 1e6)


@experiment("coincidence-cost", "Binaural ITD tuning of a detailed Rothman-Manis (2003) type II neuron with "
            "conductance synapses and of an event-driven Jeffress (1948) coincidence detector fed the same "
            "phase-locked Poisson inputs (500 Hz tone, VS 0.8): best ITDs, tuning correlation and the cost of each.",
            params={"frequency": Range(50.0, 2000.0, "Hz"), "vector_strength": Range(0.0, 0.99, low_open=True),
                    "n_fibres": Range(1, 100), "duration": Range(100.0, 60000.0, "ms"),
                    "weight_ns": Range(0.0, 1000.0, "nS", low_open=True), "window_ms": Range(0.0, 2.0, "ms", low_open=True)})
def coincidence_cost(quick=False, seed=1, frequency=500.0, vector_strength=0.8, n_fibres=8, duration=1000.0,
                     weight_ns=9.0, window_ms=0.1):
    step = 200.0 if quick else 100.0
    if quick:
        duration = min(duration, 300.0)
    itds = np.arange(-1000.0, 1000.0 + step / 2, step)
    inputs = binaural_input(itds, frequency, vector_strength, 200.0, int(n_fibres), duration, seed=seed)
    seconds = duration * 1e-3
    # first calls compile (or load the cache): timed apart, on a tiny input
    tiny = binaural_input([0.0], frequency, vector_strength, 200.0, 1, 5.0, seed=seed)
    t0 = time.perf_counter()
    detailed_detector(tiny, weight_ns=weight_ns)
    compile_detailed = time.perf_counter() - t0
    t0 = time.perf_counter()
    coincidence_detector(tiny.left[0], tiny.right[0], window_ms, 1.0)
    compile_event = time.perf_counter() - t0
    t0 = time.perf_counter()
    detailed, state_updates = detailed_detector(inputs, weight_ns=weight_ns)
    wall_detailed = time.perf_counter() - t0
    t0 = time.perf_counter()
    event = [coincidence_detector(l, r, window_ms, 1.0) for l, r in zip(inputs.left, inputs.right)]
    wall_event = time.perf_counter() - t0
    rate_d = np.array([s.size for s in detailed]) / seconds
    rate_e = np.array([s.size for s in event]) / seconds
    n_events = sum(l.size + r.size for l, r in zip(inputs.left, inputs.right))
    corr = float(np.corrcoef(rate_d, rate_e)[0, 1]) if rate_d.std() > 0 and rate_e.std() > 0 else None
    metrics = {
        "best_itd_detailed_us": _best_itd(itds, rate_d, frequency),
        "best_itd_event_us": _best_itd(itds, rate_e, frequency),
        "itd_tuning_correlation": corr,
        "cost_ratio": (wall_detailed / seconds) / (wall_event / seconds),
        "detailed_s_per_simulated_s": wall_detailed / seconds,
        "event_s_per_simulated_s": wall_event / seconds,
        "detailed_state_updates_per_simulated_s": state_updates / seconds,
        "event_operations_per_simulated_s": n_events / seconds,
        "detailed_compile_s": compile_detailed,
        "event_compile_s": compile_event,
        "n_cells": int(itds.size),
        "detailed_peak_rate_hz": float(rate_d.max()),
        "event_peak_rate_hz": float(rate_e.max()),
    }
    fig, axes = figure(1, 3, width=10.0, height=3.2)
    axes[0].plot(itds, rate_d, "o-", color="C0")
    axes[0].set_title("Rothman-Manis type II", fontsize=9)
    axes[1].plot(itds, rate_e, "o-", color="C1")
    axes[1].set_title(f"event-driven, window {window_ms:g} ms", fontsize=9)
    for ax in axes[:2]:
        ax.set_xlabel("ITD (us)")
        ax.set_ylabel("output rate (Hz)")
    axes[2].bar(["detailed", "event-driven"], [wall_detailed / seconds, wall_event / seconds], color=["C0", "C1"])
    axes[2].set_yscale("log")
    axes[2].set_ylabel("wall time per simulated s (s)")
    axes[2].set_title(f"cost ratio {metrics['cost_ratio']:.0f} ({itds.size} cells)", fontsize=9)
    return metrics, {"tuning_and_cost": fig}
