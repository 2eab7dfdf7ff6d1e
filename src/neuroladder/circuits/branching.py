"""Branching processes: Galton-Watson avalanches and a driven network branching model.

Galton-Watson process (Harris 1963, *The Theory of Branching Processes*): every active
unit of generation ``g`` independently produces a random number of active units in
generation ``g + 1`` with mean ``m`` (the *branching ratio*). For ``m = 1`` (critical)
and finite offspring variance the avalanche size ``S`` (total number of activations)
and duration ``T`` (number of generations with activity) are power-law distributed
with the mean-field exponents ``P(S) ~ S^(-3/2)`` and ``P(T) ~ T^(-2)``, and
``<S>(T) ~ T^2`` (gamma = 2). Note the order: the SIZE exponent is 3/2, the DURATION
exponent is 2.

Network branching model (Haldeman & Beggs 2005, PRL 94:058101; the driven form used by
Wilting & Priesemann 2018, Nat Commun 9:2325): ``N`` units, each with ``K`` fixed random
targets; an active unit activates each target with probability ``m / K`` in the next
step; every unit is also activated spontaneously with probability ``h`` per step.
Time is in steps (one step = one generation).

All randomness comes from ``seed=`` (:func:`neuroladder.core.rng.make_rng`); the numba
kernels draw from the numpy ``Generator`` passed to them, so there is no global state.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..core.errors import ParameterError
from ..core.rng import make_rng

#: Default cap on the size of one Galton-Watson avalanche (activations).
MAX_SIZE = 10 ** 10
#: Default cap on the duration of one Galton-Watson avalanche (generations).
MAX_DURATION = 10 ** 6

_OFFSPRING = {"poisson": 0, "binomial": 1}


@njit(cache=True)
def _next_generation(rng, active, m, kind, k):
    # The sum of ``n`` iid Poisson(m) is Poisson(n m) and of ``n`` iid Binomial(K, m/K) is
    # Binomial(n K, m/K): one draw per generation, so the cost is the duration, not the size.
    if kind == 0:
        return rng.poisson(m * active)
    return rng.binomial(active * k, m / k)


@njit(cache=True)
def _gw_kernel(rng, m, n_avalanches, kind, k, max_size, max_duration, sizes, durations, capped):
    for i in range(n_avalanches):
        active = 1
        size = 1
        duration = 1
        while True:
            if size >= max_size or duration >= max_duration:
                capped[i] = True
                break
            active = _next_generation(rng, active, m, kind, k)
            if active == 0:
                break
            size += active
            duration += 1
        sizes[i] = size
        durations[i] = duration


@njit(cache=True)
def _gw_activity_kernel(rng, m, n_avalanches, kind, k, max_size, max_duration, out):
    # ``out`` is large enough for the capped worst case; returns the length used.
    pos = 0
    for _ in range(n_avalanches):
        active = 1
        size = 1
        duration = 1
        out[pos] = 1
        pos += 1
        while size < max_size and duration < max_duration:
            active = _next_generation(rng, active, m, kind, k)
            if active == 0:
                break
            out[pos] = active
            pos += 1
            size += active
            duration += 1
        out[pos] = 0  # one silent step separates avalanches
        pos += 1
    return pos


def _check_gw(m, n_avalanches, offspring, k, max_size, max_duration):
    if not np.isfinite(m) or m < 0.0:
        raise ParameterError(f"m (branching ratio) must be a finite number >= 0, got {m!r}")
    if int(n_avalanches) != n_avalanches or n_avalanches < 1:
        raise ParameterError(f"n_avalanches must be a positive integer, got {n_avalanches!r}")
    if offspring not in _OFFSPRING:
        raise ParameterError(f"offspring must be one of {sorted(_OFFSPRING)}, got {offspring!r}")
    if int(k) != k or k < 1:
        raise ParameterError(f"k (targets per unit of the binomial offspring) must be an integer >= 1, got {k!r}")
    if offspring == "binomial" and m > k:
        raise ParameterError(f"m must be <= k for binomial offspring (probability m/k <= 1), got m={m!r}, k={k!r}")
    if int(max_size) != max_size or max_size < 1:
        raise ParameterError(f"max_size must be an integer >= 1, got {max_size!r}")
    if int(max_duration) != max_duration or max_duration < 1:
        raise ParameterError(f"max_duration must be an integer >= 1, got {max_duration!r}")


def galton_watson(m, n_avalanches, offspring="poisson", seed=None, max_size=MAX_SIZE, max_duration=MAX_DURATION,
                  k=10, return_capped=False):
    """Sizes and durations of ``n_avalanches`` independent Galton-Watson avalanches.

    Each avalanche starts from one active unit (generation 1). Every active unit has
    Poisson(``m``) offspring (``offspring="poisson"``) or Binomial(``k``, ``m/k``)
    offspring (``offspring="binomial"``: ``k`` targets, each activated with probability
    ``m/k``). Harris (1963).

    Parameters
    ----------
    m : float
        Branching ratio (mean offspring per active unit), >= 0; ``m = 1`` is critical.
    n_avalanches : int
        Number of avalanches.
    offspring : {"poisson", "binomial"}
    seed : None, int or numpy Generator
    max_size, max_duration : int
        Caps on one avalanche: generation stops as soon as the size reaches ``max_size``
        activations or the duration reaches ``max_duration`` generations (defaults
        10^10 and 10^6). Needed for ``m >= 1``, where avalanches may never end.
    k : int
        Targets per unit for binomial offspring (default 10); ignored for Poisson.
    return_capped : bool
        Also return a boolean mask of the capped avalanches.

    Returns
    -------
    sizes : int64 array
        Total number of activations (the seed included).
    durations : int64 array
        Number of generations with activity (the seed's generation included: a seed
        with no offspring has size 1, duration 1).
    capped : bool array, only if ``return_capped``
        Capped avalanches are reported with the size and duration reached when they were
        stopped (lower bounds: ``size >= max_size`` or ``duration == max_duration``);
        drop them (``sizes[~capped]``) before fitting distributions.

    Notes
    -----
    Cost is proportional to the total number of generations (one random draw per
    generation), so 10^6 critical avalanches take well under a second.
    """
    _check_gw(m, n_avalanches, offspring, k, max_size, max_duration)
    rng = make_rng(seed)
    n = int(n_avalanches)
    sizes = np.empty(n, np.int64)
    durations = np.empty(n, np.int64)
    capped = np.zeros(n, np.bool_)
    _gw_kernel(rng, float(m), n, _OFFSPRING[offspring], int(k), int(max_size), int(max_duration),
               sizes, durations, capped)
    if return_capped:
        return sizes, durations, capped
    return sizes, durations


def galton_watson_activity(m, n_avalanches, offspring="poisson", seed=None, max_size=10 ** 6,
                           max_duration=10 ** 4, k=10):
    """The activity time course of ``n_avalanches`` Galton-Watson avalanches, one after another.

    Returns an int64 array of active units per generation: each avalanche's profile
    followed by one silent step, so :func:`neuroladder.analysis.avalanches_from_counts`
    recovers the avalanches and :func:`neuroladder.analysis.avalanche_shapes` their mean
    shapes. Same process and caps as :func:`galton_watson` (smaller default caps, since
    here the memory grows with the durations); a capped avalanche ends with the capped
    generation.
    """
    _check_gw(m, n_avalanches, offspring, k, max_size, max_duration)
    rng = make_rng(seed)
    n = int(n_avalanches)
    # first pass on a copy of the generator to learn the length exactly, then fill
    probe = np.random.Generator(type(rng.bit_generator)())
    probe.bit_generator.state = rng.bit_generator.state
    sizes = np.empty(n, np.int64)
    durations = np.empty(n, np.int64)
    capped = np.zeros(n, np.bool_)
    _gw_kernel(probe, float(m), n, _OFFSPRING[offspring], int(k), int(max_size), int(max_duration),
               sizes, durations, capped)
    out = np.empty(int(durations.sum()) + n, np.int64)
    used = _gw_activity_kernel(rng, float(m), n, _OFFSPRING[offspring], int(k), int(max_size),
                               int(max_duration), out)
    return out[:used]


@njit(cache=True)
def _network_kernel(rng, targets, p, h, n_steps, initial, activity):
    n_units, k = targets.shape
    stamp = np.full(n_units, -1, np.int64)      # step at which a unit was last activated
    current = np.empty(n_units, np.int64)
    nxt = np.empty(n_units, np.int64)
    picked = np.empty(k, np.int64)
    n_cur = 0
    for _ in range(initial):
        u = rng.integers(0, n_units)
        if stamp[u] != 0:
            stamp[u] = 0
            current[n_cur] = u
            n_cur += 1
    activity[0] = n_cur
    for t in range(1, n_steps):
        n_nxt = 0
        for j in range(n_cur):
            u = current[j]
            # how many of the k targets fire is Binomial(k, p); which ones: c distinct
            # indices by Floyd's algorithm -- cheaper than k uniforms when p is small
            c = rng.binomial(k, p)
            n_picked = 0
            for a in range(k - c, k):
                r = rng.integers(0, a + 1)
                for b in range(n_picked):
                    if picked[b] == r:
                        r = a
                        break
                picked[n_picked] = r
                n_picked += 1
                v = targets[u, r]
                if stamp[v] != t:      # a unit hit by several sources fires once
                    stamp[v] = t
                    nxt[n_nxt] = v
                    n_nxt += 1
        if h > 0.0:
            # every unit independently with probability h: geometric gaps between the
            # spontaneously active indices (exact, cost O(N h) instead of O(N))
            v = rng.geometric(h) - 1
            while v < n_units:
                if stamp[v] != t:
                    stamp[v] = t
                    nxt[n_nxt] = v
                    n_nxt += 1
                v += rng.geometric(h)
        current, nxt = nxt, current
        n_cur = n_nxt
        activity[t] = n_cur


def random_targets(n_units, k, seed=None):
    """``(n_units, k)`` int64 array of random targets: each unit projects to ``k`` other units.

    Targets are drawn uniformly among the other ``n_units - 1`` units (no self-connection);
    the same target may occur twice for one unit with probability ~ k^2 / (2 N), which is
    negligible for the large ``N`` branching models need.
    """
    if int(n_units) != n_units or n_units < 2:
        raise ParameterError(f"n_units must be an integer >= 2, got {n_units!r}")
    if int(k) != k or k < 1:
        raise ParameterError(f"k (targets per unit) must be an integer >= 1, got {k!r}")
    rng = make_rng(seed)
    n, k = int(n_units), int(k)
    draws = rng.integers(0, n - 1, size=(n, k), dtype=np.int64)
    draws += draws >= np.arange(n, dtype=np.int64)[:, None]   # skip the unit itself
    return draws


def network_branching(n_units, k, m, h, n_steps, seed=None, initial=None, targets=None):
    """Activity (active units per step) of a driven branching network.

    ``n_units`` units, each with ``k`` fixed random targets (:func:`random_targets`).
    A unit active at step ``t`` activates each of its targets at step ``t + 1`` with
    probability ``m / k``; in addition every unit is activated spontaneously with
    probability ``h`` per step. A unit is active for one step; a unit hit by several
    sources (or by a source and the drive) fires once (Haldeman & Beggs 2005; the
    driven form of Wilting & Priesemann 2018).

    Parameters
    ----------
    n_units : int
        Number of units ``N`` (>= 2).
    k : int
        Targets per unit ``K`` (>= 1).
    m : float
        Branching ratio, ``0 <= m <= k``. Collisions (two sources hitting one target)
        make the effective ratio slightly smaller, by about ``m * A / N`` at activity ``A``:
        keep ``A << N`` if ``m`` is to be the true value.
    h : float
        Spontaneous activation probability per unit and step, ``0 <= h <= 1``. The
        stationary mean activity is about ``N h / (1 - m)`` for ``m < 1``.
    n_steps : int
        Number of steps (one step = one generation).
    seed : None, int or numpy Generator
        Draws the targets (unless given) and the dynamics.
    initial : int, optional
        Units active at step 0 (distinct, chosen at random). Default: the stationary mean
        ``round(N h / (1 - m))`` for ``m < 1`` (capped at ``N``), else 1 if ``h == 0``.
    targets : (n_units, k) int array, optional
        A fixed connectivity (e.g. from :func:`random_targets`) to reuse across runs.

    Returns
    -------
    activity : int64 array of length ``n_steps``
        Number of active units at each step.
    """
    if int(n_units) != n_units or n_units < 2:
        raise ParameterError(f"n_units must be an integer >= 2, got {n_units!r}")
    if int(k) != k or k < 1:
        raise ParameterError(f"k (targets per unit) must be an integer >= 1, got {k!r}")
    if not np.isfinite(m) or not 0.0 <= m <= k:
        raise ParameterError(f"m (branching ratio) must lie in [0, k] = [0, {k}], got {m!r}")
    if not np.isfinite(h) or not 0.0 <= h <= 1.0:
        raise ParameterError(f"h (spontaneous activation probability per step) must lie in [0, 1], got {h!r}")
    if int(n_steps) != n_steps or n_steps < 1:
        raise ParameterError(f"n_steps must be a positive integer, got {n_steps!r}")
    rng = make_rng(seed)
    n, k = int(n_units), int(k)
    if targets is None:
        targets = random_targets(n, k, rng)
    else:
        targets = np.ascontiguousarray(targets, dtype=np.int64)
        if targets.shape != (n, k) or targets.min() < 0 or targets.max() >= n:
            raise ParameterError(f"targets must be an ({n}, {k}) array of unit indices in [0, {n - 1}]")
    if initial is None:
        initial = min(n, int(round(n * h / (1.0 - m)))) if m < 1.0 else (1 if h == 0.0 else 0)
    if int(initial) != initial or not 0 <= initial <= n:
        raise ParameterError(f"initial (active units at step 0) must be an integer in [0, {n}], got {initial!r}")
    activity = np.empty(int(n_steps), np.int64)
    _network_kernel(rng, targets, float(m) / k, float(h), int(n_steps), int(initial), activity)
    return activity
