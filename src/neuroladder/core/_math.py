"""Elementary functions that numba can vectorise (SIMD) inside loops over units.

llvmlite ships without a vector maths library, so a loop calling ``math.exp``
stays scalar (one libm call per element). :func:`exp` is pure arithmetic (range
reduction by ln 2, a degree-13 Taylor polynomial, and the power of two built
from its bit pattern), which LLVM vectorises: measured 0.85 ns per element
against 3.0 ns for libm on the development machine, accurate to 1 ulp over the
whole range (``tests/core/test_math.py`` checks it against numpy).
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


@njit(cache=True, inline="always", error_model="numpy")
def exp(x):
    """e**x to 1 ulp for -708 <= x <= 709; saturates outside (no inf, no denormals); NaN gives NaN."""
    nan = x != x
    x = min(max(x, -708.0), 709.0)
    kf = math.floor(x * _LOG2E + 0.5)
    r = (x - kf * _LN2_HI) - kf * _LN2_LO  # |r| <= ln2 / 2
    # Taylor polynomial of degree 13: truncation below 5e-18 relative on |r| <= 0.347
    p = 1.0 + r * (1.0 + r * (0.5 + r * (1.6666666666666666e-01 + r * (4.1666666666666664e-02 + r * (
        8.3333333333333332e-03 + r * (1.3888888888888889e-03 + r * (1.9841269841269841e-04 + r * (
            2.4801587301587302e-05 + r * (2.7557319223985893e-06 + r * (2.7557319223985888e-07 + r * (
                2.5052108385441720e-08 + r * (2.0876756987868100e-09 + r * 1.6059043836821613e-10))))))))))))
    scale = np.int64((np.int64(kf) + 1023) << 52).view(np.float64)  # 2**kf from its bit pattern
    return math.nan if nan else p * scale  # a select, not a branch: the loop stays vectorisable


#: |z| below which :func:`exprel_series` is used (its truncation error is then below 5e-17 relative)
EXPREL_SERIES_MAX = 0.5


@njit(cache=True, inline="always", error_model="numpy")
def exprel_series(z):
    """(exp(z) - 1) / z for |z| < EXPREL_SERIES_MAX: the Taylor series sum z^n / (n + 1)!, n <= 13
    (next term below 0.5^14 / 15! = 4.7e-17). Only multiply-adds: no exponential, no division."""
    return 1.0 + z * (1.0 / 2.0 + z * (1.0 / 6.0 + z * (1.0 / 24.0 + z * (1.0 / 120.0 + z * (1.0 / 720.0 + z * (
        1.0 / 5040.0 + z * (1.0 / 40320.0 + z * (1.0 / 362880.0 + z * (1.0 / 3628800.0 + z * (
            1.0 / 39916800.0 + z * (1.0 / 479001600.0 + z * (1.0 / 6227020800.0 + z * (
                1.0 / 87178291200.0)))))))))))))


@njit(cache=True, inline="always", error_model="numpy")
def exprel_step(b, h):
    """(exp(b h) - 1) / b, accurate also for small b h (limit h at b = 0): the exponential-Euler factor.

    h exprel_series(b h) for |b h| < EXPREL_SERIES_MAX, where (exp(z) - 1) / b would lose digits to
    cancellation (1e-14 relative at z = 0.01); the direct form elsewhere. Both forms are computed and
    one is selected, without a branch, so that loops calling this vectorise (the unused form may be
    inf or NaN when b = 0; it is discarded).
    """
    z = b * h
    series = h * exprel_series(z)
    direct = (exp(z) - 1.0) / b
    return series if abs(z) < EXPREL_SERIES_MAX else direct
