"""Reading SWC morphology files into a :class:`~neuroladder.cable.morphology.Morphology`.

The SWC format (Cannon et al. 1998, *J. Neurosci. Methods* 84:49; the format of
NeuroMorpho.Org, Ascoli et al. 2007, *J. Neurosci.* 27:9247) is plain text, one
sample per line::

    n  T  x  y  z  r  parent

``n`` sample id (integer), ``T`` structure type (1 soma, 2 axon, 3 basal dendrite,
4 apical dendrite, other = custom), ``x y z`` position in um, ``r`` radius in um,
``parent`` the id of the parent sample or -1 for the root. ``#`` starts a comment;
blank lines are ignored.

Rules this reader applies (each malformed case raises
:class:`~neuroladder.core.errors.SpecError` whose message contains
``"line N: ..."``, N the 1-based line in the file):

* at least 7 whitespace-separated fields; extra trailing fields (some tools append
  columns) are ignored. ``n``, ``T`` and ``parent`` must be integers written as
  integers ("3", not "3.0"); ``n >= 0``, ``T >= 0``, ``parent == -1`` or a sample id.
* coordinates finite, radius finite and > 0.
* sample ids unique.
* exactly one root (``parent == -1``): NeuroMorpho.Org cells have one.
* every parent id appears somewhere in the file; no sample is its own ancestor.
* **a parent must be defined before its children** (on an earlier line). NEURON's
  Import3D and the strict SWC validators require this, so a file this reader accepts
  is portable; the rare unordered file has to be sorted first. A consequence is
  that the root is the first sample.

How sections are formed (the usual unbranched-section decomposition, as NEURON's
Import3D does): a new section starts at the root, at every child of a branch point
(a sample with two or more children) and wherever the structure type changes; each
section is the maximal unbranched run of samples from there.

* **Soma.** If the root has type 1, the root and every type-1 sample connected to it
  through type-1 samples form one soma section (region "soma"):

  - a single sample (one-point soma, a sphere of radius r) becomes a cylinder of
    length = diameter = 2r, whose lateral area equals the sphere's 4 pi r^2;
  - several samples (the NeuroMorpho three-point soma: the root plus two type-1
    children at y -/+ r, or a stack/contour of points) are treated as a chain of
    cylinders: length = the summed distance between connected soma samples,
    diameter = length-weighted mean. For the three-point soma this gives length
    2r and diameter 2r, the same cylinder as the one-point rule. (A contour traced
    around the soma outline is treated the same way, which overestimates its
    length; such files are rare on NeuroMorpho.Org, which converts them to the
    three-point form.) If the soma samples all coincide, the one-point rule is
    used with the root's radius.

  Children of the soma attach at the soma's middle, ``parent_x = 0.5``, and their
  length starts at their own first sample: the stretch from the soma centre to
  that sample lies inside the soma, whose membrane the soma cylinder already
  represents. (Exception: a child section of the soma with a single sample would
  have no length, so its length is measured from its parent soma sample.)
* **A root that is not a soma** is a bare point: it becomes the x = 0 end of the
  section formed by its first child's run (whatever that child's type or the
  root's number of children), and the root's other children attach there, at
  ``parent_x = 0.0``. A file of a single non-soma sample gives one section by the
  one-point rule (length = diameter = 2r).
* **Other sections** attach at their parent's distal end, ``parent_x = 1.0``. Their
  length is the summed 3-D distance between consecutive samples, *including* the
  segment from the parent sample (the last sample of the parent section) to the
  section's first sample, as NEURON does when it joins the 3-D points of a child to
  its parent. That connecting segment is given the child's first diameter: the
  branch point's own diameter describes the parent.
* Diameter = length-weighted mean of 2r over the section, each segment between two
  samples counting as a frustum with the mean of its end diameters, so the
  cylinder keeps the section's lateral area (to first order in the taper).
* ``Section.points`` keeps the samples (x, y, z, diameter = 2r, um) for drawing,
  including the prepended connecting point where there is one.

Names follow NEURON's Import3D for the standard types: ``soma`` (``soma[k]`` if
there are several soma sections), ``axon[k]``, ``dend[k]`` (basal, SWC type 3),
``apic[k]``; any other type T gives ``type<T>[k]`` (region "custom"). Each prefix is
numbered in file order.
Sections are in file order of their first sample, which is topological because
parents precede children.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from ..core.errors import SpecError
from .morphology import Morphology, Section

__all__ = ["read_swc"]

_REGION = {1: "soma", 2: "axon", 3: "basal", 4: "apical"}
_PREFIX = {1: "soma", 2: "axon", 3: "dend", 4: "apic"}


@dataclass
class _Rows:
    """The parsed samples of one file, in file order (index = row)."""

    ids: list
    types: list
    xyz: np.ndarray      # (n, 3) um
    radius: np.ndarray   # (n,) um
    parent_id: list      # parent sample id or -1
    line: list           # 1-based line number in the file


def _error(path, line: int, msg: str) -> SpecError:
    return SpecError(f"{path}: line {line}: {msg}")


def _parse_int(token: str, what: str, path, line: int) -> int:
    try:
        return int(token)
    except ValueError:
        raise _error(path, line, f"{what} must be an integer, got {token!r}") from None


def _parse_float(token: str, what: str, path, line: int) -> float:
    try:
        v = float(token)
    except ValueError:
        raise _error(path, line, f"{what} must be a number, got {token!r}") from None
    if not math.isfinite(v):
        raise _error(path, line, f"{what} must be finite, got {token!r}")
    return v


def _parse(path) -> _Rows:
    ids, types, xyz, radius, parent_id, lines = [], [], [], [], [], []
    first_line_of: dict[int, int] = {}
    root_line = None
    # errors="replace": header comments sometimes hold non-UTF-8 text (e.g. a latin-1
    # "µm"); comments are ignored, and a bad byte in a data field still fails to parse
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, raw in enumerate(fh, start=1):
            text = raw.split("#", 1)[0].strip()
            if not text:
                continue
            f = text.split()
            if len(f) < 7:
                raise _error(path, lineno, f"expected 7 fields 'n T x y z r parent', got {len(f)}: {text!r}")
            n = _parse_int(f[0], "sample id n", path, lineno)
            t = _parse_int(f[1], "structure type T", path, lineno)
            x = _parse_float(f[2], "x", path, lineno)
            y = _parse_float(f[3], "y", path, lineno)
            z = _parse_float(f[4], "z", path, lineno)
            r = _parse_float(f[5], "radius r", path, lineno)
            p = _parse_int(f[6], "parent id", path, lineno)
            if n < 0:
                raise _error(path, lineno, f"sample id must be >= 0, got {n}")
            if t < 0:
                raise _error(path, lineno, f"structure type must be >= 0, got {t}")
            if r <= 0.0:
                raise _error(path, lineno, f"radius must be > 0 um, got {f[5]!r} (sample {n})")
            if p < -1:
                raise _error(path, lineno, f"parent must be -1 (root) or a sample id, got {p} (sample {n})")
            if n in first_line_of:
                raise _error(path, lineno, f"duplicate sample id {n} (first defined on line {first_line_of[n]})")
            if p == -1:
                if root_line is not None:
                    raise _error(path, lineno, f"a second root (parent -1); an SWC cell must have one root "
                                               f"(the first is on line {root_line})")
                root_line = lineno
            first_line_of[n] = lineno
            ids.append(n)
            types.append(t)
            xyz.append((x, y, z))
            radius.append(r)
            parent_id.append(p)
            lines.append(lineno)
    if not ids:
        raise SpecError(f"{path}: no samples found; an SWC file needs lines "
                        "'n T x y z r parent'")
    return _Rows(ids, types, np.asarray(xyz, dtype=float).reshape(-1, 3), np.asarray(radius, dtype=float),
                 parent_id, lines)


def _parent_rows(rows: _Rows, path) -> np.ndarray:
    """Row of each sample's parent (-1 for the root), after checking the tree structure."""
    row_of = {n: k for k, n in enumerate(rows.ids)}
    m = len(rows.ids)
    prow = np.full(m, -1, dtype=np.int64)
    for k, p in enumerate(rows.parent_id):
        if p == -1:
            continue
        if p not in row_of:
            raise _error(path, rows.line[k], f"parent {p} of sample {rows.ids[k]} never appears in the file")
        prow[k] = row_of[p]

    # cycles first: a cycle also violates the ordering rule, but "cycle" is the
    # more useful diagnosis. Colour walk up the parent chains: 0 unseen, 1 on the
    # current chain, 2 known to reach the root.
    state = np.zeros(m, dtype=np.int8)
    for k in range(m):
        chain = []
        cur = k
        while cur != -1 and state[cur] == 0:
            state[cur] = 1
            chain.append(cur)
            cur = int(prow[cur])
        if cur != -1 and state[cur] == 1:
            cyc = chain[chain.index(cur):]
            first = min(cyc)  # report the member that comes first in the file
            # show the loop child -> parent, starting from that member
            j = cyc.index(first)
            loop = cyc[j:] + cyc[:j] + [first]
            shown = " -> ".join(str(rows.ids[q]) for q in loop[:12]) + (" -> ..." if len(loop) > 12 else "")
            raise _error(path, rows.line[first],
                         f"sample {rows.ids[first]} is its own ancestor (cycle {shown}); an SWC file must be a tree")
        for q in chain:
            state[q] = 2

    for k in range(m):
        if prow[k] > k:
            raise _error(path, rows.line[k],
                         f"parent {rows.parent_id[k]} is defined after its child (on line {rows.line[prow[k]]}); "
                         "each parent must come before its children, as NEURON's reader requires")
    return prow


def _chain_length_and_diam(pts: np.ndarray) -> tuple[float, float]:
    """Summed length and length-weighted mean diameter of a polyline of (x, y, z, d) points."""
    seg = np.linalg.norm(np.diff(pts[:, :3], axis=0), axis=1)
    length = float(seg.sum())
    if length == 0.0:
        return 0.0, float("nan")
    # each segment is a frustum with the mean of its end diameters
    dmid = 0.5 * (pts[:-1, 3] + pts[1:, 3])
    return length, float((seg * dmid).sum() / length)


def _soma_points(rows: _Rows, members: list[int], prow: np.ndarray) -> np.ndarray:
    """Soma samples as (x, y, z, d), ordered along the soma when it is unbranched.

    The three-point soma is stored root, -r, +r; drawing it needs -r, root, +r.
    """
    mset = set(members)
    adj = {k: [] for k in members}
    for k in members:
        p = int(prow[k])
        if p in mset:
            adj[k].append(p)
            adj[p].append(k)
    order = members
    if len(members) > 1 and all(len(v) <= 2 for v in adj.values()):
        start = min(k for k in members if len(adj[k]) == 1)
        order, prev, cur = [start], -1, start
        while True:
            nxt = [q for q in adj[cur] if q != prev]
            if not nxt:
                break
            prev, cur = cur, nxt[0]
            order.append(cur)
    return np.column_stack([rows.xyz[order], 2.0 * rows.radius[order]])


@dataclass(frozen=True)
class _Tree:
    """The samples of a file with their parent rows, soma membership and sections."""

    rows: _Rows
    prow: np.ndarray      # parent row of each sample (-1: the root)
    in_soma: np.ndarray   # bool: the sample belongs to the soma section
    sec_of: np.ndarray    # section index of each sample
    members: list         # rows of each section, in file (= proximal-to-distal) order


def _soma_mask(types, prow: np.ndarray) -> np.ndarray:
    """The soma: the root, if type 1, plus type-1 samples connected to it through type-1 samples; parents
    precede children, so one forward pass finds them."""
    m = len(types)
    in_soma = np.zeros(m, dtype=bool)
    if types[0] == 1:
        in_soma[0] = True
        for k in range(1, m):
            in_soma[k] = types[k] == 1 and in_soma[prow[k]]
    return in_soma


def _group_sections(rows: _Rows, prow: np.ndarray) -> _Tree:
    """Cut the tree into unbranched sections: a section starts at the root, after a branch point, at a change
    of type, and at each child of the soma."""
    m = len(rows.ids)
    types = rows.types
    nchild = np.bincount(prow[prow >= 0], minlength=m)
    in_soma = _soma_mask(types, prow)
    sec_of = np.full(m, -1, dtype=np.int64)
    members: list[list[int]] = []
    root_joined = False
    for k in range(m):
        p = int(prow[k])
        if in_soma[k] and k != 0:
            sec_of[k] = 0
            members[0].append(k)
            continue
        if p == 0 and not in_soma[0] and not root_joined:
            # a non-soma root is a bare point: on its own it would be a section of
            # length 0, so it becomes the x = 0 end of its first child's run
            root_joined = True
            starts = False
        else:
            starts = p == -1 or nchild[p] >= 2 or types[k] != types[p] or in_soma[p]
        if starts:
            sec_of[k] = len(members)
            members.append([k])
        else:
            sec_of[k] = sec_of[p]
            members[sec_of[p]].append(k)
    return _Tree(rows, prow, in_soma, sec_of, members)


def _section_names(types, members: list) -> list[str]:
    """Names numbered per prefix in section order (``dend[0]``, ``axon[1]``); a lone soma is just "soma"."""
    n_soma = sum(1 for rs in members if types[rs[0]] == 1)
    counters: dict[str, int] = {}
    names = []
    for rs in members:
        t = types[rs[0]]
        prefix = _PREFIX.get(t, f"type{t}")
        k_name = counters.get(prefix, 0)
        counters[prefix] = k_name + 1
        names.append("soma" if (t == 1 and n_soma == 1) else f"{prefix}[{k_name}]")
    return names


def _soma_section(tree: _Tree, rs: list, name: str, region: str) -> Section:
    """The soma as one section: its length the summed edges within the soma tree (which may branch, e.g. the
    three-point soma), each edge a frustum, and its diameter their length-weighted mean."""
    rows, prow = tree.rows, tree.prow
    pts = _soma_points(rows, rs, prow)
    length, wsum = 0.0, 0.0
    for k in rs[1:]:
        q = int(prow[k])
        seg = float(np.linalg.norm(rows.xyz[k] - rows.xyz[q]))
        length += seg
        wsum += seg * (rows.radius[k] + rows.radius[q])  # = seg * mean diameter
    if length > 0.0:
        diam = wsum / length
    else:
        # one-point soma (or coincident points): sphere of radius r -> cylinder
        # of length = diameter = 2r, same lateral area 4 pi r^2
        length = diam = 2.0 * float(rows.radius[0])
    return Section(name, length=length, diam=diam, parent=-1, parent_x=1.0, region=region, points=pts)


def _neurite_section(tree: _Tree, rs: list, name: str, region: str, path) -> Section:
    """A section of neurite: its samples joined to the parent sample (except at the soma, whose inside is not
    membrane), with the length and diameter of the chain of frusta."""
    rows, prow, in_soma = tree.rows, tree.prow, tree.in_soma
    first = rs[0]
    p = int(prow[first])
    own = np.column_stack([rows.xyz[rs], 2.0 * rows.radius[rs]])
    if p == -1 and len(rs) == 1:
        # a lone non-soma sample: a sphere of radius r, by the one-point rule
        return Section(name, length=own[0, 3], diam=own[0, 3], parent=-1, parent_x=1.0, region=region, points=own)
    if p == -1:
        pts = own
    elif not in_soma[p] or len(rs) == 1:
        # join to the parent sample, with the child's first diameter
        joint = np.concatenate([rows.xyz[p], [own[0, 3]]])
        pts = np.vstack([joint, own])
    else:
        pts = own  # child of the soma: the stretch inside the soma is not membrane
    length, diam = _chain_length_and_diam(pts) if len(pts) > 1 else (0.0, float("nan"))
    if length == 0.0:
        raise _error(path, rows.line[first],
                     f"the section starting at sample {rows.ids[first]} has zero length "
                     "(its samples coincide with each other and with the parent sample)")
    parent_sec = -1 if p == -1 else int(tree.sec_of[p])
    if p != -1 and in_soma[p]:
        parent_x = 0.5
    elif p == 0:
        parent_x = 0.0  # a sibling of the run that the bare root point starts
    else:
        parent_x = 1.0  # p ends its section: its children start new ones
    return Section(name, length=length, diam=diam, parent=parent_sec, parent_x=parent_x, region=region, points=pts)


def read_swc(path: str | os.PathLike) -> Morphology:
    """Read an SWC file into a :class:`~neuroladder.cable.morphology.Morphology`.

    Parameters
    ----------
    path : str or path-like
        The SWC file (Cannon et al. 1998; NeuroMorpho.Org). Lengths in um.

    Returns
    -------
    Morphology
        Unbranched sections, in file order of their first sample; section 0 is the
        root (the soma when the root sample has type 1). See the module docstring
        for how sections, somata, lengths and diameters are formed.

    Raises
    ------
    SpecError
        If the file is malformed: fewer than 7 fields, a non-numeric or non-finite
        field, a non-integer id/type/parent, a radius <= 0, a duplicate id, a second
        root, a missing parent, a cycle, or a parent defined after its child. The
        message contains ``"line N: ..."`` with N the 1-based line of the offending
        sample.
    FileNotFoundError
        If the file does not exist.
    """
    rows = _parse(path)
    tree = _group_sections(rows, _parent_rows(rows, path))
    sections = []
    for s, (rs, name) in enumerate(zip(tree.members, _section_names(rows.types, tree.members))):
        region = _REGION.get(rows.types[rs[0]], "custom")
        if s == 0 and tree.in_soma[0]:
            sections.append(_soma_section(tree, rs, name, region))
        else:
            sections.append(_neurite_section(tree, rs, name, region, path))
    return Morphology(sections)
