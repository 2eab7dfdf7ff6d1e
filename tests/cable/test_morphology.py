"""Morphology and Section: constructors, queries and validation.

Every expected number is worked out by hand in the comment next to it, from the
definitions in cable/morphology.py (soma cylinder length = diameter; path distance
measured from a soma root's midpoint, otherwise from the root's x = 0).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from neuroladder.cable.morphology import Morphology, Section
from neuroladder.core.errors import ParameterError

# -- constructors ---------------------------------------------------------------------

def test_cable_is_one_custom_section():
    m = Morphology.cable(1000.0, 1.5)
    assert len(m) == 1
    s = m.sections[0]
    assert (s.name, s.length, s.diam, s.parent, s.region) == ("cable", 1000.0, 1.5, -1, "custom")
    assert m.children(0) == ()
    assert m.roots == (0,)
    assert m.total_length() == pytest.approx(1000.0)
    # not a soma root: distance from x = 0, so x = 0.3 of 1000 um is 300 um
    assert m.path_distance(0, 0.3) == pytest.approx(300.0)
    assert m.section_index("cable") == 0
    assert Morphology.cable(10.0, 1.0, name="axon").section_index("axon") == 0


def test_ball_and_stick_defaults():
    m = Morphology.ball_and_stick()
    assert len(m) == 2
    soma, dend = m.sections
    # soma: a cylinder of length = diameter = 20 um
    assert (soma.name, soma.length, soma.diam, soma.region, soma.parent) == ("soma", 20.0, 20.0, "soma", -1)
    # its lateral area pi * d * L = pi * 20 * 20 = 400 pi equals the sphere's 4 pi r^2 = 4 pi 10^2 = 400 pi
    assert soma.area == pytest.approx(400.0 * math.pi)
    assert (dend.name, dend.length, dend.diam, dend.parent, dend.parent_x, dend.region) == \
        ("dend", 500.0, 2.0, 0, 1.0, "basal")
    assert m.children(0) == (1,)
    # 20 um soma + 500 um dendrite
    assert m.total_length() == pytest.approx(520.0)
    assert m.total_length("basal") == pytest.approx(500.0)
    assert m.total_length("soma") == pytest.approx(20.0)
    # soma root: origin at its midpoint. Soma x=0 and x=1 are 0.5 * 20 = 10 um away.
    assert m.path_distance(0, 0.5) == pytest.approx(0.0)
    assert m.path_distance(0, 0.0) == pytest.approx(10.0)
    # dendrite attached at soma x = 1 (10 um), its x = 0.5 is 10 + 250 = 260 um, its tip 10 + 500 = 510 um
    assert m.path_distance(1, 0.0) == pytest.approx(10.0)
    assert m.path_distance(1, 0.5) == pytest.approx(260.0)
    assert m.path_distance(1) == pytest.approx(510.0)
    assert m.regions() == {"soma": (0,), "basal": (1,)}


def test_ball_and_stick_several_dendrites():
    m = Morphology.ball_and_stick(soma_diam=10.0, dend_length=200.0, dend_diam=1.0, n_dendrites=3)
    assert len(m) == 4
    assert [s.name for s in m] == ["soma", "dend[0]", "dend[1]", "dend[2]"]
    assert m.children(0) == (1, 2, 3)
    assert all(m.children(i) == () for i in (1, 2, 3))
    # 10 + 3 * 200 = 610 um
    assert m.total_length() == pytest.approx(610.0)
    assert m.section_index("dend[2]") == 3
    assert m.regions() == {"soma": (0,), "basal": (1, 2, 3)}
    assert len(Morphology.ball_and_stick(n_dendrites=0)) == 1


@pytest.mark.parametrize("kwargs, field", [
    ({"soma_diam": 0.0}, "soma_diam"),
    ({"dend_length": -5.0}, "dend_length"),
    ({"dend_diam": float("nan")}, "dend_diam"),
    ({"n_dendrites": -1}, "n_dendrites"),
    ({"n_dendrites": 1.5}, "n_dendrites"),
])
def test_ball_and_stick_rejects_bad_arguments(kwargs, field):
    with pytest.raises(ParameterError, match=field):
        Morphology.ball_and_stick(**kwargs)


# -- a hand-built branched tree -------------------------------------------------------

def _y_tree() -> Morphology:
    # soma (10 um) -> trunk (100 um, at soma x = 1) -> two branches (50 and 30 um at trunk x = 1),
    # plus a side branch (20 um) hanging off the middle of the trunk (x = 0.5)
    return Morphology([
        Section("soma", 10.0, 10.0, region="soma"),
        Section("trunk", 100.0, 2.0, parent=0, parent_x=1.0, region="apical"),
        Section("left", 50.0, 1.0, parent=1, region="apical"),
        Section("right", 30.0, 1.0, parent=1, region="apical"),
        Section("side", 20.0, 0.5, parent=1, parent_x=0.5, region="basal"),
    ])


def test_branched_tree_queries():
    m = _y_tree()
    assert m.children(0) == (1,)
    assert m.children(1) == (2, 3, 4)
    assert m.children(2) == ()
    # 10 + 100 + 50 + 30 + 20 = 210 um; apical 100 + 50 + 30 = 180 um
    assert m.total_length() == pytest.approx(210.0)
    assert m.total_length("apical") == pytest.approx(180.0)
    assert m.total_length(("apical", "basal")) == pytest.approx(200.0)
    assert m.total_length("axon") == 0.0
    assert m.regions() == {"soma": (0,), "apical": (1, 2, 3), "basal": (4,)}
    # left tip: 5 (soma half) + 100 + 50 = 155 um; right at x = 0.5: 5 + 100 + 15 = 120 um
    assert m.path_distance(2, 1.0) == pytest.approx(155.0)
    assert m.path_distance(3, 0.5) == pytest.approx(120.0)
    # side branch starts at trunk x = 0.5 (5 + 50 = 55 um), its tip is 55 + 20 = 75 um
    assert m.path_distance(4, 0.0) == pytest.approx(55.0)
    assert m.path_distance(4, 1.0) == pytest.approx(75.0)
    assert m.section_index("right") == 3
    assert m[3].name == "right"
    assert [s.name for s in m] == ["soma", "trunk", "left", "right", "side"]


def test_several_roots_are_allowed_and_measured_separately():
    m = Morphology([Section("a", 10.0, 1.0), Section("b", 20.0, 1.0), Section("c", 5.0, 1.0, parent=1)])
    assert m.roots == (0, 1)
    # c hangs at the end of b (20 um, not a soma so measured from x = 0): 20 + 5 = 25 um
    assert m.path_distance(2, 1.0) == pytest.approx(25.0)


def test_morphology_is_immutable_and_comparable():
    m = _y_tree()
    assert isinstance(m.sections, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.sections[0].length = 1.0
    with pytest.raises(AttributeError):
        m.extra = 1
    assert m == _y_tree()
    assert hash(m) == hash(_y_tree())
    assert m != Morphology.cable(10.0, 1.0)
    regions = m.regions()
    regions["soma"] = ()
    assert m.regions()["soma"] == (0,)
    assert "5 sections" in repr(m)


@pytest.mark.parametrize("call, field", [
    (lambda m: m.children(5), "i"),
    (lambda m: m.children(-1), "i"),
    (lambda m: m.path_distance(9, 0.5), "i"),
    (lambda m: m.path_distance(0, 1.5), "x"),
    (lambda m: m.path_distance(0, -0.1), "x"),
    (lambda m: m.path_distance(0, "mid"), "x"),
    (lambda m: m.section_index("dend"), "no section named 'dend'"),
    (lambda m: m.total_length("dendrite"), "region"),
])
def test_query_arguments_are_checked(call, field):
    with pytest.raises(ParameterError, match=field):
        call(_y_tree())


# -- validation -----------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, field", [
    ({"length": 0.0}, "length"),
    ({"length": -3.0}, "length"),
    ({"length": float("inf")}, "length"),
    ({"length": "long"}, "length"),
    ({"length": True}, "length"),
    ({"diam": 0.0}, "diam"),
    ({"diam": float("nan")}, "diam"),
    ({"diam": [1.0, 2.0]}, "diam"),
    ({"name": ""}, "name"),
    ({"name": 3}, "name"),
    ({"parent": -2}, "parent"),
    ({"parent": 1.0}, "parent"),
    ({"parent": True}, "parent"),
    ({"parent_x": 1.5}, "parent_x"),
    ({"parent_x": -0.01}, "parent_x"),
    ({"parent_x": "end"}, "parent_x"),
    ({"region": "dendrite"}, "region"),
    ({"points": np.zeros((3, 3))}, "points"),
    ({"points": np.zeros((0, 4))}, "points"),
    ({"points": [[0.0, 0.0, 0.0, -1.0]]}, "points"),
    ({"points": [[0.0, np.nan, 0.0, 1.0]]}, "points"),
])
def test_section_rejects_bad_fields(kwargs, field):
    args = {"name": "s", "length": 10.0, "diam": 1.0} | kwargs
    with pytest.raises(ParameterError, match=field):
        Section(**args)


def test_section_normalises_and_protects_points():
    raw = np.array([[0.0, 0.0, 0.0, 2.0], [3.0, 4.0, 0.0, 1.0]])
    s = Section("s", np.float32(5.0), 1.5, parent=np.int64(0), parent_x=1, points=raw)
    assert type(s.length) is float and type(s.parent) is int and type(s.parent_x) is float
    raw[0, 0] = 99.0  # the section kept its own copy
    assert s.points[0, 0] == 0.0
    with pytest.raises(ValueError):
        s.points[0, 0] = 1.0
    # points are for drawing only: they take no part in equality
    assert s == Section("s", 5.0, 1.5, parent=0, parent_x=1.0)


@pytest.mark.parametrize("sections, match", [
    ([], "at least one"),
    (["soma"], "must be a Section"),
    ([Section("a", 1.0, 1.0, parent=0)], r"sections\[0\].*parent = 0"),
    ([Section("a", 1.0, 1.0), Section("b", 1.0, 1.0, parent=1)], r"sections\[1\].*parent = 1"),
    ([Section("a", 1.0, 1.0), Section("b", 1.0, 1.0, parent=2), Section("c", 1.0, 1.0, parent=0)],
     r"sections\[1\].*parent = 2"),
    ([Section("a", 1.0, 1.0), Section("a", 1.0, 1.0, parent=0)], "unique"),
])
def test_morphology_rejects_bad_trees(sections, match):
    with pytest.raises(ParameterError, match=match):
        Morphology(sections)
