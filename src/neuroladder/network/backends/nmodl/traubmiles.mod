COMMENT
neuroladder's Traub-Miles (1991) membrane, the COBAHH benchmark neuron (Brette et al. 2007,
J. Comput. Neurosci. 23:349, benchmark 3), as a density mechanism of a one-compartment section.
The same equations as nl.TraubMiles (neuroladder/neurons/traub_miles.py with the rates of
neuroladder/channels/traub_miles.py), per unit area:
  c_m dv/dt = I - g_na m^3 h (v - e_na) - g_k n^4 (v - e_k) - g_l (v - e_l)
  dx/dt = alpha_x (v) (1 - x) - beta_x (v) x,  x = m, h, n,  with u = v - v_t (mV):
    alpha_m = 0.32 (13 - u) / (exp((13 - u)/4) - 1)    beta_m = 0.28 (u - 40) / (exp((u - 40)/5) - 1)
    alpha_h = 0.128 exp((17 - u)/18)                    beta_h = 4 / (1 + exp((40 - u)/5))
    alpha_n = 0.032 (15 - u) / (exp((15 - u)/5) - 1)    beta_n = 0.5 exp((10 - u)/40)
Units: NEURON's for density mechanisms (S/cm^2, mA/cm^2); neuroladder's mS/cm^2 and uA/cm^2 are
1000 times these. The capacitance is the section's cm (uF/cm^2, the same unit). The gates start at
m0, h0, n0 (neuroladder's initial state), not at their steady state.
ENDCOMMENT

NEURON {
    SUFFIX TraubMilesNL
    NONSPECIFIC_CURRENT i
    RANGE gnabar, gkbar, gl, ena, ek, el, vt, m0, h0, n0
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gnabar = 0.1 (S/cm2)
    gkbar = 0.03 (S/cm2)
    gl = 0.00005 (S/cm2)
    ena = 50 (mV)
    ek = -90 (mV)
    el = -60 (mV)
    vt = -63 (mV)
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
    m' = am * (1 - m) - bm * m
    h' = ah * (1 - h) - bh * h
    n' = an * (1 - n) - bn * n
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    LOCAL u
    u = v - vt
    am = 1.28 * x_over_expm1((13 - u) / 4)
    bm = 1.4 * x_over_expm1((u - 40) / 5)
    ah = 0.128 * exp((17 - u) / 18)
    bh = 4 / (1 + exp((40 - u) / 5))
    an = 0.16 * x_over_expm1((15 - u) / 5)
    bn = 0.5 * exp((10 - u) / 40)
}

FUNCTION x_over_expm1(x) {
    : x / (exp(x) - 1), by its series near 0 (as neuroladder's kernel: no 0/0 at the singular voltages)
    if (fabs(x) > 1e-3) {
        x_over_expm1 = x / (exp(x) - 1)
    } else {
        x_over_expm1 = 1 - 0.5 * x + x * x * (1 / 12 - x * x / 720)
    }
}
UNITSON
