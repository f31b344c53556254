"""segno's choice of QR mask, made whole rows at a time.

segno (1.6.6, pinned) tries the 8 data masks of ISO/IEC 18004 one module at
a time in Python: ~4 ms of a code's ~5 ms, and 400 shops' posters make 400
codes in a cold build. ``faster_masking()`` swaps in an equivalent of
``segno.encoder.find_and_apply_best_mask`` for QR codes (Micro QR codes and
a mask asked for keep segno's own): the modules a mask flips are worked out
once per symbol size, a row is one integer (a byte per module, as segno
keeps them), and the penalty scores N1-N4 are segno's ``mask_scores``
computed with regular expressions, ``bytes.find`` and bit counts. It picks
the same mask and returns the same matrix: the tests compare it with
segno's on random matrices and payloads of every size a shop url can have.
"""

import re
from contextlib import contextmanager
from functools import lru_cache

from segno import encoder

_segno_best_mask = encoder.find_and_apply_best_mask
_RUNS = re.compile(rb"\x00{5,}|\x01{5,}")  # 5 or more equal modules in a line
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))  # dark light dark dark dark light dark


@lru_cache(maxsize=None)
def _flips(width: int) -> tuple[tuple[int, ...], ...]:
    """Per mask, per row: the modules it flips (encoding region only), as
    an integer with one byte per module, the first module the highest byte.
    The encoding region as segno works it out (finder, separators, timing,
    alignment, format and version areas and the dark module excluded)."""
    region = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(region, width, width)
    encoder.add_alignment_patterns(region, width, width)
    region[-8][8] = 0x1
    return tuple(
        tuple(int.from_bytes(bytes(region[i][j] > 0x1 and bool(mask(i, j))
                                   for j in range(width)), "big")
              for i in range(width))
        for mask in encoder.get_data_mask_functions(False))


def _n3(line: bytes) -> int:
    """segno's ``n3_pattern_occurrences``: 40 for each pattern with no dark
    module in the 4 before it or in the 4 after it (the line's end counts
    as light)."""
    count, at = 0, line.find(_N3)
    while at != -1:
        after = at + 7
        if not any(line[max(at - 4, 0):at]) or not any(line[after:after + 4]):
            count += 40
        else:
            after = at + 4
        at = line.find(_N3, after)
    return count


def penalty(rows: list[int], size: int) -> int:
    """segno's ``evaluate_mask`` of the matrix whose rows are ``rows`` (a
    byte per module, each 0 or 1)."""
    lines = [row.to_bytes(size, "big") for row in rows]
    columns = [bytes(column) for column in zip(*lines)]
    runs = _RUNS.findall(b"\x02".join(lines + columns))  # lines apart
    n1 = sum(map(len, runs)) - 2 * len(runs)  # a run of 5 + i: 3 + i
    n3 = sum(_n3(line) for line in lines + columns if _N3 in line)
    # N2: a module equal to its left, upper and upper-left neighbours.
    ones = int.from_bytes(b"\x00" + b"\x01" * (size - 1), "big")  # not the first module
    n2 = 0
    for upper, lower in zip(rows, rows[1:]):
        same = ~(upper ^ (upper >> 8)) & ~(lower ^ (lower >> 8)) & ~(upper ^ lower) & ones
        n2 += 3 * same.bit_count()
    dark = sum(row.bit_count() for row in rows)
    n4 = 10 * int(abs(float(dark) / (size ** 2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def find_and_apply_best_mask(matrix, width, height, proposed_mask=None):
    """``segno.encoder.find_and_apply_best_mask``, for QR codes."""
    if proposed_mask is not None or width != height or width < 21 \
            or any(row.translate(None, b"\x00\x01") for row in matrix):
        return _segno_best_mask(matrix, width, height, proposed_mask)
    rows = [int.from_bytes(row, "big") for row in matrix]
    best = None
    for number, flips in enumerate(_flips(width)):
        masked = [row ^ flip for row, flip in zip(rows, flips)]
        score = penalty(masked, width)
        if best is None or score < best[0]:
            best = (score, number, masked)
    _, number, masked = best
    return number, tuple(bytearray(row.to_bytes(width, "big")) for row in masked)


@contextmanager
def faster_masking():
    """segno, inside the block, chooses masks with ``find_and_apply_best_mask``."""
    encoder.find_and_apply_best_mask = find_and_apply_best_mask
    try:
        yield
    finally:
        encoder.find_and_apply_best_mask = _segno_best_mask
