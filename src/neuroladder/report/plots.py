"""Plotting helpers shared by the experiments: traces, rasters, f-I curves, phase planes.

Each draws into a given matplotlib ``Axes`` and labels axes with units.
"""

from __future__ import annotations

import numpy as np

from .style import COLORS, STYLE


def _rc(func):
    import functools

    import matplotlib

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return func(*args, **kwargs)
    return wrapper


@_rc
def trace(ax, t, y, label=None, ylabel="v (mV)", color=None, **kwargs):
    """A time course: ``t`` in ms."""
    ax.plot(t, y, label=label, color=color, **kwargs)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(ylabel)
    if label:
        ax.legend(loc="best", fontsize=8)


@_rc
def raster(ax, times, ids, ylabel="unit", s=2.0, color="k"):
    """Spike raster from flat ``times`` (ms) and ``ids`` arrays."""
    ax.scatter(times, ids, s=s, marker="|", color=color, linewidths=0.8)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(ylabel)


@_rc
def fi(ax, currents, rates, label=None, current_unit="", marker="o", **kwargs):
    """Firing rate (Hz) vs injected current."""
    ax.plot(currents, rates, marker=marker, markersize=3, label=label, **kwargs)
    ax.set_xlabel(f"injected current ({current_unit})" if current_unit else "injected current")
    ax.set_ylabel("firing rate (Hz)")
    if label:
        ax.legend(loc="best", fontsize=8)


@_rc
def phase_plane(ax, null, trajectory=None, fixed_points=(), units=("", "")):
    """Nullclines (from :func:`neuroladder.analysis.nullclines`), a trajectory and fixed points."""
    x, y = null.x, null.y
    ax.contour(x, y, null.dx, levels=[0.0], colors=[COLORS[0]], linewidths=1.6)
    ax.contour(x, y, null.dy, levels=[0.0], colors=[COLORS[1]], linewidths=1.6)
    ax.streamplot(x, y, null.dx, null.dy, color="0.8", density=0.9, linewidth=0.6, arrowsize=0.7)
    if trajectory is not None:
        tx, ty = (np.asarray(a, dtype=float).copy() for a in trajectory)
        # break the line at resets (large downward jumps) so they are not drawn as flow
        jumps = np.flatnonzero(np.diff(tx) < -0.25 * np.ptp(x))
        tx, ty = np.insert(tx, jumps + 1, np.nan), np.insert(ty, jumps + 1, np.nan)
        ax.plot(tx, ty, color="k", lw=1.0, label="trajectory")
    for fp in fixed_points:
        ax.plot(fp.state[0], fp.state[1], "o", ms=7, mfc="k" if fp.stable else "w", mec="k",
                label=f"{fp.kind}")
    ax.plot([], [], color=COLORS[0], label=f"d{null.names[0]}/dt = 0")
    ax.plot([], [], color=COLORS[1], label=f"d{null.names[1]}/dt = 0")
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    ax.set_xlabel(f"{null.names[0]} ({units[0]})" if units[0] else null.names[0])
    ax.set_ylabel(f"{null.names[1]} ({units[1]})" if units[1] else null.names[1])
    ax.legend(loc="best", fontsize=7)


@_rc
def morphology(ax, cell, values, label="v (mV)", cmap="viridis"):
    """Draw a cell's sections in the x-y plane, coloured by one value per compartment (e.g. v)."""
    from matplotlib.collections import LineCollection

    segs, colours = [], []
    for i, sec in enumerate(cell.morphology.sections):
        pts = sec.points
        if pts is None or len(pts) < 2:  # no 3-D points (e.g. Morphology.cable): draw along x
            x0 = cell.morphology.path_distance(i, 0.0) if hasattr(cell.morphology, "path_distance") else 0.0
            pts = np.array([[x0, 0.0, 0.0, sec.diam], [x0 + sec.length, 0.0, 0.0, sec.diam]])
        pts = np.asarray(pts)
        cum = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts[:, :3], axis=0), axis=1))])
        for j in range(len(pts) - 1):
            mid = 0.5 * (cum[j] + cum[j + 1]) / max(cum[-1], 1e-12)
            segs.append(pts[j:j + 2, :2])
            colours.append(values[cell.compartment(i, min(mid, 1.0))])
    lines = LineCollection(segs, array=np.asarray(colours), cmap=cmap, linewidths=2.0)
    ax.add_collection(lines)
    ax.autoscale()
    ax.set_aspect("equal")
    ax.set_xlabel("x (um)")
    ax.set_ylabel("y (um)")
    ax.figure.colorbar(lines, ax=ax, label=label)
