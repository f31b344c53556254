"""The local outbox: every email handed to the emulated SES, oldest first.

moto's server runs in ``local.aws_process`` (``entries`` runs there;
the local server calls ``fetch``), and SES v2 ``send_email`` with
``Content.Raw`` stores the MIME message in the SES backend
(``moto.ses.models.ses_backends[account][region].sent_messages``, a
``RawMessage`` whose ``raw_data`` is the MIME text). Each one is parsed with
the ``email`` package into the shape of DESIGN.md "Local run": ``from``,
``to`` (list), ``reply_to`` (list), ``subject``, ``text``, ``html`` (None
when absent).
"""

import email
import email.policy
import json
import os
import threading
import urllib.request

from jinja2 import Environment

from warung.text import texts


def _sent_messages() -> list:
    from moto.ses.models import ses_backends

    found = []
    # dict.values: iterate only the accounts and regions that exist, without
    # creating backends as BackendDict.__getitem__ would.
    for account in list(dict.values(ses_backends)):
        for backend in list(dict.values(account)):
            found.extend(list(backend.sent_messages))
    return found


def _addresses(header) -> list[str]:
    if header is None:
        return []
    addresses = getattr(header, "addresses", None)
    if addresses is None:  # an unparsable header: keep its text
        return [str(header)]
    return [str(address) for address in addresses]


def _part(message, subtype: str) -> str | None:
    """The decoded text of the text/<subtype> body, with the wire's CRLF
    line endings back to the newlines the mailer wrote."""
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return None
    return part.get_content().replace("\r\n", "\n")


def parse_raw(raw: str | bytes) -> dict:
    """One outbox entry from a raw MIME message."""
    if isinstance(raw, bytes):
        message = email.message_from_bytes(raw, policy=email.policy.default)
    else:
        message = email.message_from_string(raw, policy=email.policy.default)
    subject = message["Subject"]
    sender = message["From"]
    return {
        "from": str(sender) if sender is not None else None,
        "to": _addresses(message["To"]),
        "reply_to": _addresses(message["Reply-To"]),
        "subject": str(subject) if subject is not None else None,
        "text": _part(message, "plain"),
        "html": _part(message, "html"),
    }


def _entry(message) -> dict:
    raw = getattr(message, "raw_data", None)
    if raw is not None:
        entry = parse_raw(raw)
        if entry["from"] is None:
            entry["from"] = message.source
        return entry
    # SES "Simple" content (not what the mailer sends, kept readable anyway).
    destinations = getattr(message, "destinations", None) or {}
    if isinstance(destinations, dict):
        to = list(destinations.get("ToAddresses", []))
    else:
        to = list(destinations)
    body = getattr(message, "body", None)
    is_html = bool(body) and body.lstrip().startswith("<")
    return {
        "from": getattr(message, "source", None),
        "to": to,
        "reply_to": [],
        "subject": getattr(message, "subject", None),
        "text": None if is_html else body,
        "html": body if is_html else None,
    }


class _Parsed:
    """Entries parsed so far, in the order SES stored them: SES only appends,
    so each call parses only the new messages (a reset of moto starts over)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list = []  # the message objects parsed, to notice a reset
        self.entries: list[dict] = []

    def update(self, messages: list) -> list[dict]:
        with self.lock:
            done = len(self.messages)
            if done > len(messages) or (done and messages[done - 1] is not self.messages[-1]):
                self.messages, self.entries, done = [], [], 0
            for message in messages[done:]:
                self.entries.append(_entry(message))
                self.messages.append(message)
            return list(self.entries)


_parsed = _Parsed()


def fetch(since: int = 0) -> list[dict]:
    """``entries(since)`` of the local run's AWS process (``local.aws_process``,
    at ``AWS_ENDPOINT_URL``), where moto's SES keeps them."""
    url = f"{os.environ['AWS_ENDPOINT_URL']}/_local/outbox.json?since={int(since)}"
    with _direct.open(url, timeout=60) as response:  # 127.0.0.1, never a proxy
        return json.loads(response.read())


_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def entries(since: int = 0) -> list[dict]:
    """Every email handed to SES since the server started, oldest first
    (from the ``since``-th on)."""
    return _parsed.update(_sent_messages())[since:]


_PAGE = """<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ t.judul_outbox }}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#222}
article{border:1px solid #ccc;border-radius:.5rem;padding:1rem;margin:1rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dt{font-weight:bold}dd{margin:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.75rem;border-radius:.25rem}
iframe{width:100%;min-height:24rem;border:1px solid #ddd}
</style>
</head>
<body>
<h1>{{ t.judul_outbox }}</h1>
<p>{{ t.keterangan_outbox }} <a href="/_dev/outbox.json">{{ t.versi_json }}</a></p>
{% for mail in mails|reverse %}
<article>
<h2>{{ loop.revindex }}. {{ mail.subject }}</h2>
<dl>
<dt>{{ t.dari }}</dt><dd>{{ mail.from }}</dd>
<dt>{{ t.kepada }}</dt><dd>{{ mail.to|join(", ") }}</dd>
{% if mail.reply_to %}<dt>{{ t.balas_ke }}</dt><dd>{{ mail.reply_to|join(", ") }}</dd>{% endif %}
</dl>
{% if mail.text is not none %}<h3>{{ t.teks }}</h3><pre>{{ mail.text }}</pre>{% endif %}
{% if mail.html is not none %}<h3>{{ t.html }}</h3>
<iframe sandbox title="{{ mail.subject }}" srcdoc="{{ mail.html }}"></iframe>{% endif %}
</article>
{% else %}
<p>{{ t.outbox_kosong }}</p>
{% endfor %}
</body>
</html>
"""

_template = Environment(autoescape=True).from_string(_PAGE)


def render_html(mails: list[dict]) -> str:
    """The outbox page (Indonesian, escaped); newest first for reading."""
    return _template.render(mails=mails, t=texts()["lokal"])
