"""One consistent figure style for every experiment (matplotlib).

Figures are made with matplotlib's object-oriented API (:class:`matplotlib.figure.Figure`), not
pyplot: they need no GUI backend, so neuroladder never switches the user's backend (importing it used
to call ``matplotlib.use("Agg")``, a process-wide change), and they are not kept in pyplot's registry
of open figures. ``fig.savefig`` renders them with Agg.
"""

from __future__ import annotations

import matplotlib
from matplotlib.figure import Figure

#: Colours used across the report (colour-blind friendly, Okabe-Ito).
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 130,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "axes.prop_cycle": matplotlib.cycler(color=COLORS),
    "lines.linewidth": 1.4,
    "legend.frameon": False,
}


def figure(nrows: int = 1, ncols: int = 1, width: float = 6.4, height: float = 3.6, **kwargs):
    """A new figure with the neuroladder style: ``fig, axes = figure(2, 1)``."""
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height))
        axes = fig.subplots(nrows, ncols, **kwargs)
    fig.set_layout_engine("constrained")
    return fig, axes


def save(fig, path) -> None:
    """Save as PNG in the report style (pyplot holds no reference to our figures: nothing to close)."""
    with matplotlib.rc_context(STYLE):
        fig.savefig(path)
