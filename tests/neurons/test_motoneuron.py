"""The two-compartment motoneuron (Booth, Rinzel & Kiehn 1997): plateau potentials and ramp hysteresis.

Expected behaviour from the literature, not from this code: with a strong dendritic L-type PIC a brief
depolarising pulse starts self-sustained firing that a brief hyperpolarising pulse ends (bistability,
Hounsgaard & Kiehn 1989; BRK 1997 Figs. 6-7); on a triangular ramp such a cell is derecruited at a
lower current than it was recruited (Bennett et al. 2001), and a lower-threshold control unit fires
faster at the test unit's recruitment than at its derecruitment (delta-F > 0, Gorassini et al. 2002).
Without a PIC there is no plateau, and adaptation alone derecruits the cell at or above its
recruitment current with delta-F <= 0 (Gorassini et al. 2002: delta-F measures PICs only).
"""

from __future__ import annotations

import pytest

from neuroladder import ParameterError
from neuroladder.circuits.spinal import plateau_protocol, ramp_protocol
from neuroladder.neurons import Motoneuron


def _cell(gain):
    # dendritic share of the input and a hyperpolarising dendritic bias as in the reflex loop
    return Motoneuron(pic_gain=gain, dend_fraction=0.6, i_dend=-4.0)


def test_plateau_starts_with_a_pulse_and_stops_with_inhibition():
    with_pic = plateau_protocol(_cell(1.75))
    assert with_pic.sustained_s > 1.0          # fires through the whole 1.3 s gap after the pulse
    assert with_pic.after_inhibition_s == 0.0  # and the inhibitory pulse ends it
    without = plateau_protocol(_cell(1.0))
    assert without.sustained_s < 0.1


def test_ramp_hysteresis_and_delta_f():
    pic = ramp_protocol(_cell(1.75), duration=6000.0)
    assert pic.derecruit_current < pic.recruit_current - 2.0
    assert pic.delta_f > 2.0
    none = ramp_protocol(_cell(0.0), duration=6000.0)
    assert none.delta_f < 1.0  # spike-frequency adaptation alone makes delta-F zero or negative
    assert none.derecruit_current > none.recruit_current - 1.0


def test_bad_parameters_are_named():
    with pytest.raises(ParameterError, match="pic_gain"):
        Motoneuron(pic_gain=-1.0)
    with pytest.raises(ParameterError, match="dend_fraction"):
        Motoneuron(dend_fraction=1.0)


def test_persistent_sodium_lowers_the_recruitment_current():
    # NaP is an inward current that activates below spike threshold (half-activation -40 mV, Butera 1999),
    # so adding it (and raising the PIC gain that scales it) recruits the cell at a lower current
    # (Lee & Heckman 1998; Li & Bennett 2003). Recruitment currents: a ramp that rises 6.7 uA/cm^2 per s.
    base = ramp_protocol(Motoneuron(g_nap=0.0, dend_fraction=0.6, i_dend=-4.0), duration=6000.0)
    nap = ramp_protocol(Motoneuron(g_nap=0.3, dend_fraction=0.6, i_dend=-4.0), duration=6000.0)
    assert nap.recruit_current < base.recruit_current - 1.0
