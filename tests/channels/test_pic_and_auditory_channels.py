"""Channel curves against the numbers printed in their source papers.

Each expected value is read off the paper's equations or text, evaluated by hand (not by the code):
Booth, Rinzel & Kiehn (1997) Table 1 (L- and N-type Ca, SK K_d, calcium pool); Butera, Rinzel &
Smith (1999) model 1 (NaP); Rothman & Manis (2003) appendix (Na, KLT, KHT, Ih).
"""

from __future__ import annotations

import math

import pytest

from neuroladder.channels import calcium, curve, motoneuron, persistent_na, sk
from neuroladder.channels import rothman_manis as rm


@pytest.mark.parametrize("fn, v_half, slope", [
    (calcium.l_type_m_inf, -40.0, 7.0),        # BRK 1997: L-type m_inf half -40 mV, slope 7 mV
    (calcium.n_type_m_inf, -30.0, 5.0),        # BRK 1997: N-type m half -30, slope 5
    (calcium.n_type_h_inf, -45.0, -5.0),       # BRK 1997: N-type h half -45, slope -5
    (motoneuron.na_m_inf, -35.0, 7.8),         # BRK 1997: Na m_inf half -35, slope 7.8
    (motoneuron.na_h_inf, -55.0, -7.0),        # BRK 1997: Na h_inf half -55, slope -7
    (motoneuron.k_n_inf, -28.0, 15.0),         # BRK 1997: K-dr n_inf half -28, slope 15
    (persistent_na.m_inf, -40.0, 6.0),         # Butera 1999: NaP m half -40, slope 6
    (persistent_na.h_inf, -48.0, -6.0),        # Butera 1999: NaP h half -48, slope -6
    (rm.na_m_inf, -38.0, 7.0),                 # RM03: Na m half -38, slope 7
    (rm.na_h_inf, -65.0, -6.0),                # RM03: Na h half -65, slope -6
    (rm.kht_p_inf, -23.0, 6.0),                # RM03: KHT p half -23, slope 6
    (rm.ih_r_inf, -76.0, -7.0),                # RM03: Ih r half -76, slope -7
])
def test_boltzmann_midpoint_and_slope(fn, v_half, slope):
    assert curve(fn, v_half) == pytest.approx(0.5, abs=1e-12)
    # one slope factor from the midpoint: 1 / (1 + e^-1)
    assert curve(fn, v_half + slope) == pytest.approx(1.0 / (1.0 + math.exp(-1.0)), abs=1e-12)
    # the compiled function (used by the model kernels) equals the numpy form
    assert fn(v_half + 3.0) == pytest.approx(float(curve(fn, v_half + 3.0)), abs=1e-15)


def test_rothman_manis_powered_gates_half_activate_at_published_voltages():
    # RM03: w^4 = 1/(1 + e^{-(v+48)/6}) (KLT), n^2 = 1/(1 + e^{-(v+15)/5}) (KHT)
    assert curve(rm.klt_w_inf, -48.0) ** 4 == pytest.approx(0.5, abs=1e-12)
    assert curve(rm.kht_n_inf, -15.0) ** 2 == pytest.approx(0.5, abs=1e-12)
    # KLT inactivation: zeta = 0.5 of the conductance never inactivates; z_inf(-71) = 0.5 + 0.5/2
    assert curve(rm.klt_z_inf, -71.0) == pytest.approx(0.75, abs=1e-12)
    assert curve(rm.klt_z_inf, 100.0) == pytest.approx(0.5, abs=1e-6)


@pytest.mark.parametrize("fn, v, expected", [
    (rm.na_tau_m, -60.0, 10.0 / 41.0 + 0.04),      # RM03 tau_m at -60: 10/(5 + 36) + 0.04 ms
    (rm.na_tau_h, -60.0, 100.0 / 17.0 + 0.6),      # 100/(7 + 10) + 0.6
    (rm.klt_tau_w, -60.0, 100.0 / 22.0 + 1.5),     # 100/(6 + 16) + 1.5
    (rm.klt_tau_z, -60.0, 1000.0 / 2.0 + 50.0),    # 1000/(1 + 1) + 50 = 550 ms
    (rm.kht_tau_n, -60.0, 100.0 / 32.0 + 0.7),     # 100/(11 + 21) + 0.7
    (rm.kht_tau_p, -60.0, 100.0 / 9.0 + 5.0),      # 100/(4 + 5) + 5
    (rm.ih_tau_r, -60.0, 1e5 / 254.0 + 25.0),      # 1e5/(237 + 17) + 25 = 418.7 ms
    (persistent_na.tau_h, -48.0, 10000.0),         # Butera 1999: tau_h peaks at 10 s at -48 mV
    (motoneuron.na_tau_h, -50.0, 15.0),            # BRK: 30/(1 + 1) ms at -50 mV
    (motoneuron.k_tau_n, -40.0, 3.5),              # BRK: 7/(1 + 1) ms at -40 mV
])
def test_time_constants_at_published_points(fn, v, expected):
    assert curve(fn, v) == pytest.approx(expected, rel=1e-12)


def test_sk_half_activation_at_kd():
    # BRK 1997: K_d = 0.2 uM; the SK conductance is half open there and a quarter open at K_d / 3
    assert sk.activation(0.2) == pytest.approx(0.5)
    assert sk.activation(0.2 / 3.0) == pytest.approx(0.25)


def test_calcium_pool_relaxes_with_the_published_time_constant():
    # BRK 1997: d[Ca]/dt = f(-alpha I_Ca - k_ca [Ca]); f = 0.01, k_ca = 2/ms -> tau = 1/(f k_ca) = 50 ms,
    # and for a constant current the steady state is -alpha I_Ca / k_ca (I_Ca = -10 uA/cm^2 -> 0.045 uM)
    a, b = calcium.pool_terms(-10.0)
    assert -1.0 / b == pytest.approx(50.0)
    assert -a / b == pytest.approx(0.009 * 10.0 / 2.0)
