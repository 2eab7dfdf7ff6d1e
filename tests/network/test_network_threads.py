"""Threads change speed, never results: blocks write their spikes to their own staging rows and
are merged in block order (network/_engine.py), so a run with 2 threads must reproduce a
1-thread run bit for bit."""

from __future__ import annotations

import numba
import numpy as np
import pytest

import neuroladder as nl
from neuroladder.experiments.networks import vogels_abbott


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs 2 threads")
def test_two_threads_give_identical_spikes():
    spikes = {}
    for threads in (1, 2):
        net = vogels_abbott("cuba", seed=3, n=1200, p=0.05, threads=threads)
        out = net.run(200.0)
        spikes[threads] = (out.spikes["P"].times, out.spikes["P"].ids)
    assert spikes[1][0].size > 100  # the network is active, so the comparison means something
    np.testing.assert_array_equal(spikes[1][0], spikes[2][0])
    np.testing.assert_array_equal(spikes[1][1], spikes[2][1])


def test_threads_validated():
    with pytest.raises(nl.ParameterError, match="threads"):
        nl.Network(dt=0.1, threads=0)
