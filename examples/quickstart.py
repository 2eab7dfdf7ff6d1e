"""The README's ten-line example: a Hodgkin-Huxley neuron, its spikes, and its f-I curve."""

import matplotlib.pyplot as plt
import numpy as np

import neuroladder as nl

hh = nl.HodgkinHuxley()
res = nl.simulate(hh, duration=100.0, dt=0.01, current=nl.Step(10.0, start=20.0))
currents = np.linspace(0, 30, 31)
rates = nl.fi_curve(hh, currents, duration=500.0)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3), layout="constrained")
ax1.plot(res.t, res["v"]); ax1.set(xlabel="time (ms)", ylabel="v (mV)", title=f"{len(res.spike_times)} spikes")
ax2.plot(currents, rates, "o-"); ax2.set(xlabel="current (uA/cm$^2$)", ylabel="rate (Hz)", title="f-I curve")
fig.savefig("quickstart.png", dpi=110)
