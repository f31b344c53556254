"""``GET /api/pesanan?kode=<checkout code>&wa=<WhatsApp number>``: a buyer
without JavaScript (or on another phone) finds their order's status.

Shows nothing unless both match the stored checkout (the phone compared in
constant time after normalising both). Rate-limited before the lookup: per
client address (``LOOKUP_PER_IP`` per 10 minutes) and per code
(``LOOKUP_PER_CODE`` per hour, so one code's phone cannot be guessed).
The answer holds the shop orders' statuses only: no name, no address.
"""

import hmac
import math

from warung.text import texts

from backend import function_url as web

LOOKUP_PER_IP = (20, 600)
LOOKUP_PER_CODE = (10, 3600)


def _limited(event, code: str | None) -> int:
    """Seconds to wait when over a limit, else 0."""
    from backend import ratelimit

    hits = [ratelimit.hit("lookup-ip", web.rate_key(web.client_ip(event)), *LOOKUP_PER_IP)]
    if code:
        hits.append(ratelimit.hit("lookup-code", code, *LOOKUP_PER_CODE))
    return max(hit.retry_after for hit in hits)


def find(code: str | None, phone_text: str) -> tuple[dict, list] | None:
    from backend import store
    from warung.phone import normalize_mobile

    if code is None:
        return None
    try:
        phone = normalize_mobile(phone_text)
    except ValueError:
        return None
    checkout = store.get_checkout(code)
    stored = str(((checkout or {}).get("buyer") or {}).get("phone") or "")
    if not checkout or not hmac.compare_digest(stored.encode(), phone.encode()):
        return None
    return checkout, store.get_orders(checkout.get("orders") or [])


def answer(event) -> dict:
    from backend.codes import normalize_code
    from sellerpage import pages

    words = texts()["cari_pesanan"]
    code_text, phone_text = (web.query(event, "kode") or "")[:20], (web.query(event, "wa") or "")[:32]
    if not code_text and not phone_text:
        return web.html_response(200, pages.lookup(code_text, phone_text))
    code = normalize_code(code_text)
    wait = _limited(event, code)
    if wait:
        message = words["terlalu_sering"].format(minutes=max(1, math.ceil(wait / 60)))
        return web.html_response(429, pages.lookup(code_text, phone_text, error=message),
                                 {"retry-after": str(wait)})
    found = find(code, phone_text)
    if found is None:
        # 200, not 404: CloudFront swaps every 404 body for /404.html
        # (functions/template.yaml), which would drop the form and message.
        return web.html_response(200, pages.lookup(code_text, phone_text,
                                                   error=words["tidak_cocok"]))
    checkout, orders = found
    return web.html_response(200, pages.lookup(code_text, phone_text, code=checkout["code"],
                                               orders=orders))
