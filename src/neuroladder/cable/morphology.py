"""Neuron morphology as a tree of unbranched cable sections.

A :class:`Morphology` is the geometric description of a compartmental cell: an
ordered tuple of :class:`Section` objects (unbranched cylinders, NEURON's unit of
geometry; Hines & Carnevale 1997, *Neural Comput.* 9:1179), each attached to a point
of its parent section. It carries geometry only; cable constants, discretisation
(d_lambda) and the Hines solver are built on top of it elsewhere in
:mod:`neuroladder.cable`.

Units: all lengths and diameters in um.

Conventions
-----------
* Sections are in **topological order**: a section's parent has a smaller index, so
  a single forward pass visits every parent before its children and the tree can
  have no cycles.
* A section's position ``x`` runs from 0 (the end attached to the parent) to 1 (the
  distal end). A child normally attaches at its parent's ``x = 1``; a child of an
  SWC soma attaches at the soma's middle, ``x = 0.5`` (NEURON's convention).
* A soma is represented as a cylinder whose length equals its diameter: its lateral
  area, ``pi d * d``, equals the area ``4 pi r^2`` of a sphere of diameter ``d``
  (the NeuroMorpho.org convention for three-point somata).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from ..core.errors import ParameterError
from ..core.parameters import require_positive

__all__ = ["Section", "Morphology", "REGIONS"]

#: The region names a section may carry, with the SWC structure types they come from
#: (Cannon et al. 1998): 1 soma, 2 axon, 3 (basal) dendrite, 4 apical dendrite, any
#: other type "custom".
REGIONS = ("soma", "axon", "basal", "apical", "custom")


def _check_positive_length(name: str, value) -> float:
    """Return ``value`` as a float after checking it is one finite number > 0 (um)."""
    # bool is an int subclass; a True length is surely a mistake, not 1 um
    if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0:
        raise ParameterError(f"{name} must be a single number in um, got {value!r}")
    require_positive(name, value, unit="um")
    return float(value)


@dataclass(frozen=True)
class Section:
    """One unbranched cable section (a cylinder).

    Parameters
    ----------
    name : str
        Section name, unique within a :class:`Morphology` (e.g. ``"soma"``,
        ``"dend[3]"``).
    length : float
        Length L in um, > 0.
    diam : float
        Diameter d in um, > 0. For a tapered section read from a file this is the
        length-weighted mean diameter, so the cylinder has the same lateral area as
        the frustum chain it replaces.
    parent : int, default -1
        Index of the parent section in the :class:`Morphology`; -1 for a root.
    parent_x : float, default 1.0
        Where on the parent this section attaches, 0..1 (1 = the parent's distal
        end, the usual case; 0.5 for a child of a soma). Ignored for a root.
    region : str, default "custom"
        One of :data:`REGIONS`: "soma", "axon", "basal", "apical", "custom"
        (SWC types 1, 2, 3, 4 and any other).
    points : numpy.ndarray or None, default None
        Optional 3-D outline for drawing only, shape (k, 4): columns x, y, z and
        diameter, all in um. Stored as a read-only float copy. It does not take part
        in equality or hashing, and simulations use ``length`` and ``diam`` only.

    Raises
    ------
    ParameterError
        If a field is out of range; the message names the field.
    """

    name: str
    length: float
    diam: float
    parent: int = -1
    parent_x: float = 1.0
    region: str = "custom"
    points: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ParameterError(f"name must be a non-empty string, got {self.name!r}")
        # object.__setattr__ because the dataclass is frozen; the values are
        # normalised to plain floats/ints so numpy scalars do not leak into kernels
        object.__setattr__(self, "length", _check_positive_length("length", self.length))
        object.__setattr__(self, "diam", _check_positive_length("diam", self.diam))
        if (isinstance(self.parent, (bool, np.bool_))
                or not isinstance(self.parent, (int, np.integer)) or self.parent < -1):
            raise ParameterError(
                f"parent must be an integer >= -1 (a section index, or -1 for a root), got {self.parent!r}")
        object.__setattr__(self, "parent", int(self.parent))
        try:
            px = float(self.parent_x)
        except (TypeError, ValueError):
            raise ParameterError(f"parent_x must be a number in [0, 1], got {self.parent_x!r}") from None
        if isinstance(self.parent_x, (bool, np.bool_)) or not (0.0 <= px <= 1.0):
            raise ParameterError(f"parent_x = {self.parent_x!r} is outside the allowed range [0, 1]")
        object.__setattr__(self, "parent_x", px)
        if self.region not in REGIONS:
            raise ParameterError(f"region must be one of {REGIONS}, got {self.region!r}")
        if self.points is not None:
            try:
                pts = np.array(self.points, dtype=float)  # a copy: the caller's array stays theirs
            except (TypeError, ValueError):
                raise ParameterError("points must be a numeric array of shape (k, 4): x, y, z, diameter (um)") from None
            if pts.ndim != 2 or pts.shape[1] != 4 or pts.shape[0] < 1:
                raise ParameterError(
                    f"points must have shape (k, 4) with k >= 1 (x, y, z, diameter in um), got shape {pts.shape}")
            if not np.isfinite(pts).all():
                raise ParameterError("points must be finite")
            if (pts[:, 3] <= 0).any():
                raise ParameterError(f"points diameters must be > 0 um, got {pts[:, 3].min()!r}")
            pts.setflags(write=False)
            object.__setattr__(self, "points", pts)

    @property
    def area(self) -> float:
        """Lateral membrane area ``pi d L`` in um^2 (the end caps are not membrane)."""
        return math.pi * self.diam * self.length


class Morphology:
    """A cell's geometry: sections in topological order.

    Parameters
    ----------
    sections : iterable of Section
        At least one section. Every section's ``parent`` must be -1 (a root) or the
        index of an *earlier* section, which makes the order topological and rules
        out cycles. Section names must be unique.

    Raises
    ------
    ParameterError
        If the list is empty, holds something that is not a :class:`Section`, a
        parent index is out of range or not smaller than the section's own index,
        or two sections share a name.

    Notes
    -----
    Immutable: ``sections`` is a tuple of frozen dataclasses. Several roots are
    allowed (a forest, e.g. separate cables); :meth:`path_distance` measures within
    the tree that contains the section.
    """

    __slots__ = ("_sections", "_children", "_index")

    def __init__(self, sections: Iterable[Section]):
        secs = tuple(sections)
        if not secs:
            raise ParameterError("sections must contain at least one Section, got none")
        index: dict[str, int] = {}
        children: list[list[int]] = [[] for _ in secs]
        for i, s in enumerate(secs):
            if not isinstance(s, Section):
                raise ParameterError(f"sections[{i}] must be a Section, got {type(s).__name__}")
            # parent < own index is what makes the order topological; it also means
            # section 0 is always a root
            if not (-1 <= s.parent < i):
                raise ParameterError(
                    f"sections[{i}] ({s.name!r}) has parent = {s.parent}; a parent must be -1 (root) or "
                    f"the index of an earlier section, 0..{i - 1}")
            if s.name in index:
                raise ParameterError(
                    f"sections[{i}] has name {s.name!r}, already used by sections[{index[s.name]}]; "
                    "section names must be unique")
            index[s.name] = i
            if s.parent >= 0:
                children[s.parent].append(i)
        self._sections = secs
        self._children = tuple(tuple(c) for c in children)
        self._index = index

    # -- container protocol -------------------------------------------------
    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections, in topological order (parents first)."""
        return self._sections

    def __len__(self) -> int:
        return len(self._sections)

    def __getitem__(self, i: int) -> Section:
        return self._sections[i]

    def __iter__(self) -> Iterator[Section]:
        return iter(self._sections)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Morphology):
            return NotImplemented
        return self._sections == other._sections

    def __hash__(self) -> int:
        return hash(self._sections)

    def __repr__(self) -> str:
        counts = ", ".join(f"{r}: {len(ix)}" for r, ix in self.regions().items())
        return (f"Morphology({len(self)} sections ({counts}), "
                f"total length {self.total_length():.6g} um)")

    # -- queries ------------------------------------------------------------
    def _check_index(self, i) -> int:
        n = len(self._sections)
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)) or not (0 <= i < n):
            raise ParameterError(f"section index i = {i!r} is outside the allowed range 0..{n - 1}")
        return int(i)

    def children(self, i: int) -> tuple[int, ...]:
        """Indices of the sections attached to section ``i``, in increasing order."""
        return self._children[self._check_index(i)]

    @property
    def roots(self) -> tuple[int, ...]:
        """Indices of the root sections (parent -1); section 0 is always one."""
        return tuple(i for i, s in enumerate(self._sections) if s.parent == -1)

    def regions(self) -> dict[str, tuple[int, ...]]:
        """Section indices per region, e.g. ``{"soma": (0,), "basal": (1, 2)}``.

        Only regions that occur are listed, in order of first appearance. A fresh
        dict each call, so changing it does not change the morphology.
        """
        out: dict[str, list[int]] = {}
        for i, s in enumerate(self._sections):
            out.setdefault(s.region, []).append(i)
        return {r: tuple(ix) for r, ix in out.items()}

    def total_length(self, region: str | Iterable[str] | None = None) -> float:
        """Summed section length in um, of all sections or of the given region(s).

        Parameters
        ----------
        region : str or iterable of str, optional
            Restrict the sum to these regions, e.g. ``("basal", "apical")`` for the
            total dendritic length. A region with no sections contributes 0.
        """
        if region is None:
            wanted = set(REGIONS)
        else:
            wanted = {region} if isinstance(region, str) else set(region)
            unknown = wanted - set(REGIONS)
            if unknown:
                raise ParameterError(f"region must be among {REGIONS}, got {sorted(unknown)}")
        return float(sum(s.length for s in self._sections if s.region in wanted))

    def section_index(self, name: str) -> int:
        """Index of the section called ``name``.

        Raises
        ------
        ParameterError
            If no section has that name.
        """
        try:
            return self._index[name]
        except (KeyError, TypeError):
            known = list(self._index)
            shown = ", ".join(map(repr, known[:8])) + (", ..." if len(known) > 8 else "")
            raise ParameterError(f"no section named {name!r}; the sections are {shown}") from None

    def path_distance(self, i: int, x: float = 1.0) -> float:
        """Distance along the tree, in um, from the tree's origin to point ``x`` of section ``i``.

        The origin is the root section's **midpoint** (x = 0.5) when the root is a
        soma (region "soma": a soma is a point-like centre, and that is where a
        reconstruction's soma sample sits), otherwise the root's x = 0 end.
        The path runs along sections to each child's attachment point
        (``parent_x``), so a point on a child is
        ``path_distance(parent, parent_x) + x * length``, and a point on a soma root
        is ``|x - 0.5| * length``.

        Parameters
        ----------
        i : int
            Section index.
        x : float, default 1.0
            Position on the section, 0 (proximal end) .. 1 (distal end).
        """
        i = self._check_index(i)
        if isinstance(x, (bool, np.bool_)):
            raise ParameterError(f"x must be a number in [0, 1], got {x!r}")
        try:
            xf = float(x)
        except (TypeError, ValueError):
            raise ParameterError(f"x must be a number in [0, 1], got {x!r}") from None
        if not (0.0 <= xf <= 1.0):
            raise ParameterError(f"x = {x!r} is outside the allowed range [0, 1]")
        dist = 0.0
        # iterative climb: real cells can be hundreds of sections deep
        while True:
            s = self._sections[i]
            if s.parent == -1:
                dist += abs(xf - 0.5) * s.length if s.region == "soma" else xf * s.length
                return dist
            dist += xf * s.length
            i, xf = s.parent, s.parent_x

    # -- constructors -------------------------------------------------------
    @classmethod
    def cable(cls, length: float, diam: float, name: str = "cable") -> Morphology:
        """A single unbranched cylinder (region "custom").

        Parameters
        ----------
        length : float
            Length in um, > 0.
        diam : float
            Diameter in um, > 0.
        name : str, default "cable"
        """
        return cls([Section(name=name, length=length, diam=diam, region="custom")])

    @classmethod
    def ball_and_stick(cls, soma_diam: float = 20.0, dend_length: float = 500.0,
                       dend_diam: float = 2.0, n_dendrites: int = 1) -> Morphology:
        """A soma with ``n_dendrites`` identical unbranched dendrites.

        The soma (section 0, "soma") is a cylinder of length = diameter =
        ``soma_diam``, whose lateral area equals a sphere's of that diameter. The
        dendrites (region "basal") attach at the soma's x = 1 end, as in the
        classic NEURON ball-and-stick tutorial, and are called ``"dend"`` when there
        is one, ``"dend[0]"``, ``"dend[1]"``, ... otherwise.

        Parameters
        ----------
        soma_diam : float, default 20.0
            Soma diameter in um, > 0.
        dend_length : float, default 500.0
            Length of each dendrite in um, > 0.
        dend_diam : float, default 2.0
            Diameter of each dendrite in um, > 0.
        n_dendrites : int, default 1
            Number of dendrites, >= 0.
        """
        if (isinstance(n_dendrites, (bool, np.bool_)) or not isinstance(n_dendrites, (int, np.integer))
                or n_dendrites < 0):
            raise ParameterError(f"n_dendrites must be an integer >= 0, got {n_dendrites!r}")
        _check_positive_length("soma_diam", soma_diam)
        _check_positive_length("dend_length", dend_length)
        _check_positive_length("dend_diam", dend_diam)
        secs = [Section("soma", length=soma_diam, diam=soma_diam, region="soma")]
        for k in range(int(n_dendrites)):
            name = "dend" if n_dendrites == 1 else f"dend[{k}]"
            secs.append(Section(name, length=dend_length, diam=dend_diam, parent=0,
                                parent_x=1.0, region="basal"))
        return cls(secs)
