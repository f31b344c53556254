"""segno's choice of QR mask, made on the whole matrix at once.

segno (1.6.6, pinned) tries the 8 data masks of ISO/IEC 18004 one module at
a time in Python: about two thirds of the ~4 ms a shop url's code takes, and
400 shops' posters make 400 codes in a cold build. ``find_and_apply_best_mask``
is an equivalent of segno's for QR codes (Micro QR codes and a mask asked
for keep segno's own), swapped in by ``segno_speedups.faster_segno()``.

The matrix is one integer: its rows, a byte per module (as segno keeps
them), each row followed by a separator byte, 2; its columns likewise. The
modules a mask flips are worked out once per symbol size, in the same
layout, so masking is one ``^``, and the penalty scores N1-N4 (segno's
``mask_scores``) are a few bit operations on the whole integer and a
``bytes.find`` for N3: a code then takes about a millisecond less than
with a row at a time. It picks the same mask and returns the same matrix:
the tests compare it with segno's on random matrices and on payloads of
every size a shop url can have.
"""

from functools import lru_cache
from typing import NamedTuple

from segno import encoder

_segno_best_mask = encoder.find_and_apply_best_mask
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))  # dark light dark dark dark light dark
_SEPARATOR = b"\x02"  # after each line: never a module, so no pattern spans two lines


def _joined(lines, separator: bytes = _SEPARATOR) -> int:
    """Lines of modules (bytes of 0 and 1), each followed by ``separator``, as one integer."""
    return int.from_bytes(b"".join(bytes(line) + separator for line in lines), "big")


class _Layout(NamedTuple):
    """Per symbol size: masks over the joined lines, and each data mask's flips."""

    after_first: int  # a 1 in each module's byte but a line's first
    below_first: int  # the same, without the first line
    flips: tuple  # per data mask: (rows, columns) it flips, joined


def function_patterns(size: int) -> tuple:
    """A QR code's matrix as segno's encoder has it before the codewords:
    finder, separators, timing and alignment patterns, format and version
    areas reserved, every other module free (0x2)."""
    matrix = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(matrix, size, size)
    encoder.add_alignment_patterns(matrix, size, size)
    return matrix


@lru_cache(maxsize=None)
def _layout(size: int) -> _Layout:
    """The encoding region as segno works it out (finder, separators, timing,
    alignment, format and version areas and the dark module excluded)."""
    region = function_patterns(size)
    region[-8][8] = 0x1
    flips = []
    for mask in encoder.get_data_mask_functions(False):
        rows = [bytes(region[i][j] > 0x1 and bool(mask(i, j)) for j in range(size))
                for i in range(size)]
        # 0 in place of the separators: masking keeps them.
        flips.append((_joined(rows, b"\x00"), _joined(zip(*rows), b"\x00")))
    line = b"\x00" + b"\x01" * (size - 1)
    return _Layout(_joined([line] * size, b"\x00"),
                   _joined([bytes(size)] + [line] * (size - 1), b"\x00"), tuple(flips))


def _n1(joined: int, after_first: int) -> int:
    """segno's N1 of the joined lines: 3 + i for each run of 5 + i equal
    modules in a line. A run of L >= 5 ends 4 equal neighbours at L - 4
    modules and starts once; a line's first module (and its separator) has
    no equal neighbour before it, so no run spans two lines."""
    same = ~(joined ^ (joined >> 8)) & after_first  # equal to the module before
    five = same & (same >> 8) & (same >> 16) & (same >> 24)
    return five.bit_count() + 2 * (five & ~(five >> 8)).bit_count()


def _n3(joined: bytes, size: int) -> int:
    """segno's ``n3_pattern_occurrences`` over the joined lines: 40 for each
    pattern with no dark module in the 4 before it or in the 4 after it in
    its line (beyond the line's ends counts as light), searched on after it
    when it counts, else from its fifth module."""
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


def penalty(rows: int, columns: int, size: int) -> int:
    """segno's ``evaluate_mask`` of the matrix whose rows and columns are
    ``rows`` and ``columns`` (joined: ``_joined``)."""
    layout = _layout(size)
    n1 = _n1(rows, layout.after_first) + _n1(columns, layout.after_first)
    length = size * (size + 1)
    n3 = _n3(rows.to_bytes(length, "big") + columns.to_bytes(length, "big"), size)
    # N2: a module equal to its left, upper and upper-left neighbours.
    upper = rows >> (8 * (size + 1))  # each line's place holds the line above it
    same = ~(upper ^ (upper >> 8)) & ~(rows ^ (rows >> 8)) & ~(upper ^ rows) \
        & layout.below_first
    n2 = 3 * same.bit_count()
    dark = rows.bit_count() - size  # a separator's one bit each
    n4 = 10 * int(abs(float(dark) / (size ** 2) * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def find_and_apply_best_mask(matrix, width, height, proposed_mask=None):
    """``segno.encoder.find_and_apply_best_mask``, for QR codes."""
    if proposed_mask is not None or width != height or width < 21 \
            or any(row.translate(None, b"\x00\x01") for row in matrix):
        return _segno_best_mask(matrix, width, height, proposed_mask)
    rows, columns = _joined(matrix), _joined(zip(*matrix))
    best = None
    for number, (row_flips, column_flips) in enumerate(_layout(width).flips):
        masked = rows ^ row_flips
        score = penalty(masked, columns ^ column_flips, width)
        if best is None or score < best[0]:
            best = (score, number, masked)
    _, number, masked = best
    joined, step = masked.to_bytes(width * (width + 1), "big"), width + 1
    return number, tuple(bytearray(joined[at:at + width]) for at in range(0, len(joined), step))
