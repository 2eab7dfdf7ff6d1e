"""Block layout: units laid into blocks of (n_blocks, rows, block) arrays for the kernels.

The kernels (:mod:`neuroladder.core._kernels`) loop over one block at a time: a
C-contiguous (rows, block) slab whose rows run over units, so the equations loop is
unit-stride and vectorises. Every caller that hands a population to the kernels
(``nl.simulate``, the network engine, brain networks) lays it out with these helpers.
"""

from __future__ import annotations

import numpy as np

from ._kernels import BLOCK  # units per block: small enough for a block's scratch arrays to stay in L1

#: Smallest block worth splitting off for another thread.
MIN_THREAD_BLOCK = 256


def block_layout(n: int, min_blocks: int = 1) -> tuple[int, int]:
    """(n_blocks, block): blocks of at most :data:`BLOCK` units, as even as possible. With
    ``min_blocks`` > 1 (threads), a multiple of ``min_blocks`` blocks, so that each thread gets the
    same number (:func:`thread_parts`), unless that would make blocks below 256 units."""
    fewest = -(-n // BLOCK)
    n_blocks = min(-(-fewest // min_blocks) * min_blocks, max(1, n // MIN_THREAD_BLOCK))
    n_blocks = max(n_blocks, fewest)
    return n_blocks, -(-n // n_blocks)


def thread_parts(n_blocks: int, n_parts: int) -> np.ndarray:
    """(n_parts + 1,) first block of each part: ``n_blocks`` blocks shared into ``n_parts`` contiguous
    parts, one per thread, as evenly as possible (parts may be empty when there are fewer blocks)."""
    return np.arange(n_parts + 1, dtype=np.int64) * n_blocks // n_parts


def to_blocks(matrix: np.ndarray, n_blocks: int, block: int) -> np.ndarray:
    """(rows, n) -> (n_blocks, rows, block), padding the last block with copies of the last unit."""
    rows, n = matrix.shape
    padded = np.empty((rows, n_blocks * block))
    padded[:, :n] = matrix
    padded[:, n:] = matrix[:, -1:]
    return np.ascontiguousarray(padded.reshape(rows, n_blocks, block).transpose(1, 0, 2))


def from_blocks(blocks: np.ndarray, n: int) -> np.ndarray:
    """(n_blocks, rows, block) -> (rows, n): the real units, padding dropped."""
    n_blocks, rows, block = blocks.shape
    return blocks.transpose(1, 0, 2).reshape(rows, n_blocks * block)[:, :n]
