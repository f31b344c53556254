"""The posters' faster segno: its mask choice, codeword placement, final
message and SVG give segno's own codes and SVG."""

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from segno import encoder

from warung_poster import qr_masking, segno_speedups

SIZES = st.sampled_from(range(21, 78, 4))  # QR versions 1 to 15


def penalty(matrix) -> int:
    """qr_masking's penalty of a matrix of 0 and 1 modules."""
    return qr_masking.penalty(qr_masking._joined(matrix), qr_masking._joined(zip(*matrix)),
                              len(matrix))


@settings(max_examples=300, deadline=None)
@given(st.data(), SIZES)
def test_the_penalty_is_segno_s_score(data, size):
    bits = data.draw(st.lists(st.lists(st.integers(0, 1), min_size=size, max_size=size),
                              min_size=size, max_size=size))
    matrix = tuple(bytearray(row) for row in bits)
    assert penalty(matrix) == encoder.evaluate_mask(matrix, size, size)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(min_size=1, max_size=300),
                 st.from_regex(r"https?://[a-z0-9.]{1,40}(:[0-9]{2,5})?/toko/[a-z0-9-]{1,60}/",
                               fullmatch=True)),
       st.sampled_from("lmqh"))
def test_codes_are_segno_s(payload, error):
    expected = segno.make_qr(payload, error=error)
    svg = {"scale": 1, "border": 4, "dark": "#000", "omitsize": True, "svgclass": "qr",
           "title": payload}
    with segno_speedups.faster_segno():
        made = segno.make_qr(payload, error=error)
    assert (made.mask, made.matrix) == (expected.mask, expected.matrix)
    assert segno_speedups.svg_inline(made, title=payload) == expected.svg_inline(**svg)


def test_micro_codes_and_chosen_masks_are_left_to_segno():
    with segno_speedups.faster_segno():
        micro = segno.make_micro("12345")
        chosen = segno.make_qr("https://contoh.id/toko/a/", mask=5)
    assert micro.matrix == segno.make_micro("12345").matrix
    assert chosen.mask == 5
    assert chosen.matrix == segno.make_qr("https://contoh.id/toko/a/", mask=5).matrix


def test_segno_gets_its_own_functions_back_after_an_error():
    with pytest.raises(ValueError), segno_speedups.faster_segno():
        raise ValueError
    assert (encoder.find_and_apply_best_mask, encoder.add_codewords,
            encoder.make_final_message, encoder.Buffer.toints) == segno_speedups._segno


def test_a_nested_block_leaves_the_outer_one_fast():
    with segno_speedups.faster_segno():
        with segno_speedups.faster_segno():
            pass
        assert encoder.make_final_message is segno_speedups.make_final_message
    assert encoder.make_final_message is segno_speedups._segno[2]


@pytest.mark.parametrize("size", [21, 25])
def test_finder_like_patterns_at_a_line_s_ends_score_as_segno_s(size):
    pattern = [1, 0, 1, 1, 1, 0, 1]
    for at in (0, 1, 3, 4, size - 11, size - 8, size - 7):
        for fill in (0, 1):
            line = [fill] * size
            line[at:at + 7] = pattern
            rows = [[(i * j + i) % 3 % 2 for j in range(size)] for i in range(size)]
            rows[5] = line
            for matrix in (rows, [list(column) for column in zip(*rows)]):
                matrix = tuple(bytearray(row) for row in matrix)
                assert penalty(matrix) == encoder.evaluate_mask(matrix, size, size)


@pytest.mark.parametrize("before", [[0, 0, 0, 0], [1, 0, 0, 0]])
@pytest.mark.parametrize("after", [[0, 0, 0, 0], [0, 1, 0, 0]])
def test_overlapping_finder_like_patterns_score_as_segno_s(before, after):
    """Two patterns sharing three modules: segno searches on after one that
    counts, so it never sees the second."""
    size = 21
    line = ([1] * 3 + before + [1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1] + after)[:size]
    rows = [[(i + j) % 2 for j in range(size)] for i in range(size)]
    rows[10] = line
    matrix = tuple(bytearray(row) for row in rows)
    assert penalty(matrix) == encoder.evaluate_mask(matrix, size, size)


@pytest.mark.parametrize("size", [21, 25, 57])
@pytest.mark.parametrize("module", [
    lambda i, j: 0, lambda i, j: 1, lambda i, j: i % 2, lambda i, j: j % 2,
    lambda i, j: (i // 2 + j // 3) % 2, lambda i, j: int(j >= i),
    lambda i, j: int(j < 3 or j > 17),  # runs at both ends of every line, one line to the next
])
def test_runs_and_blocks_never_span_two_lines(size, module):
    matrix = tuple(bytearray(module(i, j) for j in range(size)) for i in range(size))
    assert penalty(matrix) == encoder.evaluate_mask(matrix, size, size)


@pytest.mark.parametrize("version", range(1, 41))
@pytest.mark.parametrize("error", "lh")
def test_codewords_go_where_segno_puts_them_in_every_version(version, error):
    """Every version's blocks, interleaving and remainder bits, and its walk."""
    payload = "a.id/"
    with segno_speedups.faster_segno():
        made = segno.make_qr(payload, version=version, error=error, mask=0, boost_error=False)
    expected = segno.make_qr(payload, version=version, error=error, mask=0, boost_error=False)
    assert made.matrix == expected.matrix
    assert segno_speedups.svg_inline(made, title="<&>") == expected.svg_inline(
        scale=1, border=4, dark="#000", omitsize=True, svgclass="qr", title="<&>")


@given(st.lists(st.integers(0, 1), max_size=100))
def test_bits_read_as_codewords_as_segno_reads_them(bits):
    buffer = encoder.Buffer(bits)
    assert list(segno_speedups.toints(buffer)) == list(segno_speedups._segno[3](buffer))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.sampled_from("LMQH"), st.randoms(use_true_random=False))
def test_error_correction_blocks_are_segno_s(version, error, random):
    """Reed-Solomon blocks of random codewords, in every version and level."""
    ec_infos = encoder.consts.ECC[version][encoder.consts.ERROR_MAPPING[error]]
    length = sum(info.num_blocks * info.num_data for info in ec_infos)
    codewords = [random.randrange(256) for _ in range(length)]
    buffer = encoder.Buffer(b"".join(bytes((c >> s) & 1 for s in range(7, -1, -1))
                                     for c in codewords))
    assert segno_speedups.make_blocks(ec_infos, buffer) == encoder.make_blocks(ec_infos, buffer)
