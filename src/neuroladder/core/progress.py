"""A minimal text progress bar for long runs (written to stderr, no dependency)."""

from __future__ import annotations

import sys
import time


class Progress:
    """Shows ``label [#####.....] 45%  eta 3 s`` once a run is projected to last > ``after_s`` seconds.

    ``enabled``: True (always), False (never) or None (only for long runs, and only when the stream
    is a terminal: redirected output stays free of carriage-return lines).
    """

    def __init__(self, label: str, total: float, enabled: bool | None = None, after_s: float = 3.0, stream=None):
        self.label, self.total, self.enabled, self.after_s = label, float(total), enabled, after_s
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.shown = False
        if enabled is None and not getattr(self.stream, "isatty", lambda: False)():
            self.enabled = False

    def update(self, done: float) -> None:
        if self.enabled is False or self.total <= 0:
            return
        elapsed = time.perf_counter() - self.start
        frac = min(max(done / self.total, 0.0), 1.0)
        projected = elapsed / frac if frac > 0 else float("inf")
        if not self.shown and self.enabled is None and (projected < self.after_s or frac >= 1.0):
            return  # short runs (and runs already finished, e.g. slowed by a first compile) stay quiet
        self.shown = True
        width = 30
        bar = "#" * int(width * frac) + "." * (width - int(width * frac))
        eta = projected - elapsed if frac > 0 else float("nan")
        self.stream.write(f"\r{self.label} [{bar}] {100 * frac:5.1f}%  eta {eta:5.1f} s")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write(f"\r{self.label} done in {time.perf_counter() - self.start:.1f} s" + " " * 30 + "\n")
            self.stream.flush()
