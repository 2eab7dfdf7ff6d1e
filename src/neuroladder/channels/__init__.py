"""Ion-channel kinetics shared by point neurons and compartments.

HH, Traub-Miles and Wang-Buzsaki Na/K; the motoneuron set of Booth, Rinzel & Kiehn (1997) (:mod:`.motoneuron`
spike currents, :mod:`.calcium` L- and N-type channels with the calcium pool, :mod:`.sk`);
persistent sodium (:mod:`.persistent_na`, Butera et al. 1999); the cochlear-nucleus set of
Rothman & Manis (2003) (:mod:`.rothman_manis`: Na, KLT, KHT, Ih).
"""

from . import calcium, hh, motoneuron, persistent_na, rothman_manis, sk, traub_miles, wang_buzsaki
from ._gates import boltzmann, curve, relaxation

__all__ = ["boltzmann", "calcium", "curve", "hh", "motoneuron", "persistent_na", "relaxation", "rothman_manis", "sk",
           "traub_miles", "wang_buzsaki"]
