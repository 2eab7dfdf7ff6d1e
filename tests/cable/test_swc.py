"""read_swc against hand-computed geometry, and every malformed-file case.

tests/data/small_neuron.swc was written by hand for these tests (see its header);
consecutive samples there are integer (Pythagorean) distances apart, so each section
length below is a sum of integers worked out in the comments. The rules being checked
are those documented in cable/swc.py: a soma child's length starts at its own first
sample; any other section's length includes the segment from its parent sample;
diameter = length-weighted mean of the segment mean diameters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from neuroladder.cable.morphology import Morphology
from neuroladder.cable.swc import read_swc
from neuroladder.core.errors import SpecError

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = DATA / "small_neuron.swc"


@pytest.fixture(scope="module")
def small() -> Morphology:
    return read_swc(SMALL)


def _write(tmp_path, text: str, name: str = "cell.swc") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


# -- the small hand-made neuron -------------------------------------------------------

def test_small_neuron_sections_per_region(small):
    # soma 1; axon 1 (unbranched); basal: trunk + 2 daughters of dendrite 1, plus dendrite 2 = 4;
    # apical: trunk + 2 tufts = 3; 9 in all
    assert len(small) == 9
    assert {r: len(ix) for r, ix in small.regions().items()} == {"soma": 1, "axon": 1, "basal": 4, "apical": 3}
    # sections in file order of their first sample (1, 4, 9, 13, 16, 19, 24, 29, 33)
    assert [s.name for s in small] == ["soma", "axon[0]", "dend[0]", "dend[1]", "dend[2]", "dend[3]",
                                       "apic[0]", "apic[1]", "apic[2]"]


def test_small_neuron_parents_and_attachment_points(small):
    # every arbor leaves the soma (section 0) from its middle; the daughters hang at the
    # distal end (x = 1) of their trunk: dend[1], dend[2] on dend[0] (2); apic[1], apic[2] on apic[0] (6)
    assert [s.parent for s in small] == [-1, 0, 0, 2, 2, 0, 0, 6, 6]
    assert [s.parent_x for s in small][1:] == [0.5, 0.5, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0]
    assert small.children(0) == (1, 2, 5, 6)
    assert small.children(2) == (3, 4)
    assert small.children(6) == (7, 8)


def test_small_neuron_three_point_soma(small):
    soma = small.sections[0]
    # three-point soma of radius 8: samples at y = -8, 0, +8 -> cylinder of length 8 + 8 = 16 um,
    # diameter 2 * 8 = 16 um (all three samples have r = 8)
    assert soma.region == "soma"
    assert soma.length == pytest.approx(16.0)
    assert soma.diam == pytest.approx(16.0)
    # for drawing, ordered along the soma: -8, centre, +8
    np.testing.assert_allclose(soma.points, [[0, -8, 0, 16], [0, 0, 0, 16], [0, 8, 0, 16]])


def test_small_neuron_section_lengths(small):
    # (segment lengths are the Pythagorean triples/quadruples of the file)
    # axon (soma child, from sample 4): 30 + 40 + 50 + 60 = 180
    # dend[0] trunk (soma child, from sample 9): 5 (3,4) + 10 (6,8) + 15 (9,12) = 30
    # dend[1] from sample 12: 13 (12,5) + 17 (15,8) + 25 (24,7) = 55
    # dend[2] from sample 12: 13 (3,4,12) + 11 (2,6,9) + 21 (4,8,19) = 45
    # dend[3] (soma child): 10 (6,8) + 13 (12,5) + 17 (8,15) + 7 (2,3,6) = 47
    # apic[0] (soma child): 20 + 30 + 40 + 50 = 140
    # apic[1] from sample 28: 13 (5,12) + 17 (8,15) + 25 (7,24) + 26 (10,24) = 81
    # apic[2] from sample 28: 10 (6,8) + 15 (9,12) + 15 (12,9) + 17 (8,15) + 26 (6,8,24) = 83
    expected = [16, 180, 30, 55, 45, 47, 140, 81, 83]
    np.testing.assert_allclose([s.length for s in small], expected, rtol=1e-12)
    # dendritic total: basal 30 + 55 + 45 + 47 = 177, apical 140 + 81 + 83 = 304, sum 481
    assert small.total_length(("basal", "apical")) == pytest.approx(481.0, rel=1e-12)
    # everything: 481 + 180 (axon) + 16 (soma) = 677
    assert small.total_length() == pytest.approx(677.0, rel=1e-12)


def test_small_neuron_dendritic_length_from_raw_rows(small):
    # Independent of the parser's section logic: sum, over the raw rows, of each dendritic
    # sample's distance to its parent sample, skipping samples whose parent is the soma
    # (the stretch inside the soma is not counted, as documented).
    rows = np.loadtxt(SMALL, comments="#")
    by_id = {int(r[0]): r for r in rows}
    total = 0.0
    for r in rows:
        parent = by_id.get(int(r[6]))
        if int(r[1]) in (3, 4) and parent is not None and int(parent[1]) != 1:
            total += float(np.linalg.norm(r[2:5] - parent[2:5]))
    assert total == pytest.approx(481.0, rel=1e-12)  # the hand sum above
    assert small.total_length(("basal", "apical")) == pytest.approx(total, rel=1e-12)


def test_small_neuron_diameters_are_length_weighted(small):
    s = small.sections
    # axon: diameters 1.6, 1.2, 1.0, 0.8, 0.8 um over segments 30, 40, 50, 60:
    # (30*1.4 + 40*1.1 + 50*0.9 + 60*0.8) / 180 = (42 + 44 + 45 + 48) / 180 = 179 / 180
    assert s[1].diam == pytest.approx(179.0 / 180.0, rel=1e-12)
    # dend[1]: joint at sample 12 with its own first diameter 1.4, then 1.4, 1.2, 1.0:
    # (13*1.4 + 17*1.3 + 25*1.1) / 55 = (18.2 + 22.1 + 27.5) / 55 = 67.8 / 55
    assert s[3].diam == pytest.approx(67.8 / 55.0, rel=1e-12)
    # dend[3]: diameters 2.0, 1.8, 1.6, 1.4, 1.2 over 10, 13, 17, 7:
    # (10*1.9 + 13*1.7 + 17*1.5 + 7*1.3) / 47 = (19 + 22.1 + 25.5 + 9.1) / 47 = 75.7 / 47
    assert s[5].diam == pytest.approx(75.7 / 47.0, rel=1e-12)


def test_small_neuron_points_and_path_distance(small):
    d1 = small.sections[3]
    # the joint point (sample 12's position, dend[1]'s first diameter) then samples 13-15
    np.testing.assert_allclose(d1.points, [[26, 24, 0, 1.4], [38, 29, 0, 1.4], [53, 37, 0, 1.2],
                                           [77, 44, 0, 1.0]])
    axon = small.sections[1]
    # a soma child starts at its own first sample (4), not at the soma centre
    np.testing.assert_allclose(axon.points[0], [0, -10, 0, 1.6])
    # from the soma centre: apic[2] tip = 140 + 83 = 223 um; dend[1] tip = 30 + 55 = 85 um
    assert small.path_distance(8, 1.0) == pytest.approx(223.0)
    assert small.path_distance(3, 1.0) == pytest.approx(85.0)


# -- other valid files ----------------------------------------------------------------

def test_one_point_soma(tmp_path):
    p = _write(tmp_path, "# one-point soma\n"
                         "1 1 0 0 0 5 -1\n"
                         "2 3 5 0 0 1 1\n"
                         "3 3 25 0 0 1 2\n"
                         "4 2 0 -7 0 0.5 1\n")
    m = read_swc(p)
    assert [s.name for s in m] == ["soma", "dend[0]", "axon[0]"]
    soma, dend, axon = m.sections
    # sphere of radius 5 -> cylinder of length = diameter = 10 um; area pi*10*10 = 4 pi 5^2
    assert (soma.length, soma.diam) == (pytest.approx(10.0), pytest.approx(10.0))
    assert soma.area == pytest.approx(4 * np.pi * 25.0)
    # dendrite from its first sample (5,0,0) to (25,0,0): 20 um, diameter 2 um, at the soma's middle
    assert (dend.length, dend.diam, dend.parent, dend.parent_x) == (pytest.approx(20.0), pytest.approx(2.0), 0, 0.5)
    # a one-sample soma child has no length of its own: measured from the soma sample, 7 um
    assert (axon.length, axon.diam, axon.parent, axon.parent_x) == (pytest.approx(7.0), pytest.approx(1.0), 0, 0.5)


def test_multi_point_soma_is_a_cylinder_chain(tmp_path):
    # a stack of soma samples along x: 0 (r 4), 6 (r 5), 14 (r 3); then a dendrite off the last one
    p = _write(tmp_path, "1 1 0 0 0 4 -1\n"
                         "2 1 6 0 0 5 1\n"
                         "3 1 14 0 0 3 2\n"
                         "4 3 20 0 0 1 3\n"
                         "5 3 30 0 0 1 4\n")
    m = read_swc(p)
    assert len(m) == 2
    soma, dend = m.sections
    # length 6 + 8 = 14 um; diameter (6 * (8+10)/2 + 8 * (10+6)/2) / 14 = (54 + 64) / 14 = 118 / 14
    assert soma.length == pytest.approx(14.0)
    assert soma.diam == pytest.approx(118.0 / 14.0)
    # dendrite 20 -> 30: 10 um, attached to the soma's middle
    assert (dend.length, dend.parent, dend.parent_x) == (pytest.approx(10.0), 0, 0.5)


def test_rootless_soma_tree_branching_at_the_root(tmp_path):
    # a dendrite piece whose root (type 3) is a branch point: 1 -> 2 -> 3 and 1 -> 4
    p = _write(tmp_path, "1 3 0 0 0 1 -1\n"
                         "2 3 3 4 0 1 1\n"
                         "3 3 6 8 0 1 2\n"
                         "4 3 0 -5 0 0.5 1\n")
    m = read_swc(p)
    assert len(m) == 2
    # section 0 starts at the bare root point: 5 + 5 = 10 um; the sibling hangs at its x = 0,
    # from the root point: 5 um
    assert m[0].length == pytest.approx(10.0)
    assert (m[1].length, m[1].parent, m[1].parent_x) == (pytest.approx(5.0), 0, 0.0)
    assert m.path_distance(1, 1.0) == pytest.approx(5.0)


def test_type_change_starts_a_section_and_comments_are_ignored(tmp_path):
    p = _write(tmp_path, "# header\n\n"
                         "1 1 0 0 0 5 -1   # soma\n"
                         "2 2 0 -5 0 1 1\n"
                         "3 2 0 -15 0 1 2 extra columns are ignored\n"
                         "4 7 0 -25 0 0.5 3\n"
                         "\n"
                         "5 7 0 -30 0 0.5 4\n")
    m = read_swc(p)
    assert [s.name for s in m] == ["soma", "axon[0]", "type7[0]"]
    assert [s.region for s in m] == ["soma", "axon", "custom"]
    # axon 2 -> 3: 10 um; custom 3 -> 4 -> 5: 10 + 5 = 15 um, attached at the axon's end
    assert m[1].length == pytest.approx(10.0)
    assert (m[2].length, m[2].parent, m[2].parent_x) == (pytest.approx(15.0), 1, 1.0)


def test_single_non_soma_sample(tmp_path):
    m = read_swc(_write(tmp_path, "1 3 0 0 0 2 -1\n"))
    # one-point rule: length = diameter = 4 um
    assert (len(m), m[0].length, m[0].diam, m[0].region) == (1, 4.0, 4.0, "basal")


# -- malformed files ------------------------------------------------------------------

# Lines 1-2 are a comment and a blank line, so line numbers differ from sample ids.
HEAD = "# test cell\n\n1 1 0 0 0 5 -1\n2 3 5 0 0 1 1\n3 3 10 0 0 1 2\n"  # lines 3-5


@pytest.mark.parametrize("extra, line, words", [
    ("4 3 0 5 0 1 -1\n", 6, "a second root (parent -1); an SWC cell must have one root"),
    ("4 3 0 5 0 1 4\n", 6, "own ancestor"),                                   # its own parent
    ("4 3 0 5 0 1 5\n5 3 0 9 0 1 4\n", 6, "own ancestor"),                  # 4 -> 5 -> 4
    ("4 3 0 5 0 1 3\n5 3 0 9 0 1 6\n6 3 1 9 0 1 5\n", 7, "own ancestor"),   # 5 -> 6 -> 5, line 7
    ("4 3 0 5 0 1 99\n", 6, "parent 99 of sample 4 never appears"),
    ("4 3 0 5 0 0 3\n", 6, "radius"),
    ("4 3 0 5 0 -0.5 3\n", 6, "radius"),
    ("4 3 0 abc 0 1 3\n", 6, "y must be a number"),
    ("4 3 nan 5 0 1 3\n", 6, "x must be finite"),
    ("4 3 0 5 0 1\n", 6, "expected 7 fields"),
    ("3 3 0 5 0 1 2\n", 6, "duplicate sample id 3 (first defined on line 5)"),
    ("4.5 3 0 5 0 1 3\n", 6, "sample id n must be an integer"),
    ("4 3.0 0 5 0 1 3\n", 6, "structure type T must be an integer"),
    ("4 3 0 5 0 1 2.0\n", 6, "parent id must be an integer"),
    ("4 3 0 5 0 1 -2\n", 6, "parent must be -1"),
    ("-4 3 0 5 0 1 3\n", 6, "sample id must be >= 0"),
    ("4 3 0 5 0 1 5\n5 3 0 9 0 1 3\n", 6, "parent 5 is defined after its child (on line 7)"),
    ("4 4 10 0 0 1 3\n", 6, "zero length"),  # new (apical) section at the same point as its parent
])
def test_malformed_file_names_the_line(tmp_path, extra, line, words):
    p = _write(tmp_path, HEAD + extra)
    with pytest.raises(SpecError) as info:
        read_swc(p)
    msg = str(info.value)
    assert f"line {line}: " in msg
    assert words in msg
    assert isinstance(info.value, ValueError)


def test_malformed_line_number_counts_comments_and_blank_lines(tmp_path):
    # the bad radius is on line 8 of the file (after comments, blanks and 3 good samples)
    p = _write(tmp_path, "# a\n# b\n\n1 1 0 0 0 5 -1\n\n2 3 5 0 0 1 1\n3 3 6 0 0 1 2\n4 3 7 0 0 0 3\n")
    with pytest.raises(SpecError, match="line 8: radius"):
        read_swc(p)


def test_file_without_samples(tmp_path):
    with pytest.raises(SpecError, match="no samples"):
        read_swc(_write(tmp_path, "# only a comment\n\n"))
