"""segno, faster where the posters' QR codes spend their time, with the
same codes.

segno (1.6.6, pinned) is pure Python and works a module at a time; a shop
url's code and its SVG took about 4.4 ms, and a cold build makes one per
shop (400 at 10,000 products). Inside ``faster_segno()``, two of its
functions are replaced by equivalents (QR codes only; Micro QR codes keep
segno's own):

- the mask choice (``qr_masking.py``: 1.8 -> 0.9 ms a code);
- ``add_codewords``: the modules each bit goes to follow one walk per symbol
  size (ISO/IEC 18004 7.7.3), worked out once per size rather than by
  testing every module of every code (0.43 -> 0.07 ms).

The tests compare the codes (mask, matrix and SVG) with segno's own on
random payloads and in every version.
"""

from contextlib import contextmanager
from functools import lru_cache

from segno import encoder

from .qr_masking import find_and_apply_best_mask, function_patterns

_segno = (encoder.find_and_apply_best_mask, encoder.add_codewords)


@lru_cache(maxsize=None)
def _walk(size: int) -> tuple[tuple[int, int], ...]:
    """(row, column) of the free modules of a QR code of this size, in the
    order segno's ``add_codewords`` fills them."""
    matrix = function_patterns(size)
    walk = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for z in range(2):
                j = right - z
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = (size - 1 - vertical) if upwards else vertical
                if matrix[i][j] == 0x2:
                    walk.append((i, j))
    return tuple(walk)


def add_codewords(matrix, codewords, version):
    """``segno.encoder.add_codewords``, for QR codes."""
    if version < 1:
        return _segno[1](matrix, codewords, version)
    walk = _walk(len(matrix))
    if len(codewords) > len(walk):  # pragma: no cover - as segno's check
        raise ValueError('Internal error: Adding codewords to matrix failed. '
                         f'Added {len(walk)} of {len(codewords)} codewords')
    for (i, j), bit in zip(walk, codewords):
        matrix[i][j] = bit
    return None


@contextmanager
def faster_segno():
    """segno, inside the block, with the faster equivalents above."""
    encoder.find_and_apply_best_mask = find_and_apply_best_mask
    encoder.add_codewords = add_codewords
    try:
        yield
    finally:
        encoder.find_and_apply_best_mask, encoder.add_codewords = _segno
