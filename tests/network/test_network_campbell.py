"""Shot noise of Poisson input through exponential synapses against Campbell's theorem.

Campbell's theorem (Rice 1944; Papoulis, *Probability*, ch. 16): for X(t) = sum_k f(t - t_k) with t_k a
Poisson process of rate lambda, E[X] = lambda int f and Var[X] = lambda int f^2. N sources of rate r
through an exponential synapse f(s) = w exp(-s/tau) give

    mean = N r w tau,      variance = N r w^2 tau / 2      (r in 1/ms).

On the time grid of the engine the arrivals fall on the step starts and the variable is sampled at the
step ends, so the lattice form of the same theorem applies (sum over s = j dt, j >= 1, instead of the
integral):

    mean = N r dt w q/(1 - q),   variance = N r dt w^2 q^2/(1 - q^2),   q = exp(-dt/tau),

which tends to the continuous values as dt -> 0 (relative differences -dt/(2 tau), -dt/tau). Samples:
2000 neurons with independent input, at 4 times 10 tau apart (correlation exp(-10) = 5e-5 between
times), so the 8000 samples are independent to that accuracy. Standard errors: s / sqrt(n) for the mean,
sqrt((m4 - s^4) / n) for the variance (m4 the sample fourth central moment).
"""

from __future__ import annotations

import math

import numpy as np

import neuroladder as nl

N_NEURONS = 2000
N_SRC, RATE_HZ, W, TAU = 100, 20.0, 2.0, 5.0   # sources, Hz, pA, ms
SAMPLE_EVERY = 10 * TAU                         # ms between samples; the first after 10 tau of burn-in
N_TIMES = 4


def lattice_campbell(dt):
    r = RATE_HZ * 1e-3  # 1/ms
    q = math.exp(-dt / TAU)
    return N_SRC * r * dt * W * q / (1 - q), N_SRC * r * dt * W ** 2 * q * q / (1 - q * q)


def continuous_campbell():
    r = RATE_HZ * 1e-3
    return N_SRC * r * W * TAU, N_SRC * r * W ** 2 * TAU / 2.0   # 20 pA, 20 pA^2


def _non_spiking_population(net):
    # v_th far above anything the input can reach: a pure synaptic read-out
    return net.add_population("P", nl.LIF(v_th=400.0, v_reset=-70.0), N_NEURONS)


def _samples(out):
    t, g = out.state("P", "syn0")
    assert g.shape == (N_TIMES, N_NEURONS)
    return g.ravel()


def _check(x, mean, var):
    n = x.size
    m, s2 = x.mean(), x.var(ddof=1)
    m4 = np.mean((x - m) ** 4)
    se_mean = math.sqrt(s2 / n)
    se_var = math.sqrt((m4 - s2 * s2) / n)
    assert abs(m - mean) < 3.0 * se_mean, (m, mean, se_mean)
    assert abs(s2 - var) < 3.0 * se_var, (s2, var, se_var)


def _run_poisson_input(dt, seed):
    net = nl.Network(dt=dt, seed=seed)
    pop = _non_spiking_population(net)
    net.add_poisson_input(pop, rate=RATE_HZ, weight=W, synapse=nl.ExpSynapse(TAU), n_sources=N_SRC)
    net.record(pop, "syn0", interval=SAMPLE_EVERY)
    return net.run(N_TIMES * SAMPLE_EVERY)


def test_campbell_poisson_input_lattice():
    # dt = 0.1: expected values from the lattice form (mean 19.80 pA, variance 19.60 pA^2, i.e. 1 % and
    # 2 % below the continuous ones, which would be ~4 standard errors away at n = 8000)
    mean, var = lattice_campbell(0.1)
    _check(_samples(_run_poisson_input(0.1, seed=3)), mean, var)


def test_campbell_poisson_input_continuous_limit():
    # dt = 0.01: the continuous formula N r w tau = 20 pA, N r w^2 tau/2 = 20 pA^2 (the lattice
    # differences, 0.1 % and 0.2 %, are below 0.5 standard error)
    mean, var = continuous_campbell()
    _check(_samples(_run_poisson_input(0.01, seed=4)), mean, var)


def test_campbell_poisson_sources_one_to_one():
    # The same statistics through the spike-source path: 2000 independent Poisson sources of rate
    # N r (a superposition of N independent Poisson processes of rate r is Poisson of rate N r), one per
    # neuron. The weight is delivered one step later than add_poisson_input (source emits in step s,
    # arrives at (s+1) dt + delay), which does not change stationary statistics.
    dt = 0.1
    net = nl.Network(dt=dt, seed=5)
    pop = _non_spiking_population(net)
    src = net.add_poisson_source("Q", N_NEURONS, N_SRC * RATE_HZ)
    net.connect(src, pop, rule="one_to_one", weight=W, delay=dt, synapse=nl.ExpSynapse(TAU))
    net.record(pop, "syn0", interval=SAMPLE_EVERY)
    mean, var = lattice_campbell(dt)
    _check(_samples(net.run(N_TIMES * SAMPLE_EVERY)), mean, var)
