"""A small network for the reference-path test (tests/network/test_reference_path.py): fused LIF
populations (current and conductance ports), a generic-path AdEx population with an alpha synapse,
Poisson input and a spike generator. Prints the spikes as JSON."""

import json

import numpy as np

import neuroladder as nl


def build():
    net = nl.Network(dt=0.1, seed=3)
    E = net.add_population("E", nl.LIF(), 40, v=np.linspace(-65.0, -52.0, 40))
    I = net.add_population("I", nl.LIF(tau_m=10.0), 10, v=-60.0)
    A = net.add_population("A", nl.AdEx(), 5)
    gen = net.add_spike_generator("G", [np.array([5.0, 12.0, 30.0])])
    net.connect(E, I, rule="fixed_probability", p=0.5, weight=60.0, delay=1.0, synapse=nl.ExpSynapse(5.0))
    net.connect(I, E, rule="fixed_probability", p=0.5, weight=2.0, delay=1.5,
                synapse=nl.ExpSynapse(10.0, e_rev=-80.0))
    net.connect(E, A, rule="all_to_all", weight=15.0, delay=2.0, synapse=nl.AlphaSynapse(2.0))
    net.connect(gen, E, rule="all_to_all", weight=100.0, delay=1.0, synapse=nl.ExpSynapse(5.0))
    net.inject(E, 500.0)
    net.inject(I, 300.0)
    net.add_poisson_input(A, rate=4000.0, weight=100.0, synapse=nl.ExpSynapse(3.0))
    return net


def spikes(duration=60.0):
    out = build().run(duration)
    return {name: [out.spikes[name].times.tolist(), out.spikes[name].ids.tolist()] for name in ("E", "I", "A")}


if __name__ == "__main__":
    print(json.dumps(spikes()))
