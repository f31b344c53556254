"""Reading one seller file: metadata with line numbers, safe Markdown, summary."""

from hypothesis import given, settings
from hypothesis import strategies as st

from warung_catalog import markdown_safe, reader


def test_metadata_keys_are_case_insensitive_and_keep_line_and_spelling():
    doc = reader.parse(b"Title: Kopi\nPRICE: 45.000\ncategory: Minuman\n\nEnak *sekali*.\n")
    assert doc.values() == {"title": "Kopi", "price": "45.000", "category": "Minuman"}
    assert (doc.meta["price"].key, doc.meta["price"].line) == ("PRICE", 2)
    assert doc.html == "<p>Enak <em>sekali</em>.</p>"
    assert doc.issues == []


def test_indented_lines_continue_the_previous_value_and_bom_and_crlf_are_fine():
    doc = reader.parse("\ufeffTitle: Kopi\r\nTags: kopi,\r\n    arabika\r\n\r\nBody".encode())
    assert doc.values()["tags"] == "kopi, arabika"
    assert doc.html == "<p>Body</p>"


def test_empty_file_and_blank_file_are_errors():
    for raw in (b"", b"\n \n"):
        doc = reader.parse(raw)
        assert [i.message for i in doc.issues] == [
            "File kosong. Isi dengan data seperti 'Title: ...' di baris pertama, "
            "lalu satu baris kosong, lalu keterangan."]


def test_not_utf8_is_an_error():
    doc = reader.parse("Title: Kopi Ñ\n".encode("utf-16"))
    assert "UTF-8" in doc.issues[0].message


def test_file_without_metadata_is_an_error_on_line_1():
    doc = reader.parse(b"Ini hanya keterangan tanpa data.\n")
    messages = [(i.line, i.message) for i in doc.issues]
    assert messages[0][0] == 1
    assert "tidak berbentuk 'Kunci: nilai'" in messages[0][1]
    assert any("Tidak ada data" in m for _, m in messages)


def test_a_line_that_is_not_key_value_names_its_line():
    doc = reader.parse(b"Title: Kopi\nPrice 45000\n\nBody\n")
    assert [(i.line, i.severity) for i in doc.issues] == [(2, "error")]
    assert "Price 45000" in doc.issues[0].message


def test_a_key_written_twice_is_a_warning_and_the_last_wins():
    doc = reader.parse(b"Title: A\nPrice: 1000\nPrice: 2000\n\nx")
    assert doc.values()["price"] == "2000"
    assert [(i.line, i.key, i.severity) for i in doc.issues] == [(3, "Price", "warning")]


def test_raw_html_is_shown_as_text_and_script_links_are_dropped():
    doc = reader.parse(b"Title: A\n\n<script>alert(1)</script> [klik](javascript:alert(1)) "
                       b"[web](https://contoh.id) ![x](http://x/y.png)\n")
    assert "<script>" not in doc.html
    assert "&lt;script&gt;" in doc.html
    assert "javascript:" not in doc.html
    assert 'href="https://contoh.id"' in doc.html
    assert "<img" not in doc.html


def test_summary_is_plain_text_of_at_most_160_characters():
    body = " ".join(["**Kopi** arabika & robusta dari Wanayasa."] * 20)
    doc = reader.parse(f"Title: A\n\n{body}\n".encode())
    assert len(doc.summary) <= 160
    assert doc.summary.endswith("…")
    assert "<" not in doc.summary and "**" not in doc.summary
    assert doc.summary.startswith("Kopi arabika & robusta")


def test_document_round_trips_through_the_cache_format():
    doc = reader.parse(b"Title: Kopi\nPrice: x\n\nBody")
    assert reader.Document.from_json(doc.to_json()) == doc


# Plain paragraphs skip Markdown: the shortcut must give Markdown's own bytes.
_WORDS = ["Kopi", "gula aren", "é", "Ñam"]
_PLAIN = _WORDS + [" ", ".", ",", "15.00", "Rp25.000", "'", '"', "(", ")", "%", "/", "+", "-",
                   "=", "@", ":", "\u00a0", "1. ", "- ", " **laris**", " **gula aren**", "**é**",
                   " **15.00**", "**Kopi", "laris**"]
_SPECIAL = ["  ", "* ", "**", "_", "`", "[a](b)", "<b>", "&", "&amp;", "\\", "#", "> ", "    ",
            "\t", "http://a.id", "\x0b", "\u2028", "===", "~", "\n- ", "\n1. ", "\n    ",
            "** a**", "**a **", "***", "*", " *a*", "**"]
_LINE = st.builds(lambda first, rest: first + "".join(rest),
                  st.sampled_from(_WORDS + ["- " + word for word in _WORDS] + ["-  ", "- - "]
                                  + _SPECIAL),
                  st.lists(st.sampled_from(_PLAIN * 4 + _SPECIAL), max_size=8))
_TEXT = st.builds(lambda lines, breaks: "".join(line + brk for line, brk in zip(lines, breaks)),
                  st.lists(_LINE, max_size=6),
                  st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n", " \n", ""]),
                           min_size=6, max_size=6))


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_the_plain_paragraph_shortcut_gives_what_markdown_gives(text):
    shortcut = reader._plain_paragraphs(text)
    if shortcut is not None:
        assert shortcut == markdown_safe.render(text)


_BOLD_LINE = st.builds(
    lambda first, rest: first + "".join(rest),
    st.sampled_from(_WORDS + ["- " + word for word in _WORDS]),
    st.lists(st.sampled_from(_WORDS + [" ", " ", " **", "**", "*", ".", ",", "!", "?", ";", ":",
                                       "(", ")", "'", "15.00", "\u00a0", "- "]
                             + [f" **{word}**" for word in _WORDS + ["15.00", "a.", "(a)"]]
                             + [" **Kopi **", " ** Kopi**", "**Kopi**", " **Kopi*", " *Kopi**",
                                " **Kopi&**", " **a<**", " **a\\**", " **a>**", " **a#**",
                                " **a_**", " **a`**", " **a~**", " **a|**", " **a]**"]),
             max_size=12))


@settings(max_examples=3000, deadline=None)
@given(st.lists(_BOLD_LINE, min_size=1, max_size=4), st.sampled_from(["\n", "\n\n"]))
def test_bold_words_in_the_shortcut_are_markdown_s(lines, separator):
    text = separator.join(lines)
    shortcut = reader._plain_paragraphs(text)
    if shortcut is not None:
        assert shortcut == markdown_safe.render(text)


def test_the_shortcut_takes_plain_descriptions_only():
    assert reader.render_markdown("Kopi enak.\nDari Wanayasa.\n\n\nPesan sekarang.") == (
        "<p>Kopi enak.\nDari Wanayasa.</p>\n<p>Pesan sekarang.</p>")
    assert reader._plain_paragraphs("Kopi.\n\n- Berat bersih\n- Bisa dikirim\n\nSalam.") == (
        "<p>Kopi.</p>\n<ul>\n<li>Berat bersih</li>\n<li>Bisa dikirim</li>\n</ul>\n<p>Salam.</p>")
    assert reader._plain_paragraphs("Kopi **enak**, **murah**.\n\n- **Baru**") == (
        "<p>Kopi <strong>enak</strong>, <strong>murah</strong>.</p>\n"
        "<ul>\n<li><strong>Baru</strong></li>\n</ul>")
    for text in ("- satu\n\n- dua", "**Kopi** enak", "Kopi **enak**nya", "Kopi  \nenak",
                 "1. satu", "Kopi & teh", "Kopi\n- satu", "- satu\n  dua", "* satu", ""):
        assert reader._plain_paragraphs(text) is None
