"""segno, faster where the posters' QR codes spend their time, with the
same codes.

segno (1.6.6, pinned) is pure Python and works a bit or a module at a
time; a shop url's code and its SVG took about 4.4 ms, and a cold build
makes one per shop (400 at 10,000 products). Inside ``faster_segno()``,
some of its functions are replaced by equivalents (QR codes only; Micro QR
codes keep segno's own):

- the mask choice (``qr_masking.py``: 1.8 -> 0.9 ms a code);
- ``add_codewords``: the modules each bit goes to follow one walk per symbol
  size (ISO/IEC 18004 7.7.3), worked out once per size rather than by
  testing every module of every code (0.43 -> 0.07 ms);
- ``make_final_message`` and ``Buffer.toints``: codewords to bits and bits
  to codewords by table and ``int``, not a generator per codeword (0.25 ->
  0.07 ms), and the error correction codewords by a table per block size
  (``make_blocks``).

``svg_inline(code, title)`` is the posters' call of segno's ``svg_inline``,
without a ``str.format`` per run of dark modules (0.75 -> 0.21 ms).

The tests compare the codes (mask, matrix and SVG) with segno's own on
random payloads and in every version.
"""

from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, islice, zip_longest
from xml.sax.saxutils import escape  # as segno's SVG writer

from segno import consts, encoder

from .qr_masking import find_and_apply_best_mask, function_patterns



def _installed() -> tuple:
    """The segno functions this module has equivalents of, as segno has them now."""
    return (encoder.find_and_apply_best_mask, encoder.add_codewords,
            encoder.make_final_message, encoder.Buffer.toints)


def _install(functions: tuple) -> None:
    (encoder.find_and_apply_best_mask, encoder.add_codewords,
     encoder.make_final_message, encoder.Buffer.toints) = functions


_segno = _installed()  # segno's own
# A codeword's 8 bits, most significant first, as segno's Buffer holds them.
_BITS = tuple(bytes((value >> shift) & 1 for shift in range(7, -1, -1)) for value in range(256))
_DIGITS = bytes.maketrans(b"\0\1", b"01")
# ISO/IEC 18004 7.6: remainder bits after the final message, by version.
_REMAINDER = {**dict.fromkeys(range(2, 7), 7), **dict.fromkeys(range(21, 28), 4),
              **dict.fromkeys([*range(14, 21), *range(28, 35)], 3)}


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
    for (i, j), bit in zip(walk, codewords.getbits()):
        matrix[i][j] = bit
    return None


@lru_cache(maxsize=None)
def _error_rows(count: int) -> tuple[int, ...]:
    """For each codeword value, what dividing by the generator polynomial of
    ``count`` error correction codewords adds to the remainder, as one
    ``count``-byte number (segno's own tables)."""
    gen, log, exp = consts.GEN_POLY[count], consts.GALIOS_LOG, consts.GALIOS_EXP
    return (0, *(int.from_bytes(bytes(exp[log[value] + g] for g in gen), "big")
                 for value in range(1, 256)))


def make_blocks(ec_infos, buff):
    """``segno.encoder.make_blocks``: the data blocks and their Reed-Solomon
    error correction blocks, the remainder kept as one number and each data
    codeword a shift, a table lookup and an XOR (segno updates every error
    codeword for every data codeword)."""
    codewords = buff.toints()
    data_blocks, error_blocks = [], []
    for ec_info in ec_infos:
        count = ec_info.num_total - ec_info.num_data
        rows, top, mask = _error_rows(count), 8 * (count - 1), (1 << 8 * count) - 1
        for _ in range(ec_info.num_blocks):
            block = bytearray(islice(codewords, ec_info.num_data))
            remainder = 0
            for word in block:
                remainder = ((remainder << 8) & mask) ^ rows[word ^ (remainder >> top)]
            data_blocks.append(block)
            error_blocks.append(bytearray(remainder.to_bytes(count, "big")))
    return data_blocks, error_blocks


def make_final_message(version, error, buff):
    """``segno.encoder.make_final_message``, for QR codes: data codewords,
    then error correction codewords, each interleaved across the blocks,
    then the remainder bits."""
    if version < 1:
        return _segno[2](version, error, buff)
    data_blocks, error_blocks = make_blocks(consts.ECC[version][error], buff)
    interleaved = (word for word in chain.from_iterable(
        chain(zip_longest(*data_blocks), zip_longest(*error_blocks))) if word is not None)
    return encoder.Buffer(b"".join(map(_BITS.__getitem__, interleaved))
                          + bytes(_REMAINDER.get(version, 0)))


def toints(buffer):
    """``segno.encoder.Buffer.toints``: the bits as 8-bit codewords (the last
    one padded with zeros), read as one binary number."""
    bits = buffer.getbits()
    length = -(-len(bits) // 8)
    digits = (bits + bytes(length * 8 - len(bits))).translate(_DIGITS)
    return iter(int(digits, 2).to_bytes(length, "big") if length else b"")


def svg_inline(code, title: str) -> str:
    """``code.svg_inline(scale=1, border=4, dark="#000", omitsize=True,
    svgclass="qr", title=title)`` of a QR code: one path of horizontal
    runs, each relative to where the last one ended."""
    border, size = 4, len(code.matrix) + 8
    runs, end, down = [], 0, border + .5  # a float until the first run, as segno's
    for row in code.matrix:
        x = border
        for dark in row.split(b"\0"):
            if dark:
                runs.append(f"m{x - end} {down}h{len(dark)}")
                end = x = x + len(dark)
                down = 0
            x += 1
        down += 1
    return (f'<svg viewBox="0 0 {size} {size}" class="qr"><title>{escape(title)}</title>'
            f'<path class="qrline" stroke="#000" d="M{"".join(runs)[1:]}"/></svg>')


@contextmanager
def faster_segno():
    """segno, inside the block, with the faster equivalents above; what was
    in place before comes back after it (a nested block leaves them on)."""
    before = _installed()
    _install((find_and_apply_best_mask, add_codewords, make_final_message, toints))
    try:
        yield
    finally:
        _install(before)
