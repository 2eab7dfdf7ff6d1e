"""Every invalid argument raises ParameterError naming the parameter (and the allowed range where
there is one). Expected messages come from the documented contract: "the message names the
parameter, the value given and the allowed range" (core/errors.py, ParameterError)."""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl

LIF = nl.LIF()

CASES = {
    "hh_c_m_negative": (lambda: nl.HodgkinHuxley(c_m=-1.0),
                        r"c_m = -1\.0 uF/cm\^2 is outside the allowed range \(0, inf\]"),
    "hh_c_m_zero": (lambda: nl.HodgkinHuxley(c_m=0.0), r"c_m = 0\.0 uF/cm\^2 is outside the allowed range \(0, inf\]"),
    "lif_c_m_zero": (lambda: nl.LIF(c_m=0.0), r"c_m = 0\.0 pF is outside the allowed range \(0, inf\]"),
    "lif_c_m_negative_per_unit": (lambda: nl.LIF(c_m=[250.0, -3.0]),
                                  r"c_m = -3\.0 pF is outside the allowed range \(0, inf\]"),
    "adex_c_m_negative": (lambda: nl.AdEx(c_m=-281.0), r"c_m = -281\.0 pF is outside the allowed range \(0, inf\]"),
    "lif_tau_m_zero": (lambda: nl.LIF(tau_m=0.0), r"tau_m = 0\.0 ms is outside the allowed range \(0, inf\]"),
    "lif_tau_m_negative": (lambda: nl.LIF(tau_m=-10.0), r"tau_m = -10\.0 ms is outside the allowed range"),
    "adex_tau_w_zero": (lambda: nl.AdEx(tau_w=0.0), r"tau_w = 0\.0 ms is outside the allowed range \(0, inf\]"),
    "lif_reset_above_threshold": (lambda: nl.LIF(v_reset=-50.0), r"v_reset = -50\.0 mV must be below v_th = -55\.0"),
    "dt_zero": (lambda: nl.simulate(LIF, 10.0, dt=0.0), r"dt = 0\.0 ms is outside the allowed range \(0, inf\]"),
    "dt_negative": (lambda: nl.simulate(LIF, 10.0, dt=-0.1), r"dt = -0\.1 ms is outside the allowed range"),
    "duration_below_dt": (lambda: nl.simulate(LIF, 0.05, dt=0.1),
                          r"duration = 0\.05 ms must be at least one time step dt = 0\.1 ms"),
    "duration_negative": (lambda: nl.simulate(LIF, -1.0, dt=0.1), r"duration = -1\.0 ms is outside the allowed range"),
    "unknown_pattern": (lambda: nl.Izhikevich.from_pattern("XX"), r"pattern = 'XX' is unknown; choose one of RS"),
    "current_1d_wrong_length": (lambda: nl.simulate(LIF, 10.0, dt=0.1, current=np.array([1.0, 2.0]), n=3),
                                r"current: Constant has values for 2 units but the simulation has n = 3"),
    "current_2d_raw_array": (lambda: nl.simulate(LIF, 10.0, dt=0.1, current=np.zeros((100, 3)), n=3),
                             r"current has shape \(100, 3\).*nl\.TimeArray"),
    "timearray_wrong_columns": (lambda: nl.simulate(LIF, 10.0, dt=0.1, current=nl.TimeArray(np.zeros((100, 2)), dt=0.1),
                                                    n=3),
                                r"current: TimeArray has values for 2 units but the simulation has n = 3"),
    "n_zero": (lambda: nl.simulate(LIF, 10.0, dt=0.1, n=0), r"n = 0 is outside the allowed range: it must be an integer >= 1"),
    "n_non_integer": (lambda: nl.simulate(LIF, 10.0, dt=0.1, n=2.5), r"n must be an integer >= 1, got 2\.5"),
    "unknown_method": (lambda: nl.simulate(LIF, 10.0, dt=0.1, method="midpoint"),
                       r"method = 'midpoint' is unknown; choose one of 'auto', 'euler', 'rk4', 'milstein', 'exponential_euler', "
                       r"'exponential_midpoint', 'adaptive'"),
    "unknown_record_variable": (lambda: nl.simulate(LIF, 10.0, dt=0.1, record=("w",)),
                                r"record: 'w' is not a state variable of LIF; choose from v"),
    "seed_negative": (lambda: nl.simulate(LIF, 10.0, dt=0.1, seed=-1),
                      r"seed must be None, a non-negative int or a numpy Generator, got -1"),
    "seed_string": (lambda: nl.simulate(LIF, 10.0, dt=0.1, seed="42"), r"seed must be None.*got '42'"),
    "record_dt_not_multiple": (lambda: nl.simulate(LIF, 10.0, dt=0.1, record_dt=0.15),
                               r"record_dt = 0\.15 ms must be a whole multiple of dt = 0\.1 ms"),
    "unknown_initial_state": (lambda: nl.simulate(LIF, 10.0, dt=0.1, initial_state={"u": 1.0}),
                              r"initial_state: 'u' is not a state variable of LIF"),
    "replace_unknown": (lambda: nl.HodgkinHuxley().replace(g_ca=1.0), r"HodgkinHuxley has no parameter g_ca"),
    "step_stop_before_start": (lambda: nl.Step(1.0, start=10.0, stop=5.0),
                               r"stop = 5\.0 ms must be later than start = 10\.0 ms"),
    "sinusoid_frequency_zero": (lambda: nl.Sinusoid(1.0, 0.0), r"frequency = 0\.0 Hz is outside the allowed range"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_raises_parameter_error(name):
    call, pattern = CASES[name]
    with pytest.raises(nl.ParameterError, match=pattern) as info:
        call()
    # ParameterError is also a ValueError and a NeuroLadderError (catch-all for the library)
    assert isinstance(info.value, ValueError) and isinstance(info.value, nl.NeuroLadderError)
