"""``local.outbox``: the raw MIME SES stored, parsed for ``/_dev/outbox``."""

from email.message import EmailMessage

from local import outbox


def _mime(html: str | None = "<p>Halo &amp; selamat</p>", reply_to: str | None = "b@x.example"):
    message = EmailMessage()
    message["From"] = "Warung Online <pesanan@warung.example>"
    message["To"] = "kopi@wanayasa.example"
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = "Pesanan baru WO-7K3M9Q-1 — Rp175.000"
    message.set_content("Halo,\nada pesanan baru.\n")
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_string()


def test_outbox_parses_the_raw_mime_handed_to_ses():
    entry = outbox.parse_raw(_mime())
    assert entry == {
        "from": "Warung Online <pesanan@warung.example>",
        "to": ["kopi@wanayasa.example"],
        "reply_to": ["b@x.example"],
        "subject": "Pesanan baru WO-7K3M9Q-1 — Rp175.000",
        "text": "Halo,\nada pesanan baru.\n",
        "html": "<p>Halo &amp; selamat</p>\n",
    }
    plain = outbox.parse_raw(_mime(html=None, reply_to=None))
    assert plain["html"] is None and plain["reply_to"] == []


def test_outbox_undoes_the_wire_line_endings():
    from email.policy import SMTP

    message = EmailMessage(policy=SMTP)
    message["From"], message["To"], message["Subject"] = "a@b.example", "c@d.example", "S"
    message.set_content("Baris 1\nBaris 2\n", cte="quoted-printable")
    message.add_alternative("<p>Halo</p>\n", subtype="html", cte="quoted-printable")
    raw = message.as_bytes(policy=SMTP)
    assert b"\r\n" in raw
    entry = outbox.parse_raw(raw)
    assert entry["text"] == "Baris 1\nBaris 2\n" and entry["html"] == "<p>Halo</p>\n"


def test_outbox_page_escapes_everything():
    entry = outbox.parse_raw(_mime(html="<script>alert(1)</script>"))
    entry["subject"] = "<b>Subjek</b>"
    page = outbox.render_html([entry])
    assert "<b>Subjek</b>" not in page and "&lt;b&gt;Subjek&lt;/b&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert 'lang="id"' in page and "Kotak keluar" in page
    assert "Belum ada email" in outbox.render_html([])


class Stored:
    """What moto's SES keeps of a raw send."""

    def __init__(self, raw: str, source: str = "pesanan@warung.example"):
        self.raw_data, self.source = raw, source


def test_entries_parse_each_message_once(monkeypatch):
    stored = [Stored(_mime()), Stored(_mime(html=None))]
    monkeypatch.setattr(outbox, "_sent_messages", lambda: list(stored))
    monkeypatch.setattr(outbox, "_parsed", outbox._Parsed())
    parsed = []
    real_entry = outbox._entry
    monkeypatch.setattr(outbox, "_entry", lambda m: parsed.append(m) or real_entry(m))
    assert [e["html"] is None for e in outbox.entries()] == [False, True]
    stored.append(Stored(_mime(reply_to=None)))
    assert [e["reply_to"] for e in outbox.entries(since=2)] == [[]]
    assert len(outbox.entries()) == 3 and parsed == stored  # the new one only
    stored[:] = [Stored(_mime(html="<p>lain</p>"))]  # moto reset, then a new send
    assert [e["html"] for e in outbox.entries()] == ["<p>lain</p>\n"]
