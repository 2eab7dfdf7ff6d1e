"""Elementary functions that numba can vectorise (SIMD) inside loops over units.

llvmlite ships without a vector maths library, so a loop calling ``math.exp``
stays scalar (one libm call per element). :func:`exp` and :func:`expm1` are pure
arithmetic (range reduction by ln 2, a degree-14 Taylor polynomial summed by
Estrin's scheme, and the power of two built from its bit pattern), which LLVM
vectorises with AVX2 as well as AVX-512: measured 1.7 ns per element against
6-11 ns for libm on a Zen 3 EPYC, accurate to 1 ulp over the whole range
(``tests/core/test_math.py`` checks them against the C library).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_vectoriser_widened = False


def widen_vectoriser() -> None:
    """Let LLVM vectorise loops that touch many rows of a few 2-D arrays (once per process, before compiling).

    A model's equations loop reads and writes many rows of a few 2-D arrays; LLVM cannot prove they
    do not overlap and must emit run-time overlap checks before it vectorises. Its default budget
    (8 checks) makes it give up on a Hodgkin-Huxley loop ("too many memory checks needed"); a larger
    budget costs a few hundred comparisons per block of units and buys SIMD code: measured 2.5x on
    ``nl.simulate(HodgkinHuxley(), 20 ms, n=4096)`` (0.56 s against 1.41 s, identical voltages). These
    are LLVM's own documented options and only widen what it may vectorise, but they are process-wide,
    so they are set here, when a model is first laid out for a run (:meth:`Model.param_matrix`, which
    every solver calls before compiling the model's equations), and not when neuroladder is imported.
    """
    global _vectoriser_widened
    if not _vectoriser_widened:
        import llvmlite.binding as llvm

        llvm.set_option("", "-runtime-memory-check-threshold=2000")
        llvm.set_option("", "-vectorize-memory-check-threshold=2000")
        _vectoriser_widened = True


def kernel(func=None, **options):
    """Compile a model's numba function the way neuroladder's own are: ``@nl.kernel``.

    ``numba.njit(cache=True, error_model="numpy")``: numpy's error model lets a
    division by zero give inf/NaN instead of raising, and without the raise LLVM can
    vectorise the loop over units (measured: the HH equations run ~5x faster).
    """
    opts = {"cache": True, "error_model": "numpy", **options}
    if func is None:
        return lambda f: njit(**opts)(f)
    return njit(**opts)(func)

_LOG2E = 1.4426950408889634
# fdlibm's two-part ln 2: k * _LN2_HI is exact for the k that occur here
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
# 2**52 + 2**51 + 1023: adding it to an integer-valued double k (|k| < 2**51) leaves k + 1023 in the
# low mantissa bits, so shifting the bit pattern left by 52 gives the exponent field of 2**k
_EXP_BIAS_SHIFTER = 6755399441056767.0


@njit(cache=True, inline="always", error_model="numpy")
def _exprel_tail(z):
    """(exprel(z) - 1) / z = sum z^n / (n + 2)!, n <= 12, for |z| < EXPREL_SERIES_MAX (next term below
    0.5^13 / 15!). Only multiplies and adds.

    Summed by Estrin's scheme (pairs of terms, then pairs of pairs with z^2, z^4, z^8) rather than Horner's:
    the same terms in a tree four operations deep instead of a chain of 13 multiply-adds, so a vectorised
    loop is not held up by the chain's latency. Its rounding
    (a few ulp of a term near 1/2) reaches the callers' results scaled down by z, below an ulp.
    """
    z2 = z * z
    z4 = z2 * z2
    s0 = (1.0 / 2.0 + z * (1.0 / 6.0)) + z2 * (1.0 / 24.0 + z * (1.0 / 120.0))
    s1 = (1.0 / 720.0 + z * (1.0 / 5040.0)) + z2 * (1.0 / 40320.0 + z * (1.0 / 362880.0))
    s2 = (1.0 / 3628800.0 + z * (1.0 / 39916800.0)) + z2 * (1.0 / 479001600.0 + z * (1.0 / 6227020800.0))
    return (s0 + z4 * s1) + (z4 * z4) * (s2 + z4 * (1.0 / 87178291200.0))


@njit(cache=True, inline="always", error_model="numpy")
def exprel_series(z):
    """(exp(z) - 1) / z for |z| < EXPREL_SERIES_MAX: the Taylor sum z^n / (n + 1)!, n <= 13 (next term below
    0.5^14 / 15! = 4.7e-17). Only multiplies and adds, no exponential and no division."""
    return 1.0 + z * _exprel_tail(z)


#: |z| below which :func:`exprel_series` is used (its truncation error is then below 5e-17 relative)
EXPREL_SERIES_MAX = 0.5


@njit(cache=True, inline="always", error_model="numpy")
def _exp_parts(x):
    """(q, 2**k) with e**x = 2**k (1 + q), for x clamped to [-708, 709]: k = round(x / ln 2), the rest
    r = x - k ln 2 (|r| <= ln2 / 2) and q = e**r - 1 = r + r^2 (exprel_series(r) - 1) / r."""
    x = min(max(x, -708.0), 709.0)
    # np.floor keeps kf a double: math.floor returns an int, and numba's float -> int64 -> float round
    # trip has no SIMD instruction below AVX-512 (LLVM would convert lane by lane)
    kf = np.floor(x * _LOG2E + 0.5)
    r = (x - kf * _LN2_HI) - kf * _LN2_LO
    # 2**kf from its bit pattern, built without a float -> int conversion (none is vectorised on AVX2)
    scale = np.int64(np.float64(kf + _EXP_BIAS_SHIFTER).view(np.int64) << 52).view(np.float64)
    return r + (r * r) * _exprel_tail(r), scale


@njit(cache=True, inline="always", error_model="numpy")
def exp(x):
    """e**x to 1 ulp for -708 <= x <= 709; saturates outside (no inf, no denormals); NaN gives NaN."""
    q, scale = _exp_parts(x)
    return math.nan if x != x else scale * (1.0 + q)  # a select, not a branch: the loop stays vectorisable


@njit(cache=True, inline="always", error_model="numpy")
def expm1(x):
    """e**x - 1, accurate relative to itself near x = 0 too (no cancellation): 2**k q + (2**k - 1), which is
    q itself for |x| < ln2 / 2. Saturates like :func:`exp`; NaN gives NaN."""
    q, scale = _exp_parts(x)
    return math.nan if x != x else scale * q + (scale - 1.0)


#: |b h| below which :func:`exprel_step` returns its limit h (the relative difference, bh/2, is then far
#: below rounding, and b h may be a denormal with too few digits to divide by)
_EXPREL_TINY = 1e-300


@njit(cache=True, inline="always", error_model="numpy")
def exprel_step(b, h):
    """(exp(b h) - 1) / b, accurate also for small b h (limit h at b = 0): the exponential-Euler factor.

    expm1(b h) / b: expm1 keeps its relative accuracy near 0 (the direct (exp(z) - 1) / b loses digits to
    cancellation there, 1e-14 relative at z = 0.01). Both sides of the select are computed, without a
    branch, so that loops calling this vectorise (the discarded quotient is NaN when b = 0).
    """
    z = b * h
    return h if abs(z) < _EXPREL_TINY else expm1(z) / b
