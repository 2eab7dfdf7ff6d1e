"""The fused LIF step (engine fast path) must give the generic path's spikes to the bit.

Expected values come from the generic engine path (block update through the model's equations and
core._kernels._redo_unit), an independent implementation of the same arithmetic.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder.experiments.networks import vogels_abbott
from neuroladder.network.network import Network


@pytest.mark.parametrize("kind", ["cuba", "coba"])
def test_fused_lif_step_reproduces_generic_path(kind, monkeypatch):
    fused = vogels_abbott(kind, 3, n=1000, p=0.05)
    fused._build()
    assert fused._fused_lif(0)
    out_f = fused.run(300.0)
    monkeypatch.setattr(Network, "_fused_lif", lambda self, i: False)
    generic = vogels_abbott(kind, 3, n=1000, p=0.05)
    out_g = generic.run(300.0)
    assert len(out_g.spikes["P"].times) > 100
    np.testing.assert_array_equal(out_f.spikes["P"].ids, out_g.spikes["P"].ids)
    np.testing.assert_array_equal(out_f.spikes["P"].times, out_g.spikes["P"].times)
