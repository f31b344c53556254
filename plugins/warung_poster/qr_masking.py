"""segno's choice of QR mask, made whole rows at a time.

segno (1.6.6, pinned) tries the 8 data masks of ISO/IEC 18004 one module at
a time in Python: about two thirds of the ~4 ms a shop url's code takes, and
400 shops' posters make 400 codes in a cold build. ``faster_masking()``
swaps in an equivalent of ``segno.encoder.find_and_apply_best_mask`` for QR
codes (Micro QR codes and a mask asked for keep segno's own): the modules a
mask flips are worked out once per symbol size, a row or column is one
integer (a byte per module, as segno keeps them), and the penalty scores
N1-N4 are segno's ``mask_scores`` computed with bit operations and
``bytes.find``; a code then takes ~1.4 ms. It picks the same mask and
returns the same matrix: the tests compare it with segno's on random
matrices and payloads of every size a shop url can have.
"""

from contextlib import contextmanager
from functools import lru_cache

from segno import encoder

_segno_best_mask = encoder.find_and_apply_best_mask
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))  # dark light dark dark dark light dark


def _transposed(rows: list[int], size: int) -> list[int]:
    """The columns of the matrix whose rows are ``rows``, as rows."""
    lines = [row.to_bytes(size, "big") for row in rows]
    return [int.from_bytes(bytes(column), "big") for column in zip(*lines)]


@lru_cache(maxsize=None)
def _flips(width: int) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """Per mask: the modules it flips (encoding region only) in each row and
    in each column, as integers with one byte per module, the first module
    the highest byte. The encoding region as segno works it out (finder,
    separators, timing, alignment, format and version areas and the dark
    module excluded)."""
    region = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(region, width, width)
    encoder.add_alignment_patterns(region, width, width)
    region[-8][8] = 0x1
    flips = []
    for mask in encoder.get_data_mask_functions(False):
        rows = [int.from_bytes(bytes(region[i][j] > 0x1 and bool(mask(i, j))
                                     for j in range(width)), "big") for i in range(width)]
        flips.append((tuple(rows), tuple(_transposed(rows, width))))
    return tuple(flips)


@lru_cache(maxsize=None)
def _lanes(size: int) -> int:
    """A 1 in each module's byte but the first."""
    return int.from_bytes(b"\x00" + b"\x01" * (size - 1), "big")


def _n1(lines: list[int], ones: int) -> int:
    """segno's N1 of these lines: 3 + i for each run of 5 + i equal modules.
    A run of L >= 5 ends 4 equal neighbours at L - 4 modules and starts once."""
    score = 0
    for line in lines:
        same = ~(line ^ (line >> 8)) & ones  # equal to the module before
        five = same & (same >> 8) & (same >> 16) & (same >> 24)
        score += five.bit_count() + 2 * (five & ~(five >> 8)).bit_count()
    return score


def _n3(lines: list[int], size: int) -> int:
    """segno's ``n3_pattern_occurrences`` over these lines: 40 for each
    pattern with no dark module in the 4 before it or in the 4 after it in
    its line (beyond the line's ends counts as light), searched on after it
    when it counts, else from its fifth module."""
    joined = b"\x02".join(line.to_bytes(size, "big") for line in lines)  # lines apart
    count, at, step = 0, joined.find(_N3), size + 1
    while at != -1:
        start = at - at % step
        after = at + 7
        if not any(joined[max(at - 4, start):at]) \
                or not any(joined[after:min(after + 4, start + size)]):
            count += 40
        else:
            after = at + 4
        at = joined.find(_N3, after)
    return count


def penalty(rows: list[int], size: int, columns: list[int] | None = None) -> int:
    """segno's ``evaluate_mask`` of the matrix whose rows are ``rows`` (a
    byte per module, each 0 or 1; ``columns``: its columns likewise)."""
    if columns is None:
        columns = _transposed(rows, size)
    ones = _lanes(size)
    n1 = _n1(rows, ones) + _n1(columns, ones)
    n3 = _n3(rows + columns, size)
    # N2: a module equal to its left, upper and upper-left neighbours.
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
    columns = _transposed(rows, width)
    best = None
    for number, (row_flips, column_flips) in enumerate(_flips(width)):
        masked = [row ^ flip for row, flip in zip(rows, row_flips)]
        score = penalty(masked, width,
                        [column ^ flip for column, flip in zip(columns, column_flips)])
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
