"""Sign-in by email link for ``/ubah/`` (sellers already in the catalog).

- ``request(contact, ip_key)``: rate limits per address and per contact
  (counted whether or not the contact is known), then, only for a known
  WhatsApp number or email, ``LOGIN#<sha256(token)>`` (30 minutes, TTL) and an
  email to the address in the private catalog with the link. The caller
  answers the same either way: nobody can probe who sells.
- ``consume(token)``: the link, once: a conditional update marks it used and
  a session ``SESI#<sha256(session)>`` (2 hours) names the shop.
- ``session_shop(session)``: the shop a session may change, or None.
Only hashes of tokens are stored.
"""

import os
import time

from backend import catalog, clients, codes, mailqueue, ratelimit, store
from warung import phone
from warung.emails import valid_email
from warung.text import texts

from daftar import mail, records

LINK_TTL = 30 * 60
SESSION_TTL = 2 * 3600
LIMIT_IP = (10, 3600)
LIMIT_CONTACT = (3, 3600)


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def normalize_contact(text: str) -> str:
    text = " ".join(str(text or "").split())[:120]
    if "@" in text:
        return (valid_email(text) or text).casefold()
    try:
        return phone.normalize_mobile(text)
    except ValueError:
        return text.casefold()


def find_shop(contact: str) -> dict | None:
    for shop in catalog.load().shops.values():
        if contact in (str(shop.get("whatsapp", "")), str(shop.get("email", "")).casefold()):
            return shop
    return None


def _limit(scope: str, value: str, limit: tuple) -> None:
    hit = ratelimit.hit(scope, value, *limit)
    if not hit.allowed:
        raise RateLimited(hit.retry_after)


def link_mail(shop: dict, token: str, now_iso: str) -> tuple[list, list]:
    s = texts()["daftar_surel"]
    pk = f"SURAT#MASUK-{codes.hash_token(token)[:16].upper()}"
    url = os.environ.get("SITE_URL", "").rstrip("/") + f"/api/ubah/masuk?t={token}"
    text = s["signin_text"].format(shop=shop.get("title", ""), url=url, minutes=LINK_TTL // 60)
    item = mail.surat(pk, shop["email"], s["signin_subject"].format(shop=shop.get("title", "")),
                      text, now_iso)
    return [item], [mail.job(pk)]


def request(contact_text: str, ip_key: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    contact = normalize_contact(contact_text)
    _limit("ubah-ip", ip_key, LIMIT_IP)
    _limit("ubah-kontak", contact, LIMIT_CONTACT)
    shop = find_shop(contact) if contact else None
    if shop is None or not valid_email(shop.get("email") or ""):
        return
    token, created = codes.new_token(), store.now_iso()
    login = {"pk": "LOGIN#" + codes.hash_token(token), "shop": shop["id"], "used": False,
             "expires_at": int(now + LINK_TTL), "created_at": created}
    items, jobs = link_mail(shop, token, created)
    code = "MASUK-" + codes.hash_token(token)[:16].upper()
    records.put_new([login, *items], code, jobs, created)
    mailqueue.enqueue(code, jobs)


def consume(token: str | None, now: float | None = None) -> str | None:
    """The session token of a valid, unused link (marking it used), or None."""
    now = time.time() if now is None else now
    if not token or len(token) > 64:
        return None
    db = clients.dynamodb()
    try:
        result = db.update_item(
            TableName=store.table_name(), Key={"pk": {"S": "LOGIN#" + codes.hash_token(token)}},
            UpdateExpression="SET used = :t",
            ConditionExpression="attribute_exists(pk) AND used = :f AND expires_at > :now",
            ExpressionAttributeValues={":t": {"BOOL": True}, ":f": {"BOOL": False},
                                       ":now": {"N": str(int(now))}},
            ReturnValues="ALL_NEW")
    except db.exceptions.ConditionalCheckFailedException:
        return None
    shop = result["Attributes"]["shop"]["S"]
    session = codes.new_token()
    db.put_item(TableName=store.table_name(), Item=store.to_item({
        "pk": "SESI#" + codes.hash_token(session), "shop": shop,
        "expires_at": int(now + SESSION_TTL)}))
    return session


def session_shop(session: str | None, now: float | None = None) -> str | None:
    now = time.time() if now is None else now
    if not session or len(session) > 64:
        return None
    found = store.get("SESI#" + codes.hash_token(session))
    if not found or int(found.get("expires_at") or 0) <= now:
        return None
    return found["shop"]
