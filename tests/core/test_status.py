"""The one status -> error helper and the block layout helpers (core/status.py, core/blocks.py)."""

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.core.blocks import block_layout, from_blocks, thread_parts, to_blocks
from neuroladder.core.status import raise_for_status


def _label(unit, var):
    return "spike" if var is None else ["v", "w"][var]


def test_status_ok_and_need_space_do_not_raise():
    raise_for_status([0, 0, 0, 0], 0.1, "euler", _label)
    raise_for_status([2, 5, 1, 7], 0.1, "euler", _label)  # NEED_SPIKE_SPACE: the caller grows its buffer


def test_status_diverged_names_time_unit_and_variable():
    # the kernel contract: step is 0-based, so the error is at the end of step 7, t = 8 dt
    with pytest.raises(nl.SimulationDiverged) as err:
        raise_for_status(np.array([1, 5, 1, 7]), 0.25, "rk4", _label)
    e = err.value
    assert (e.time, e.unit, e.variable, e.dt, e.method) == (2.0, 5, "w", 0.25, "rk4")


def test_status_too_many_spikes_names_the_spike_variable():
    with pytest.raises(nl.SimulationDiverged, match="crossed threshold 4 times within one step"):
        raise_for_status([3, 2, 0, 0], 0.1, "euler", _label)


def test_blocks_round_trip_and_padding():
    # 10 units in 3 blocks of 4: the last block's two padding columns copy unit 9
    m = np.arange(20.0).reshape(2, 10)
    b = to_blocks(m, 3, 4)
    assert b.shape == (3, 2, 4) and b.flags.c_contiguous
    np.testing.assert_array_equal(b[2, :, 2:], m[:, [9, 9]])
    np.testing.assert_array_equal(from_blocks(b, 10), m)
    assert block_layout(10) == (1, 10)
    assert block_layout(10_000) == (3, 3334)  # at most 4096 units per block, as even as possible
    assert block_layout(1024, min_blocks=2) == (2, 512)
    assert block_layout(51_200, min_blocks=2) == (14, 3658)  # 13 blocks would give the threads 7 and 6
    assert block_layout(300, min_blocks=2) == (1, 300)  # blocks of 150 units are not worth a thread
    assert list(thread_parts(14, 2)) == [0, 7, 14] and list(thread_parts(1, 2)) == [0, 0, 1]


def test_cable_divergence_goes_through_the_helper():
    # a clamp of 1e308 (finite, so accepted) overflows v in the first step: the error is at t = dt, at the
    # first recorded compartment (cable/cell.py reports there), variable v
    cell = nl.Cell.cable(100.0, 1.0, cm=1.0, ra=100.0, g_pas=1e-4, e_pas=-65.0, nseg=11)
    cell.add_clamp(0, 0.5, 1e308)
    with pytest.raises(nl.SimulationDiverged) as err:
        nl.simulate(cell, duration=1.0, dt=0.025, record=[(0, 0.5)])
    assert (err.value.time, err.value.unit, err.value.variable) == (0.025, cell.compartment(0, 0.5), "v")
