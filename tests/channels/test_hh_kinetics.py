"""The fast HH rate kernel (two exponentials) against the textbook rate functions.

gate_rates_reference is the formula of Hodgkin & Huxley (1952, eqs. 12-13, 20-21, 23-24), shifted
to rest at -65 mV; it is itself checked against hand-computed values at rest.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuroladder.channels import hh

# v on a 0.1 mV grid from -120 to 60 mV, built from integers so that the removable singular points
# of alpha_m (v = -40 + shift_m) and alpha_n (v = -55 + shift_n) are hit exactly
V = np.arange(-1200, 601) / 10.0

KINETICS = [
    dict(temperature=6.3, q10=3.0, shift_m=0.0, shift_h=0.0, shift_n=0.0),
    dict(temperature=6.3, q10=3.0, shift_m=-10.0, shift_h=5.0, shift_n=3.0),
    dict(temperature=18.5, q10=3.0, shift_m=0.0, shift_h=0.0, shift_n=0.0),
    dict(temperature=25.0, q10=2.3, shift_m=4.0, shift_h=-7.0, shift_n=-2.0),
]


def fast_rates(v, kin):
    consts = [float(c) for c in hh.pack_kinetics(kin["temperature"], kin["q10"], kin["shift_m"], kin["shift_h"],
                                                  kin["shift_n"])]
    return np.array([hh.gate_rates(float(x), *consts) for x in v])


@pytest.mark.parametrize("kin", KINETICS, ids=["6.3C", "shifted", "18.5C", "25C-shifted"])
def test_fast_kernel_equals_reference(kin):
    assert -40.0 + kin["shift_m"] in V and -55.0 + kin["shift_n"] in V  # singular points included
    fast = fast_rates(V, kin)
    ref = np.column_stack(hh.gate_rates_reference(V, **kin))
    # the two forms differ only by rounding: r**40 from repeated squaring accumulates ~50 ulp, the rest a few
    np.testing.assert_allclose(fast, ref, rtol=1e-12, atol=0)


@pytest.mark.parametrize("dx", [1e-10, 1e-8, 1e-7, 1e-5, 1e-3])
def test_near_singular_points(dx):
    # x / (1 - exp(-x/10)) = 10 (1 + x/20 + x^2/1200 - x^4/1008000 + ...) near x = 0 (its Taylor series;
    # the x^4 term is below 1e-13 relative for |x| <= 1e-3). Both implementations avoid the
    # cancellation of the direct quotient there, so they must match the series to 1e-12.
    kin = KINETICS[0]
    tol = 1e-12
    for sign in (-1.0, 1.0):
        x = sign * dx
        series = 10.0 * (1.0 + x / 20.0 + x * x / 1200.0)
        for v, col, scale in ((-40.0 + x, 0, 0.1), (-55.0 + x, 4, 0.01)):
            expected = scale * series
            assert fast_rates([v], kin)[0, col] == pytest.approx(expected, rel=tol)
            assert hh.gate_rates_reference(v, **kin)[col] == pytest.approx(expected, rel=tol)


def test_reference_rates_at_rest():
    # hand values at v = -65 mV, 6.3 degC (HH 1952 rate functions):
    am = 0.1 * -25.0 / (1.0 - math.exp(2.5))  # 0.22356
    bm = 4.0
    ah = 0.07
    bh = 1.0 / (1.0 + math.exp(3.0))  # 0.04743
    an = 0.01 * -10.0 / (1.0 - math.exp(1.0))  # 0.05820
    bn = 0.125
    np.testing.assert_allclose(hh.gate_rates_reference(-65.0), [am, bm, ah, bh, an, bn], rtol=1e-14)
    # at the singular points the limits: alpha_m(-40) = 0.1 * 10 = 1, alpha_n(-55) = 0.01 * 10 = 0.1
    assert hh.gate_rates_reference(-40.0)[0] == pytest.approx(1.0, rel=1e-14)
    assert hh.gate_rates_reference(-55.0)[4] == pytest.approx(0.1, rel=1e-14)


def test_temperature_scales_every_rate():
    # phi = q10^((T - 6.3)/10) = 3^1.0 = 3 at 16.3 degC
    base = np.array(hh.gate_rates_reference(-50.0))
    warm = np.array(hh.gate_rates_reference(-50.0, temperature=16.3))
    np.testing.assert_allclose(warm / base, 3.0, rtol=1e-13)


def test_shift_moves_the_voltage_dependence():
    # a shift s evaluates a gate's rates at v - s
    shifted = hh.gate_rates_reference(-30.0, shift_m=10.0, shift_h=10.0, shift_n=10.0)
    np.testing.assert_allclose(shifted, hh.gate_rates_reference(-40.0), rtol=1e-14)


def test_steady_state_at_rest():
    # x_inf = alpha / (alpha + beta) with the hand rates of test_reference_rates_at_rest
    m, h, n = hh.steady_state(-65.0)
    am = 0.1 * -25.0 / (1.0 - math.exp(2.5))
    an = 0.01 * -10.0 / (1.0 - math.exp(1.0))
    bh = 1.0 / (1.0 + math.exp(3.0))
    assert m == pytest.approx(am / (am + 4.0), rel=1e-13)
    assert h == pytest.approx(0.07 / (0.07 + bh), rel=1e-13)
    assert n == pytest.approx(an / (an + 0.125), rel=1e-13)
