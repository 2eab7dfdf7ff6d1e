"""Siegert (mean first-passage time) theory of the leaky integrate-and-fire neuron with white noise.

The membrane potential follows Brunel's (2000) convention

    tau_m dV/dt = mu - V + sigma sqrt(tau_m) xi(t),

with xi(t) unit Gaussian white noise (<xi(t) xi(t')> = delta(t - t')). Without a
threshold V is an Ornstein-Uhlenbeck process of mean ``mu`` and stationary
standard deviation ``sigma / sqrt(2)``. When V reaches ``v_th`` a spike is
emitted, V is reset to ``v_reset`` and held there for ``t_ref``. The spike
train is then a renewal process, and the mean and variance of its interspike
interval (ISI) are the first two moments of the first-passage time of the OU
process from ``v_reset`` to ``v_th``, plus ``t_ref``.

In the dimensionless variable y = (V - mu) / sigma and time in units of tau_m
the mean first-passage time T(y) obeys the backward Kolmogorov equation
T''/2 - y T' = -1 with T(y_th) = 0 and T' bounded as y -> -inf, whose solution
gives the Siegert formula (Siegert 1951; Amit & Brunel 1997; Brunel 2000, eq. 21)

    1 / nu = t_ref + tau_m sqrt(pi) int_{y_r}^{y_th} e^{u^2} (1 + erf u) du,

and the second moment gives the ISI variance (Brunel 2000, appendix A)

    CV^2 = 2 pi (nu tau_m)^2 int_{y_r}^{y_th} e^{x^2} dx int_{-inf}^{x} e^{y^2} (1 + erf y)^2 dy.

Numerics: e^{u^2} (1 + erf u) = erfcx(-u) (the scaled complementary error
function, finite for u < 0 where it decays like 1 / (sqrt(pi) |u|)). For
u > 0 it grows like 2 e^{u^2}, so every integral is computed with the factor
e^{max(y_th, 0)^2} (rate) or e^{2 max(y_th, 0)^2} (variance) taken out and kept
as a logarithm; a strongly subthreshold neuron therefore gets a tiny (possibly
0.0) rate, never inf or nan. Integrals use :func:`scipy.integrate.quad`.

Sources: A. J. F. Siegert (1951), Phys. Rev. 81:617; D. J. Amit & N. Brunel
(1997), Cereb. Cortex 7:237; N. Brunel (2000), J. Comput. Neurosci. 8:183;
H. C. Tuckwell (1988), *Introduction to theoretical neurobiology*, vol. 2, ch. 9.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf, erfcx

from ..core.parameters import require_finite, require_less, require_non_negative, require_positive

__all__ = ["siegert_rate", "siegert_cv"]

_SQRT_PI = math.sqrt(math.pi)
_EPSREL = 1e-11  # relative tolerance handed to every quad call
_LIMIT = 200  # quad's maximum number of subintervals
_BIG = 1e8  # beyond |y| = _BIG the integrands take their asymptotic forms (exact in double precision)
_HUGE = 1e300  # bounds are clipped here so that y^2 stays finite or a clean inf
_CUT = 80.0  # exponentials below e^{-_CUT} of the peak are dropped (relative error < 1e-34)


def _quad(f, a: float, b: float) -> float:
    """Integral of ``f`` over [a, b] to relative accuracy ``_EPSREL`` (no absolute floor)."""
    if not b > a:
        return 0.0
    from scipy.integrate import quad  # scipy.integrate is a slow import: only when used

    return quad(f, a, b, epsabs=0.0, epsrel=_EPSREL, limit=_LIMIT)[0]


def _decade_pieces(a: float, b: float):
    """Split [a, b] (0 <= a < b <= _BIG) at the powers of ten inside it.

    The integrands on the negative half-axis fall off like a power of the
    distance from 0, so pieces one decade long are each easy for quad even when
    b is large (small sigma puts the bounds at about (v - mu) / sigma).
    """
    cuts = [a]
    edge = 1.0
    while edge < b:
        if edge > a:
            cuts.append(edge)
        edge *= 10.0
    cuts.append(b)
    return zip(cuts[:-1], cuts[1:])


def _upper_cut(b: float, lo: float) -> float:
    """Length of the part of [lo, b] (b > 0) next to b where e^{u^2 - b^2} matters.

    With u = b - t, u^2 - b^2 = -t (2 b - t); the integration in t stops where
    this reaches -_CUT (beyond, the integrand is below e^{-_CUT} of its peak),
    or at the lower end ``lo`` of the interval, whichever comes first.
    """
    length = b - lo
    if b * b > _CUT:
        length = min(length, _CUT / (b + math.sqrt(b * b - _CUT)))
    return length


def _bounds(mu, sigma, v_th, v_reset):
    """y_r, y_th and the width y_th - y_r, clipped to +-_HUGE so that nothing is infinite."""
    with np.errstate(over="ignore"):
        y_th = float(np.clip((v_th - mu) / sigma, -_HUGE, _HUGE))
        y_r = float(np.clip((v_reset - mu) / sigma, -_HUGE, _HUGE))
        width = float(min((v_th - v_reset) / sigma, _HUGE))
    return y_r, y_th, width


def _mean_fpt_integral(y_r: float, y_th: float, width: float):
    """int_{y_r}^{y_th} erfcx(-u) du as (c, log J) with the integral = e^{c} J.

    This is the mean first-passage time from y_r to y_th in units of
    tau_m sqrt(pi). With c = max(y_th, 0)^2 the range is split at 0. On u < 0
    the integrand erfcx(-u) is at most 1, and beyond |u| = _BIG it equals
    1 / (sqrt(pi) |u|) to double precision, which is integrated exactly. On
    u > 0, with u = y_th - t, it is written erfcx(-u) e^{-c}
    = 2 e^{t^2 - 2 y_th t} - erfcx(u) e^{-c}, which cannot overflow and peaks
    at t = 0 with width ~1 / (2 y_th); beyond y_th = _BIG its integral is
    (1 - e^{-2 y_th width}) / y_th to double precision.
    """
    c = max(y_th, 0.0) * max(y_th, 0.0)  # inf (not OverflowError) for a clipped huge bound
    scaled = 0.0
    s0, s1 = -min(y_th, 0.0), -y_r  # the negative part, as int_{s0}^{s1} erfcx(s) ds
    if s0 >= _BIG:  # the whole interval is far below 0: int ds / (sqrt(pi) s) = log1p(width / s0) / sqrt(pi)
        z = width / s0
        return 0.0, (math.log(width) - math.log(s0) if z < 1e-8 else math.log(math.log1p(z))) - 0.5 * math.log(math.pi)
    if s1 > s0 and c < _CUT:
        neg = sum(_quad(erfcx, a, b) for a, b in _decade_pieces(s0, min(s1, _BIG)))
        if s1 > _BIG:
            neg += (math.log1p(width / s0) if s0 >= _BIG else math.log(s1 / _BIG)) / _SQRT_PI
        scaled += neg * math.exp(-c)
    if y_th > _BIG:  # the negative part is below e^{-c} of this and is dropped
        return c, math.log(-math.expm1(-2.0 * y_th * width)) - math.log(y_th)
    if y_th > 0.0:
        b, ec = y_th, math.exp(-c)
        scaled += _quad(lambda t: 2.0 * math.exp(t * (t - 2.0 * b)) - erfcx(b - t) * ec,
                        0.0, _upper_cut(b, max(y_r, 0.0)))
    return c, math.log(scaled)


def _outer_neg(x: float) -> float:
    """e^{x^2} int_{-inf}^{x} e^{y^2} (1 + erf y)^2 dy for x <= 0, without overflow.

    With y = x - s the integrand is e^{x^2 - y^2} erfcx(-y)^2 = e^{2 x s - s^2} erfcx(s - x)^2;
    both factors are at most 1. The integral is cut where 2 |x| s + s^2 = 60
    (the rest is below e^{-60} of it).
    """
    ax = -x
    s_max = 60.0 / (math.sqrt(ax * ax + 60.0) + ax)
    return _quad(lambda s: math.exp(-2.0 * ax * s - s * s) * erfcx(s + ax) ** 2, 0.0, s_max)


def _var_integral(y_r: float, y_th: float, width: float):
    """int_{y_r}^{y_th} e^{x^2} dx int_{-inf}^{x} e^{y^2} (1 + erf y)^2 dy as (2c, log S), integral = e^{2c} S.

    With c = max(y_th, 0)^2 the factor e^{2c} is taken out and the range split
    at 0. For x <= 0 the outer integrand is :func:`_outer_neg`, which beyond
    |x| = _BIG equals 1 / (2 pi |x|^3) to double precision. For x > 0 it is
    e^{x^2} o(0) + int_0^x e^{x^2 + y^2} (1 + erf y)^2 dy; with x = y_th - t,
    y = y_th - r (t <= r <= y_th) the scaled exponent
    x^2 + y^2 - 2c = t (t - 2 y_th) + r (r - 2 y_th) is never positive. Beyond
    y_th = _BIG, 1 + erf y = 2 on the whole range that matters and the double
    integral is (1 - e^{-2 y_th width})^2 / (2 y_th^2).
    """
    c = max(y_th, 0.0) * max(y_th, 0.0)  # inf (not OverflowError) for a clipped huge bound
    scaled = 0.0
    s0, s1 = -min(y_th, 0.0), -y_r
    if s0 >= _BIG:  # int_{s0}^{s1} ds / (2 pi s^3) = width (s0 + s1) / (4 pi s0^2 s1^2), in logarithms
        s1 = s0 + width
        return 0.0, (math.log(width) + math.log(s0) + math.log1p(s1 / s0) - 2.0 * math.log(s0)
                     - 2.0 * math.log(s1) - math.log(4.0 * math.pi))
    if s1 > s0 and c < _CUT:
        neg = sum(_quad(lambda s: _outer_neg(-s), a, b) for a, b in _decade_pieces(s0, min(s1, _BIG)))
        if s1 > _BIG:
            lo = max(s0, _BIG)
            neg += (1.0 / lo - 1.0 / s1) * (1.0 / lo + 1.0 / s1) / (4.0 * math.pi)
        scaled += neg * math.exp(-2.0 * c)
    if y_th > _BIG:  # the negative part is below e^{-2c} of this and is dropped
        return 2.0 * c, 2.0 * math.log(-math.expm1(-2.0 * y_th * width)) - math.log(2.0) - 2.0 * math.log(y_th)
    if y_th > 0.0:
        b = y_th
        o0_scaled = _outer_neg(0.0) * math.exp(-c)
        r_end = _upper_cut(b, 0.0)

        def inner(r):
            return math.exp(r * (r - 2.0 * b)) * (1.0 + erf(b - r)) ** 2

        def outer_pos(t):
            return math.exp(t * (t - 2.0 * b)) * (o0_scaled + _quad(inner, t, r_end))

        scaled += _quad(outer_pos, 0.0, _upper_cut(b, max(y_r, 0.0)))
    return 2.0 * c, math.log(scaled)


def _validate(mu, sigma, tau_m, v_th, v_reset, t_ref):
    require_finite("mu", mu, "mV")
    require_non_negative("sigma", sigma, "mV")
    require_positive("tau_m", tau_m, "ms")
    require_finite("v_th", v_th, "mV")
    require_finite("v_reset", v_reset, "mV")
    require_less("v_reset", v_reset, "v_th", v_th, "mV")
    require_non_negative("t_ref", t_ref, "ms")
    return np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (mu, sigma, tau_m, v_th, v_reset, t_ref)))


def _deterministic_rate_hz(mu, tau_m, v_th, v_reset, t_ref) -> float:
    """The noiseless LIF rate: 1 / (t_ref + tau_m ln((mu - v_reset) / (mu - v_th))) for mu > v_th, else 0."""
    if mu <= v_th:
        return 0.0
    return 1000.0 / (t_ref + tau_m * math.log((mu - v_reset) / (mu - v_th)))


def _elementwise(func, args):
    out = np.array([func(*(float(a) for a in vals)) for vals in zip(*(a.ravel() for a in args))], dtype=float)
    out = out.reshape(args[0].shape)
    return float(out) if out.ndim == 0 else out


def siegert_rate(mu, sigma, tau_m, v_th, v_reset, t_ref):
    """Stationary firing rate of the LIF neuron driven by white noise (Siegert formula).

    ``tau_m dV/dt = mu - V + sigma sqrt(tau_m) xi(t)``, threshold ``v_th``,
    reset ``v_reset``, absolute refractory period ``t_ref`` (Brunel 2000
    convention: the free membrane potential has mean ``mu`` and standard
    deviation ``sigma / sqrt(2)``). The rate is

        nu = 1 / (t_ref + tau_m sqrt(pi) int_{(v_reset - mu)/sigma}^{(v_th - mu)/sigma} e^{u^2} (1 + erf u) du).

    Parameters
    ----------
    mu : float or array_like
        Mean input, i.e. the free membrane potential's mean (mV).
    sigma : float or array_like
        Noise amplitude (mV), >= 0. ``sigma = 0`` gives the noiseless LIF rate
        ``1 / (t_ref + tau_m ln((mu - v_reset) / (mu - v_th)))`` for
        ``mu > v_th`` and 0 otherwise, which is also the limit sigma -> 0.
    tau_m : float or array_like
        Membrane time constant (ms), > 0.
    v_th : float or array_like
        Firing threshold (mV).
    v_reset : float or array_like
        Reset potential (mV), below ``v_th``.
    t_ref : float or array_like
        Absolute refractory period (ms), >= 0.

    Returns
    -------
    float or numpy.ndarray
        Firing rate in Hz (spikes per second), broadcast over the inputs; a
        float when every input is a scalar. Always finite; a strongly
        subthreshold neuron gets a tiny rate that may underflow to 0.0.

    Raises
    ------
    ParameterError
        If an input is not finite, ``sigma < 0``, ``tau_m <= 0``, ``t_ref < 0``
        or ``v_reset >= v_th``; the message names the parameter.

    Notes
    -----
    Uses e^{u^2} (1 + erf u) = erfcx(-u) and :func:`scipy.integrate.quad`
    (relative accuracy ~1e-11); for a positive upper bound y_th the factor
    e^{y_th^2} is kept in logarithmic form so that nothing overflows.

    References
    ----------
    A. J. F. Siegert (1951), Phys. Rev. 81:617. D. J. Amit & N. Brunel (1997),
    Cereb. Cortex 7:237. N. Brunel (2000), J. Comput. Neurosci. 8:183, eq. 21.
    """
    args = _validate(mu, sigma, tau_m, v_th, v_reset, t_ref)

    def one(mu, sigma, tau_m, v_th, v_reset, t_ref):
        if sigma == 0.0:
            return _deterministic_rate_hz(mu, tau_m, v_th, v_reset, t_ref)
        c, log_j = _mean_fpt_integral(*_bounds(mu, sigma, v_th, v_reset))
        x = math.exp(-(math.log(tau_m * _SQRT_PI) + log_j) - c)  # 1 / (passage time in ms); may underflow to 0
        return 1000.0 * x / (1.0 + t_ref * x)

    return _elementwise(one, args)


def siegert_cv(mu, sigma, tau_m, v_th, v_reset, t_ref):
    """Coefficient of variation of the interspike interval of the noisy LIF neuron.

    Same model and conventions as :func:`siegert_rate`. With y = (V - mu) / sigma,
    y_th = (v_th - mu) / sigma, y_r = (v_reset - mu) / sigma and nu the Siegert rate,

        CV^2 = 2 pi (nu tau_m)^2 int_{y_r}^{y_th} e^{x^2} dx int_{-inf}^{x} e^{y^2} (1 + erf y)^2 dy

    (Brunel 2000, appendix A, eqs. A.1-A.2): the ISI variance
    2 pi tau_m^2 int int ... divided by the squared mean ISI. The refractory
    period lengthens the mean ISI but not its variance, so it lowers the CV.

    Parameters
    ----------
    mu : float or array_like
        Mean input, i.e. the free membrane potential's mean (mV).
    sigma : float or array_like
        Noise amplitude (mV), >= 0. With ``sigma = 0`` the neuron fires
        regularly (CV = 0) when ``mu > v_th`` and never fires (CV undefined,
        returned as nan) otherwise.
    tau_m : float or array_like
        Membrane time constant (ms), > 0.
    v_th : float or array_like
        Firing threshold (mV).
    v_reset : float or array_like
        Reset potential (mV), below ``v_th``.
    t_ref : float or array_like
        Absolute refractory period (ms), >= 0.

    Returns
    -------
    float or numpy.ndarray
        The CV (dimensionless), broadcast over the inputs; a float when every
        input is a scalar. Tends to 0 as sigma -> 0 for suprathreshold ``mu``
        and to 1 (Poisson firing) far below threshold.

    Raises
    ------
    ParameterError
        If an input is not finite, ``sigma < 0``, ``tau_m <= 0``, ``t_ref < 0``
        or ``v_reset >= v_th``; the message names the parameter.

    Notes
    -----
    The inner integrand is evaluated as e^{x^2 - y^2} erfcx(-y)^2 for y <= 0 and
    as e^{x^2 + y^2 - 2 y_th^2} (1 + erf y)^2 for y > 0 (the factor e^{2 y_th^2}
    being kept as a logarithm), and the double integral by nested
    :func:`scipy.integrate.quad`. Costs some tens of milliseconds per point.

    References
    ----------
    N. Brunel (2000), J. Comput. Neurosci. 8:183, appendix A. H. C. Tuckwell
    (1988), *Introduction to theoretical neurobiology*, vol. 2, ch. 9.
    """
    args = _validate(mu, sigma, tau_m, v_th, v_reset, t_ref)

    def one(mu, sigma, tau_m, v_th, v_reset, t_ref):
        if sigma == 0.0:
            return 0.0 if mu > v_th else math.nan
        bounds = _bounds(mu, sigma, v_th, v_reset)
        c, log_j = _mean_fpt_integral(*bounds)
        _, log_s = _var_integral(*bounds)
        # variance 2 pi tau_m^2 e^{2c} S, mean ISI t_ref + tau_m sqrt(pi) e^{c} J = A (1 + t_ref / A):
        # CV^2 = 2 S / J^2 / (1 + t_ref / A)^2, so e^{c} cancels before anything can overflow
        log_a = math.log(tau_m * _SQRT_PI) + log_j + c
        ref_ratio = t_ref * math.exp(-log_a)
        return math.sqrt(2.0 * math.exp(log_s - 2.0 * log_j)) / (1.0 + ref_ratio)

    return _elementwise(one, args)
