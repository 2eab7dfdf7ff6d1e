"""Wang & Buzsaki (1996) interneuron against published behaviour.

* The kernels' gate rates equal the paper's formulas (numpy reference) to 1e-12.
* Type-I onset: the resting node and the saddle collide (saddle-node on an invariant circle) at
  I ~ 0.16 uA/cm^2 (Borgers, *An Introduction to Modeling Neuronal Dynamics*, 2017, ch. 5, for the WB neuron);
  found here with ``nl.fixed_points`` (two points at 0.155, none at 0.165), and firing starts at low rates.
* About 60 Hz at 1 uA/cm^2 (Wang & Buzsaki 1996, Fig. 1C: f-I curve reaching ~60 Hz at I = 1).
* Nav1.1 loss (Yu et al. 2006: halved sodium current in interneurons): lower maximal rate and an earlier
  depolarisation block.
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.channels import wang_buzsaki as wb


def test_gate_rates_match_paper_formulas():
    v = np.linspace(-90.0, 40.0, 131) + 0.123
    kernel = np.array([wb.gate_rates(x, 0.0) for x in v]).T
    np.testing.assert_allclose(kernel, np.array(wb.gate_rates_reference(v)), rtol=1e-12)


def test_saddle_node_onset_near_0p16():
    model = nl.WangBuzsaki()
    assert len(nl.fixed_points(model, 0.155, v_range=(-80, -40), n_grid=801)) == 2
    assert len(nl.fixed_points(model, 0.165, v_range=(-80, -40), n_grid=801)) == 0
    rates = nl.fi_curve(model, [0.2, 1.0], duration=1000.0, dt=0.01, spike_threshold=-20.0)
    assert 0.0 < rates[0] < 15.0                         # type I: arbitrarily low rates near onset
    assert rates[1] == pytest.approx(60.0, abs=6.0)


def test_nav11_loss_lowers_max_rate_and_blocks_earlier():
    currents = np.array([2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0])
    wt = nl.fi_curve(nl.WangBuzsaki(), currents, duration=300.0, dt=0.01, spike_threshold=-20.0)
    mut = nl.fi_curve(nl.WangBuzsaki(nav11_severity=1.0), currents, duration=300.0, dt=0.01, spike_threshold=-20.0)
    assert mut.max() < wt.max()
    block = lambda r: currents[np.argmax(r < 0.2 * r.max())] if np.any(r < 0.2 * r.max()) else np.inf  # noqa: E731
    assert block(mut) < block(wt)
    with pytest.raises(nl.ParameterError, match="nav11_severity"):
        nl.WangBuzsaki(nav11_severity=1.5)
