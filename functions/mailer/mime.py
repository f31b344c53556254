"""The raw MIME message handed to SES (``Content.Raw``).

Every header is built from values the mailer validated itself: addresses
must match the project's one strict plain ``local@domain`` grammar
(``warung.emails.valid_email``: ASCII, no quotes, no comments, no ``=?``
encoded words, no ``%`` or ``!`` routing), the sender name is refused
when it holds a control, format or line/paragraph separator character, and
the subject, which may carry seller-typed text (a shop title, a decline
reason), is made header-safe by ``safe_subject`` rather than refused: a
refused subject would cost the email for good. Buyer text only ever reaches the bodies, which are
quoted-printable (ASCII, short lines) so nothing in them can look like a
header or break the message.
"""

import re
import unicodedata
from datetime import datetime, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid

from warung.emails import valid_email

MAX_HEADER = 400
MAX_SUBJECT = 200  # characters; longer subjects are cut with an ellipsis

# Control, format (zero-width joiner, soft hyphen, bidi marks), separator,
# surrogate, private-use and unassigned characters: never in a header.
_UNSAFE = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")

# Headers of every message, in order (Reply-To only when there is one).
HEADERS = ("From", "To", "Reply-To", "Subject", "Date", "Message-ID",
           "Auto-Submitted", "MIME-Version", "Content-Type")


class HeaderError(ValueError):
    """A value that must not go into a header."""


def require_address(value, what: str) -> str:
    address = valid_email(value)
    if address is None:
        raise HeaderError(f"{what} is not a valid email address")
    return address


def header_text(value: str, what: str = "header") -> str:
    """``value`` unchanged if it is safe in a header; HeaderError otherwise."""
    if not isinstance(value, str) or not value or len(value) > MAX_HEADER:
        raise HeaderError(f"{what} is empty or too long")
    for char in value:
        if unicodedata.category(char) in _UNSAFE:
            raise HeaderError(f"{what} contains a control or separator character")
    if "=?" in value:
        raise HeaderError(f"{what} looks like an encoded word")
    return value


def safe_subject(value) -> str:
    """``value`` made safe as a Subject: line breaks, tabs and other
    whitespace become one space, other unsafe characters are dropped, ``=?``
    (an encoded word's opening) becomes ``= ?``, and it is cut to
    ``MAX_SUBJECT`` characters. Never empty, never refused."""
    text = str(value or "")
    text = "".join(" " if char.isspace() else char for char in text
                   if char.isspace() or unicodedata.category(char) not in _UNSAFE)
    text = re.sub(r" +", " ", text).strip()
    while "=?" in text:
        text = text.replace("=?", "= ?")
    if len(text) > MAX_SUBJECT:
        text = text[:MAX_SUBJECT - 1].rstrip() + "…"
    return header_text(text or "-", "Subject")


def from_header(sender: str, sender_name: str) -> str:
    """``Name <address>``: the From header, and SES's ``FromEmailAddress``
    (the same string, so what SES is told and what the message says agree)."""
    sender = require_address(sender, "From")
    return formataddr((header_text(sender_name, "sender name"), sender))


def build_message(*, sender: str, sender_name: str, to: str, subject: str,
                  text: str, html: str, reply_to: str | None = None,
                  now: datetime | None = None) -> EmailMessage:
    """A multipart/alternative message (text + HTML) with the fixed headers.

    ``sender``/``to`` must be valid addresses (HeaderError otherwise);
    ``reply_to`` is used only when it is a valid address and dropped
    otherwise; ``sender_name`` must be header-safe; ``subject`` is made so
    (``safe_subject``).
    """
    sender = require_address(sender, "From")
    to = require_address(to, "To")
    reply_to = valid_email(reply_to)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = from_header(sender, sender_name)
    msg["To"] = Address(addr_spec=to)
    if reply_to:
        msg["Reply-To"] = Address(addr_spec=reply_to)
    msg["Subject"] = safe_subject(subject)
    msg["Date"] = format_datetime(now or datetime.now(timezone.utc))
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[1])
    # Tells mail servers and clients not to send vacation auto-replies back.
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg


def to_bytes(msg: EmailMessage) -> bytes:
    """The message as SES wants it: CRLF line endings, 7-bit ASCII."""
    data = msg.as_bytes(policy=SMTP)
    data.decode("ascii")  # quoted-printable bodies and encoded headers: never 8-bit
    return data
