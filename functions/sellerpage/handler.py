"""Lambda handler of the seller's order page (Function URL, payload 2.0).

``GET /api/penjual/<order-code>?t=<token>`` shows one shop order and the
actions its status allows; it never changes anything (mail scanners and
link previews fetch GET links). ``POST`` (form fields ``t``, ``aksi``,
``alasan``, ``alasan_lain``) applies one action through
``lifecycle.records.apply`` and answers 303 back to the page. Also
``GET /api/pesanan?kode=&wa=``: the buyer's lookup (``sellerpage.lookup``). A wrong or
missing token is a 410 (not 404: CloudFront would swap the message for
/404.html), as is an unknown order. Imports stay light for
cold starts.
"""

import logging
from urllib.parse import parse_qs

from warung.text import texts

from backend import function_url as web
from backend.codes import ORDER_CODE

log = logging.getLogger(__name__)

PATH = "/api/penjual/"
LOOKUP_PATH = "/api/pesanan"  # a buyer's order by code + WhatsApp (sellerpage.lookup)
MAX_FORM = 4096


def _t() -> dict:
    return texts()["halaman_penjual"]


def _message(status: int, title: str, text: str, headers: dict | None = None) -> dict:
    from sellerpage import pages

    return web.html_response(status, pages.message(title, text), headers)


def _not_found() -> dict:
    # 410, not 404: CloudFront replaces 404 bodies with /404.html, losing the message.
    return _message(410, _t()["tidak_ditemukan_judul"], _t()["tidak_ditemukan"])


def _load(code: str, token: str | None):
    """The order when ``token`` opens it, else None."""
    from backend import store
    from lifecycle import links

    if not ORDER_CODE.fullmatch(code) or not token:
        return None
    order = store.get_order(code)
    return order if links.matches(order, token) else None


def _form(event) -> dict:
    text = web.body_text(event, limit=MAX_FORM)
    return {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}


def _same_site(event) -> bool:
    """Our own page posted the form. The page sends no referrer (the token is
    in its URL), so browsers send ``Origin: null``; then the Fetch Metadata
    header must say same-origin."""
    if web.header(event, "origin").strip() == "null":
        return web.header(event, "sec-fetch-site").lower() == "same-origin"
    return web.origin_allowed(event)


def show(event, code: str) -> dict:
    from sellerpage import pages

    token = web.query(event, "t")
    order = _load(code, token)
    if order is None:
        return _not_found()
    saved = web.query(event, "ok") == "1"
    return web.html_response(200, pages.order_page(order, token, saved=saved))


def act(event, code: str) -> dict:
    from lifecycle import records, states
    from sellerpage import pages

    if not _same_site(event):
        return _message(403, _t()["galat_judul"],
                        _t()["dilarang"].format(site=texts()["site_name"]))
    try:
        form = _form(event)
    except (web.BodyTooLarge, web.BadBody):
        return _message(400, _t()["galat_judul"], _t()["aksi_tidak_dikenal"])
    token = form.get("t") or web.query(event, "t")
    order = _load(code, token)
    if order is None:
        return _not_found()
    action = form.get("aksi", "")
    if action not in states.ACTIONS:
        return web.html_response(400, pages.order_page(order, token, error=_t()["aksi_tidak_dikenal"]))
    reason = states.clean_reason(form.get("alasan"), form.get("alasan_lain"))
    if action == "tolak" and reason is None:
        return web.html_response(400, pages.order_page(order, token, error=_t()["alasan_wajib"]))
    try:
        records.apply(code, action, reason)
    except states.Refused as refused:
        from lifecycle import view

        current = view.label(refused.status, order.get("delivery"), order.get("decline_reason"))
        return web.html_response(409, pages.order_page(
            order, token, error=_t()["tidak_bisa"].format(status=current)))
    from lifecycle import links

    return web.redirect(links.path(code, token) + "&ok=1")


def handler(event, context=None) -> dict:
    method, path = web.method(event), web.path(event).rstrip("/")
    try:
        if not web.origin_verified(event):
            return _message(403, _t()["galat_judul"], texts()["akses"]["langsung"].format(
                site=texts()["site_name"]))
        if path == LOOKUP_PATH:
            if method not in ("GET", "HEAD"):
                return _message(405, _t()["galat_judul"], _t()["metode"], {"allow": "GET, HEAD"})
            from sellerpage import lookup

            response = lookup.answer(event)
            return {**response, "body": ""} if method == "HEAD" else response
        code = path[len(PATH):] if path.startswith(PATH) else ""
        if not code or "/" in code:
            return _not_found()
        if method in ("GET", "HEAD"):
            response = show(event, code)
            return {**response, "body": ""} if method == "HEAD" else response
        if method == "POST":
            return act(event, code)
        return _message(405, _t()["galat_judul"], _t()["metode"], {"allow": "GET, HEAD, POST"})
    except Exception:  # never a stack trace to the seller
        log.exception("seller page failed")
        return _message(503, _t()["galat_judul"], _t()["galat"], {"retry-after": "30"})
