"""Cable constants against their textbook definitions and NEURON's documented d_lambda formula.

NEURON (Hines & Carnevale, The NEURON Book ch. 5; lib/hoc/stdlib's fixnseg.hoc):
    lambda_f(f) = 1e5 * sqrt(diam / (4 * PI * f * Ra * cm))          [um]
    nseg = int((L / (d_lambda * lambda_f(freq)) + 0.9) / 2) * 2 + 1
The expected values below are computed by hand from those formulas (written out in each line).
"""

from __future__ import annotations

import math

import pytest

import neuroladder as nl
from neuroladder.cable.constants import ac_length_constant, d_lambda_nseg, dc_rule_nseg, length_constant


def test_dc_length_constant_squid_axon_value():
    # Rall: lambda = sqrt(r_m d / (4 r_a)). d = 1 um = 1e-4 cm, r_m = 20000 ohm cm^2, r_a = 100 ohm cm:
    # sqrt(20000 * 1e-4 / 400) = sqrt(0.005) cm = 0.070710678 cm = 707.10678 um
    assert length_constant(1.0, 20000.0, 100.0) == pytest.approx(707.10678118654755, rel=1e-12)
    # scales as sqrt(d): 4 um -> 2x
    assert length_constant(4.0, 20000.0, 100.0) == pytest.approx(2 * 707.10678118654755, rel=1e-12)


def test_ac_length_constant_value():
    # 1e5 sqrt(1 / (4 pi 100 * 100 * 1)) = 1e5 / sqrt(40000 pi) = 1e5 / 354.49077 = 282.09479 um
    assert ac_length_constant(1.0, 100.0, 1.0, 100.0) == pytest.approx(1e5 / math.sqrt(40000 * math.pi), rel=1e-12)


@pytest.mark.parametrize("length, diam, r_a, c_m, expected", [
    # lambda_100 = 1e5 sqrt(d / (400 pi Ra cm)); n = int((L / (0.1 lambda) + 0.9) / 2) * 2 + 1
    (1000.0, 1.0, 100.0, 1.0, 37),    # lambda = 282.095: L/(0.1 lam) = 35.449 -> int(18.17)=18 -> 37
    (100.0, 1.0, 100.0, 1.0, 5),      # 3.5449 -> int(2.222)=2 -> 5
    (10.0, 1.0, 100.0, 1.0, 1),       # 0.3545 -> int(0.627)=0 -> 1
    (500.0, 2.0, 35.4, 1.0, 9),       # lambda = 1e5 sqrt(2/(400 pi 35.4)) = 670.51: 7.4570 -> int(4.18)=4 -> 9
    (200.0, 4.0, 150.0, 0.75, 5),     # lambda = 1e5 sqrt(4/(400 pi 150 .75)) = 531.92: 3.7599 -> int(2.33)=2 -> 5
    (2000.0, 0.5, 200.0, 2.0, 201),   # lambda = 1e5 sqrt(.5/(400 pi 200 2)) = 99.736: 200.53 -> int(100.7)=100 -> 201
])
def test_d_lambda_nseg_matches_neuron_formula(length, diam, r_a, c_m, expected):
    assert nl.d_lambda_nseg(length, diam, r_a, c_m) == expected


def test_d_lambda_nseg_other_frequency_and_d_lambda():
    # freq 1000 Hz, d_lambda 0.3: lambda = 1e5 sqrt(1/(4 pi 1000 100 1)) = 89.206 um;
    # L = 1000: 1000 / (0.3 * 89.206) = 37.367 -> int(19.13) = 19 -> 39
    assert d_lambda_nseg(1000.0, 1.0, 100.0, 1.0, d_lambda=0.3, freq=1000.0) == 39


def test_dc_rule_gives_odd_segments_no_longer_than_lambda_over_10():
    # lambda = 707.107 um (above); L = 1000 um: 1000 / 70.7107 = 14.14 -> 15 segments (odd), 66.7 um each
    assert dc_rule_nseg(1000.0, 1.0, 20000.0, 100.0) == 15
    # exactly 14 segments would fit -> next odd count 15; a short section keeps 1
    assert dc_rule_nseg(10.0, 1.0, 20000.0, 100.0) == 1


@pytest.mark.parametrize("call, name", [
    (lambda: length_constant(-1.0, 20000.0, 100.0), "diam"),
    (lambda: length_constant(1.0, 0.0, 100.0), "r_m"),
    (lambda: ac_length_constant(1.0, 100.0, 1.0, 0.0), "freq"),
    (lambda: d_lambda_nseg(0.0, 1.0, 100.0, 1.0), "length"),
    (lambda: d_lambda_nseg(100.0, 1.0, 100.0, -1.0), "c_m"),
])
def test_bad_arguments_name_the_parameter(call, name):
    with pytest.raises(nl.ParameterError, match=name):
        call()
