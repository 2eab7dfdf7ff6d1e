"""Compilation on first use: nothing is compiled at import, and a user waiting for a compilation is told.

numba caches compiled kernels on disk (``cache=True``; ``NUMBA_CACHE_DIR`` moves the cache), so a
kernel is compiled once per machine and loaded in well under a second afterwards. The first run of a
fresh install compiles what it uses; :func:`compile_notice` says so when that takes noticeably long.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
import warnings

from numba import njit
from numba.core.errors import NumbaExperimentalFeatureWarning

#: Seconds a compilation (or cache load) may take before the notice is shown.
_NOTICE_AFTER_S = 1.5
_noticed = threading.Event()  # the notice is shown once per process


@contextlib.contextmanager
def compile_notice(estimate_s: float):
    """Show "compiling kernels for first use (about N s), cached afterwards" on stderr, once per process,
    if the block takes longer than a cache load would."""

    def notice():
        if not _noticed.is_set():
            _noticed.set()
            print(f"neuroladder: compiling kernels for first use (about {estimate_s:.0f} s), cached afterwards",
                  file=sys.stderr, flush=True)

    timer = threading.Timer(_NOTICE_AFTER_S, notice)
    timer.daemon = True
    timer.start()
    try:
        with first_class_functions():
            yield
    finally:
        timer.cancel()


@contextlib.contextmanager
def first_class_functions():
    """Pass model functions as first-class function values (documented numba behaviour, tested here)
    without numba's warning that the feature is young; the filter is local to the block."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=NumbaExperimentalFeatureWarning)
        yield


class LazyKernel:
    """A numba kernel compiled for one explicit signature on its first call, not at import.

    An explicit signature types model functions passed in as first-class function values (by their
    signature, not their identity), so one compilation serves every model.
    """

    def __init__(self, function, signature, estimate_s: float, **options):
        self._function = function
        self._signature = signature
        self._estimate_s = estimate_s
        self._options = options
        functools.update_wrapper(self, function)

    @functools.cached_property
    def dispatcher(self):
        with compile_notice(self._estimate_s):
            return njit(self._signature, cache=True, **self._options)(self._function)

    def __call__(self, *args):
        # compiled (under the notice, numba's first-class-function warning silenced) on the first call; the
        # calls themselves warn of nothing, so they go straight to the dispatcher: a warnings context per
        # call cost ~10 us, and the adaptive solver calls evaluate_rhs every step
        return self.dispatcher(*args)


def lazy_kernel(signature, estimate_s: float, **options):
    """Decorator form of :class:`LazyKernel`."""
    return lambda function: LazyKernel(function, signature, estimate_s, **options)
