"""Calcium-activated potassium (SK) current, the afterhyperpolarisation of spinal motoneurons.

``I = g_KCa [Ca] / ([Ca] + K_d) (v - e_k)`` with K_d = 0.2 uM: the conductance is half-activated at
0.2 uM calcium. Source: Booth, Rinzel & Kiehn, J. Neurophysiol. 78:3371-3385 (1997), Table 1. The
calcium comes from the pool in :mod:`neuroladder.channels.calcium`.
"""

from __future__ import annotations

from numba import njit

#: Half-activation calcium concentration (uM), BRK (1997)
K_D = 0.2


@njit(cache=True, inline="always", error_model="numpy")
def activation(ca):
    """Open fraction of SK channels at calcium concentration ``ca`` (uM)."""
    return ca / (ca + K_D)
