"""Lambda handler of the order function (Function URL, payload 2.0).

Routes (docs/ORDERS.md): ``POST /api/order`` places an order (form -> 303
to the confirmation page, JSON -> 201); ``GET /api/order/<code>?t=<token>``
shows the confirmation page. Checks run cheapest first: the CloudFront origin
secret (403, any route), Origin (403), body size (413), media type (415),
parsing (400); then ``order.service`` does the rest. Module-level imports are kept light (no boto3, no jinja2) for cold starts.
"""

import logging
import math

from warung.text import texts

from backend import http as web
from order import parse, service

log = logging.getLogger(__name__)

ORDER_PATH = "/api/order"


def _order_json(placed) -> dict:
    from order.pages import with_whatsapp

    code = placed.code
    return {
        "code": code,
        "confirmation_url": confirmation_url(code, placed.token),
        "orders": [
            {key: order[key] for key in ("code", "shop", "shop_title", "lines", "subtotal",
                                          "delivery_fee", "total", "whatsapp_url")}
            for order in with_whatsapp(placed.orders, placed.checkout["buyer"])
        ],
    }


def confirmation_url(code: str, token: str) -> str:
    return f"{ORDER_PATH}/{code}?t={token}"


def _problem(event, status: int, message: str, *, title: str | None = None,
             headers: dict | None = None) -> dict:
    """A whole-request error: JSON ``{"errors": {"_": ...}}`` or a small page."""
    if web.wants_json(event):
        return web.json_response(status, {"errors": {"_": message}}, headers)
    from order import pages

    title = title or texts()["pesanan_halaman"]["error_title"]
    return web.html_response(status, pages.message(title, message), headers)


def _form_again(event, submission, errors: dict, form=None, status: int = 400,
                headers: dict | None = None) -> dict:
    if web.wants_json(event):
        return web.json_response(status, {"errors": errors}, headers)
    from order import pages
    from order.validate import form_view

    form = form or form_view(submission)
    return web.html_response(status, pages.order_form(submission, errors, form,
                                                      action=web.path(event)), headers)


def post_order(event) -> dict:
    msg = texts()["pesanan_galat"]
    if not web.origin_allowed(event):
        site = texts()["site_name"]
        return _problem(event, 403, msg["forbidden"].format(site=site))
    try:
        body = web.body_text(event)
    except web.BodyTooLarge:
        return _problem(event, 413, msg["too_large"])
    except web.BadBody:
        return _problem(event, 400, msg["bad_request"])
    try:
        submission = parse.parse(body, web.header(event, "content-type"))
    except parse.UnsupportedMediaType:
        return _problem(event, 415, msg["unsupported"])
    except parse.ParseError:
        return _problem(event, 400, msg["bad_request"])

    try:
        placed = service.place(submission, web.rate_key(web.client_ip(event)))
    except service.Invalid as invalid:
        return _form_again(event, submission, invalid.errors, invalid.form)
    except service.RateLimited as limited:
        minutes = max(1, math.ceil(limited.retry_after / 60))
        headers = {"retry-after": str(limited.retry_after)}
        return _form_again(event, submission, {"_": msg["too_many"].format(minutes=minutes)},
                           limited.form, 429, headers)
    except service.Unavailable:
        log.exception("order not stored")
        return _form_again(event, submission, {"_": msg["unavailable"]}, None, 503,
                           {"retry-after": "30"})

    if web.wants_json(event):
        return web.json_response(201, _order_json(placed),
                                 {"location": confirmation_url(placed.code, placed.token)})
    return web.redirect(confirmation_url(placed.code, placed.token))


def get_confirmation(event, code: str) -> dict:
    from backend import ratelimit
    from order import pages

    hit = ratelimit.check("lookup", web.rate_key(web.client_ip(event)))
    if not hit.allowed:
        minutes = max(1, math.ceil(hit.retry_after / 60))
        return _problem(event, 429, texts()["pesanan_galat"]["too_many_lookups"].format(
            minutes=minutes), headers={"retry-after": str(hit.retry_after)})
    placed = service.find(code, web.query(event, "t"))
    if placed is None:
        p = texts()["pesanan_halaman"]
        return web.html_response(404, pages.message(p["not_found_title"],
                                                    texts()["pesanan_galat"]["not_found"]))
    return web.html_response(200, pages.confirmation(placed.checkout, placed.orders))


def handler(event, context=None) -> dict:
    method, path = web.method(event), web.path(event).rstrip("/") or "/"
    try:
        if not web.origin_verified(event):
            return _problem(event, 403, texts()["akses"]["langsung"].format(
                site=texts()["site_name"]))
        if path == ORDER_PATH:
            if method == "POST":
                return post_order(event)
            return _problem(event, 405, texts()["pesanan_galat"]["method_not_allowed"],
                            headers={"allow": "POST"})
        if path.startswith(ORDER_PATH + "/") and path.count("/") == 3:
            if method in ("GET", "HEAD"):
                response = get_confirmation(event, path.rsplit("/", 1)[1])
                return {**response, "body": ""} if method == "HEAD" else response
            return _problem(event, 405, texts()["pesanan_galat"]["method_not_allowed"],
                            headers={"allow": "GET, HEAD"})
        return _problem(event, 404, texts()["pesanan_galat"]["not_found"])
    except Exception:  # never a stack trace to the buyer
        log.exception("order handler failed")
        return _problem(event, 503, texts()["pesanan_galat"]["unavailable"],
                        headers={"retry-after": "30"})


def reset_caches() -> None:
    """Forget warm state (tests, the local server after a rebuild)."""
    from backend import catalog

    catalog.reset()
