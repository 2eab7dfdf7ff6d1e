"""Connection rules: which (pre, post) pairs a projection has, drawn with the network's generator.

Rules (NEST's names where NEST has one): ``"all_to_all"``, ``"one_to_one"``,
``"fixed_probability"`` (``p``; NEST's pairwise_bernoulli), ``"fixed_indegree"`` (``k``),
``"fixed_outdegree"`` (``k``), ``"explicit"`` (``pre``, ``post`` index arrays) and
``"sparse"`` (a scipy sparse matrix of shape (n_pre, n_post) whose nonzeros are the
weights). ``allow_autapses`` (pre i -> post i when pre and post are the same population)
and ``allow_multapses`` (several synapses between one pair) as in NEST.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError

RULES = ("all_to_all", "one_to_one", "fixed_probability", "fixed_indegree", "fixed_outdegree", "explicit", "sparse")


def connect_pairs(rule: str, n_pre: int, n_post: int, rng: np.random.Generator, same: bool,
                  allow_autapses: bool, allow_multapses: bool, p=None, k=None, pre=None, post=None,
                  matrix=None):
    """Return (pre_idx, post_idx, weights_or_None) int64 arrays, sorted by pre."""
    if rule not in RULES:
        raise ParameterError(f"rule = {rule!r} is unknown; choose one of {', '.join(RULES)}")
    weights = None
    if rule == "all_to_all":
        pre_i, post_i = np.divmod(np.arange(n_pre * n_post, dtype=np.int64), n_post)
        if same and not allow_autapses:
            keep = pre_i != post_i
            pre_i, post_i = pre_i[keep], post_i[keep]
    elif rule == "one_to_one":
        if n_pre != n_post:
            raise ParameterError(f"rule 'one_to_one' needs populations of equal size, got {n_pre} and {n_post}")
        pre_i = post_i = np.arange(n_pre, dtype=np.int64)
        if same and not allow_autapses:
            raise ParameterError("rule 'one_to_one' within one population with allow_autapses=False makes no synapse")
    elif rule == "fixed_probability":
        if p is None or not (0.0 <= float(p) <= 1.0):
            raise ParameterError(f"p = {p!r} must be a probability in [0, 1] for rule 'fixed_probability'")
        pre_i, post_i = _bernoulli_pairs(n_pre, n_post, float(p), rng)
        if same and not allow_autapses:
            keep = pre_i != post_i
            pre_i, post_i = pre_i[keep], post_i[keep]
    elif rule in ("fixed_indegree", "fixed_outdegree"):
        k = _degree(k, rule, n_pre if rule == "fixed_indegree" else n_post, same, allow_autapses, allow_multapses)
        fixed_n, other_n = (n_post, n_pre) if rule == "fixed_indegree" else (n_pre, n_post)
        fixed_i = np.repeat(np.arange(fixed_n, dtype=np.int64), k)
        other_i = _draw_partners(fixed_n, other_n, k, rng, same and not allow_autapses, allow_multapses)
        pre_i, post_i = (other_i, fixed_i) if rule == "fixed_indegree" else (fixed_i, other_i)
    elif rule == "explicit":
        if pre is None or post is None:
            raise ParameterError("rule 'explicit' needs pre= and post= index arrays")
        pre_i = np.asarray(pre)
        post_i = np.asarray(post)
        if pre_i.shape != post_i.shape or pre_i.ndim != 1:
            raise ParameterError(f"pre and post must be 1-D arrays of equal length, got shapes {pre_i.shape} "
                                 f"and {post_i.shape}")
        if pre_i.dtype.kind not in "iu" or post_i.dtype.kind not in "iu":
            raise ParameterError("pre and post must be integer index arrays")
        if pre_i.size and (pre_i.min() < 0 or pre_i.max() >= n_pre or post_i.min() < 0 or post_i.max() >= n_post):
            raise ParameterError(f"pre indices must lie in [0, {n_pre - 1}] and post indices in [0, {n_post - 1}]")
        pre_i, post_i = pre_i.astype(np.int64), post_i.astype(np.int64)
    else:  # sparse
        import scipy.sparse as sp

        if matrix is None or not sp.issparse(matrix):
            raise ParameterError("rule 'sparse' needs matrix= a scipy.sparse matrix of shape (n_pre, n_post)")
        if matrix.shape != (n_pre, n_post):
            raise ParameterError(f"matrix has shape {matrix.shape}; it must be (n_pre, n_post) = ({n_pre}, {n_post})")
        coo = matrix.tocoo()
        pre_i, post_i, weights = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(float)
    order = np.argsort(pre_i, kind="stable")
    return pre_i[order], post_i[order], (weights[order] if weights is not None else None)


def _bernoulli_pairs(n_pre, n_post, p, rng):
    """Each of the n_pre * n_post pairs independently with probability p (geometric skipping, O(#synapses))."""
    total = n_pre * n_post
    if p == 0.0 or total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if p == 1.0:
        flat = np.arange(total, dtype=np.int64)
    else:
        expected = total * p
        chunks, pos = [], -1
        while True:
            gaps = rng.geometric(p, size=int(expected + 6 * np.sqrt(expected) + 16))
            cand = pos + np.cumsum(gaps)
            chunks.append(cand[cand < total])
            if cand[-1] >= total:
                break
            pos = cand[-1]
        flat = np.concatenate(chunks)
    return np.divmod(flat, n_post)


def _degree(k, rule, n_other, same, allow_autapses, allow_multapses) -> int:
    if k is None or isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise ParameterError(f"k = {k!r} must be a non-negative integer for rule {rule!r}")
    limit = n_other - (1 if same and not allow_autapses else 0)
    if not allow_multapses and k > limit:
        raise ParameterError(f"k = {k} exceeds the {limit} distinct partners available without multapses")
    return int(k)


def _draw_partners(n_fixed, n_other, k, rng, no_self, allow_multapses):
    """For each of n_fixed units, k partners among n_other (distinct unless multapses allowed)."""
    if k == 0:
        return np.empty(0, dtype=np.int64)
    out = np.empty((n_fixed, k), dtype=np.int64)
    if allow_multapses:
        draws = rng.integers(0, n_other - (1 if no_self else 0), size=(n_fixed, k))
        if no_self:
            draws += draws >= np.arange(n_fixed)[:, None]  # skip the unit itself
        out[:] = draws
        return out.ravel()
    for i in range(n_fixed):
        pool = n_other - (1 if no_self else 0)
        pick = rng.choice(pool, size=k, replace=False)
        if no_self:
            pick = pick + (pick >= i)
        out[i] = np.sort(pick)
    return out.ravel()


def draw_values(name: str, spec, size: int, rng: np.random.Generator, unit: str) -> np.ndarray:
    """Weights or delays: a constant, an array of one value per synapse, or a callable ``f(rng, size)``."""
    if callable(spec):
        values = np.asarray(spec(rng, size), dtype=float)
    else:
        values = np.asarray(spec, dtype=float)
        if values.ndim == 0:
            values = np.full(size, float(values))
    if values.shape != (size,):
        raise ParameterError(f"{name} has shape {values.shape}; it must be a scalar, an array of one value per "
                             f"synapse ({size},) or a callable f(rng, size)")
    if not np.all(np.isfinite(values)):
        raise ParameterError(f"{name} contains non-finite values ({unit})")
    return values


def uniform(low: float, high: float):
    """A weight/delay distribution: uniform in [low, high)."""
    return lambda rng, size: rng.uniform(low, high, size)


def normal(mean: float, std: float, low: float = -np.inf, high: float = np.inf):
    """A weight/delay distribution: normal(mean, std), redrawn outside [low, high]."""
    def draw(rng, size):
        x = rng.normal(mean, std, size)
        bad = (x < low) | (x > high)
        while bad.any():
            x[bad] = rng.normal(mean, std, bad.sum())
            bad = (x < low) | (x > high)
        return x
    return draw
