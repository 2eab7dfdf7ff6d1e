"""The epilepsy-ladder experiment's must-holds (issue 22).

Independent expectations: the interneuron's maximal rate falls with Nav1.1 loss (Yu et al. 2006: halved
sodium current, reduced interneuron firing); network synchrony at the highest severity exceeds wild type
(disinhibition: Dravet's seizures); Epileptor seizures at the paper's x0 and none below the critical value
(Proix et al. 2014: x0c ~ -2.05); more regions recruited as the zone's x0 rises (Proix et al. 2014); the
reduced wild-type interneuron's coincidence factor on held-out input >= 0.7 (Jolivet et al. 2008).
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder.circuits.epilepsy import reduce_interneuron
from neuroladder.experiments import run


@pytest.mark.slow
def test_epilepsy_ladder_quick():
    m = run("epilepsy-ladder", quick=True).metrics
    assert m["mutant_max_rate_hz"] < m["wt_max_rate_hz"]
    assert np.all(np.diff(m["max_rate_hz_by_severity"]) <= 1e-9)
    assert m["network_synchrony"][-1] > m["network_synchrony"][0]
    assert m["tipping_severity"] is not None
    assert m["epileptor_seizures"] > 0 and m["epileptor_seizures_subcritical"] == 0
    assert m["epileptor_mean_interval_s"] == pytest.approx(2.857, rel=0.5)
    rec = m["recruited_regions"]
    assert np.all(np.diff(rec) >= 0) and rec[-1] > rec[0]


@pytest.mark.slow
def test_wild_type_reduction_reaches_jolivet_quality():
    assert reduce_interneuron(0.0, popsize=12, maxiter=80, seed=1).held_out_gamma >= 0.7


def test_epilepsy_ladder_bad_parameters():
    from neuroladder.core.errors import ParameterError

    for bad in ({"n_severities": 1}, {"coupling": -1.0}, {"epileptor_window_s": 0.0}):
        with pytest.raises(ParameterError):
            run("epilepsy-ladder", quick=True, **bad)
