"""Order codes and confirmation tokens.

A checkout code is ``WO-`` + 6 characters of Crockford base32 (digits and
capitals without I, L, O, U: nothing to misread on a phone or over the
phone), 30 random bits from ``secrets``; the store refuses a code that
already exists, so a collision just means drawing again. Shop orders are
``<code>-1``, ``<code>-2``, ... in the order the shops appear in the cart.

The confirmation token is 128 random bits (``secrets.token_urlsafe(16)``);
only its SHA-256 is stored. With an idempotency key the token is derived
from the key and the code instead (HMAC-SHA256), so a repeated key can be
answered with the same confirmation URL without storing the token: whoever
holds the key (the buyer's browser) can already obtain that answer anyway.
"""

import base64
import hashlib
import hmac
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
CODE_LENGTH = 6
PREFIX = "WO-"
CHECKOUT_CODE = re.compile(rf"^WO-[{ALPHABET}]{{{CODE_LENGTH}}}$")
ORDER_CODE = re.compile(rf"^WO-[{ALPHABET}]{{{CODE_LENGTH}}}-[1-9][0-9]?$")
# Crockford's decoding of look-alikes, so a code read aloud still matches.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def order_code(checkout: str, number: int) -> str:
    """The code of the ``number``-th shop order (1-based) of a checkout."""
    return f"{checkout}-{number}"


def normalize_code(text: str) -> str | None:
    """A checkout code as typed (``wo-7k3m9q``, ``WO-7K3M9O``) -> canonical, or None."""
    value = str(text or "").strip().upper()
    if value.startswith(PREFIX):
        value = PREFIX + value[len(PREFIX):].translate(_LOOKALIKES)
    return value if CHECKOUT_CODE.match(value) else None


def new_token() -> str:
    return secrets.token_urlsafe(16)


def token_for_key(key: str, code: str) -> str:
    """The confirmation token of a checkout placed with idempotency ``key``."""
    digest = hmac.new(key.encode("utf-8"), f"warung-token:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def token_matches(token: str | None, token_hash: str | None) -> bool:
    if not token or not token_hash or len(token) > 64:
        return False
    return hmac.compare_digest(hash_token(token), str(token_hash))
