"""The seller's private link to one order's page: ``/api/penjual/<code>?t=<token>``.

The token is random (128 bits) and made when an email carrying it is about
to be sent (``issue``); only its SHA-256 goes into the order's
``seller_token_hashes`` (a string set, written before the send, so every
link in a sent email works). Each seller email (the order, a digest, a
reminder) carries its own token.
"""

import os
import secrets

from backend import clients, codes, store

PATH = "/api/penjual"
MAX_TOKEN = 64


def path(code: str, token: str) -> str:
    return f"{PATH}/{code}?t={token}"


def url(code: str, token: str) -> str:
    return os.environ.get("SITE_URL", "").rstrip("/") + path(code, token)


def issue(code: str) -> str:
    """A new token for order ``code``, its hash stored; returns the token."""
    token = secrets.token_urlsafe(16)
    clients.dynamodb().update_item(
        TableName=store.table_name(), Key={"pk": {"S": store.order_pk(code)}},
        UpdateExpression="ADD seller_token_hashes :h", ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":h": {"SS": [codes.hash_token(token)]}},
    )
    return token


def with_seller_link(order: dict) -> dict:
    """The order with ``seller_page`` (the full URL, a fresh token) for a seller email."""
    return {**order, "seller_page": url(order["code"], issue(order["code"]))}


def matches(order: dict | None, token: str | None) -> bool:
    """Whether ``token`` opens ``order``'s seller page (constant-time per hash)."""
    if not order or not token or len(token) > MAX_TOKEN:
        return False
    found = False
    for stored in order.get("seller_token_hashes") or []:
        found |= codes.token_matches(token, stored)
    return found
