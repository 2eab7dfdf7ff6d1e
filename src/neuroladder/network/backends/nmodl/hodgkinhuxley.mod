COMMENT
neuroladder's Hodgkin & Huxley (1952) membrane as a density mechanism of a one-compartment section.
The same equations as nl.HodgkinHuxley (neuroladder/neurons/hodgkin_huxley.py, rates of
neuroladder/channels/hh.py: the modern convention, rest near -65 mV), per unit area:
  c_m dv/dt = I - g_na m^3 h (v - e_na) - g_k n^4 (v - e_k) - g_l (v - e_l)
  dx/dt = phi (alpha_x (1 - x) - beta_x x), phi = q10^((T - 6.3)/10), each gate's rates at v - shift_x:
    alpha_m = 0.1 (v + 40) / (1 - exp(-(v + 40)/10))    beta_m = 4 exp(-(v + 65)/18)
    alpha_h = 0.07 exp(-(v + 65)/20)                     beta_h = 1 / (1 + exp(-(v + 35)/10))
    alpha_n = 0.01 (v + 55) / (1 - exp(-(v + 55)/10))    beta_n = 0.125 exp(-(v + 65)/80)
(NEURON's built-in hh has the same rates but reads them from a table and takes its reversal
potentials from the ions; this one computes them, with neuroladder's parameters.)
Units: S/cm^2 and mA/cm^2 (NEURON's; neuroladder's mS/cm^2 and uA/cm^2 are 1000 times these).
The gates start at m0, h0, n0 (neuroladder's initial state).
ENDCOMMENT

NEURON {
    SUFFIX HodgkinHuxleyNL
    NONSPECIFIC_CURRENT i
    RANGE gnabar, gkbar, gl, ena, ek, el, phi, shift_m, shift_h, shift_n, m0, h0, n0
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gnabar = 0.12 (S/cm2)
    gkbar = 0.036 (S/cm2)
    gl = 0.0003 (S/cm2)
    ena = 50 (mV)
    ek = -77 (mV)
    el = -54.387 (mV)
    phi = 1
    shift_m = 0 (mV) shift_h = 0 (mV) shift_n = 0 (mV)
    m0 = 0 h0 = 0 n0 = 0
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    am (/ms) bm (/ms) ah (/ms) bh (/ms) an (/ms) bn (/ms)
}

STATE { m h n }

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gnabar * m * m * m * h * (v - ena) + gkbar * n * n * n * n * (v - ek) + gl * (v - el)
}

INITIAL {
    m = m0
    h = h0
    n = n0
}

DERIVATIVE states {
    rates(v)
    m' = phi * (am * (1 - m) - bm * m)
    h' = phi * (ah * (1 - h) - bh * h)
    n' = phi * (an * (1 - n) - bn * n)
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    LOCAL vm, vh, vn
    vm = v - shift_m
    vh = v - shift_h
    vn = v - shift_n
    am = x_over_expm1(-(vm + 40) / 10)
    bm = 4 * exp(-(vm + 65) / 18)
    ah = 0.07 * exp(-(vh + 65) / 20)
    bh = 1 / (1 + exp(-(vh + 35) / 10))
    an = 0.1 * x_over_expm1(-(vn + 55) / 10)
    bn = 0.125 * exp(-(vn + 65) / 80)
}

FUNCTION x_over_expm1(x) {
    : x / (exp(x) - 1), by its series near 0: 0.1 (v + 40) / (1 - exp(-(v + 40)/10)) = x_over_expm1(-(v + 40)/10)
    if (fabs(x) > 1e-3) {
        x_over_expm1 = x / (exp(x) - 1)
    } else {
        x_over_expm1 = 1 - 0.5 * x + x * x * (1 / 12 - x * x / 720)
    }
}
UNITSON
