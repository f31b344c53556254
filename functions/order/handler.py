"""Lambda handler of the order function (Function URL, payload 2.0).

Routes (docs/ORDERS.md), a table resolved by Powertools
(``backend.routing``): ``POST /api/order`` places an order (form -> 303 to
the confirmation page, JSON -> 201); ``GET /api/order/<code>?t=<token>``
shows the confirmation page. Checks run cheapest first: the CloudFront
origin secret (403, any route), Origin (403), body size (413), media type
(415), parsing (400); then ``order.service`` runs the pipeline and this
module maps its outcome to HTTP. Logs are JSON lines with the checkout code
as correlation id (``backend.logs``). Module-level imports are kept light
(no boto3, jinja2 or Powertools) for cold starts.
"""

import logging
import math

from backend import function_url as web
from backend import routing
from backend.pages import problem
from order import answer, parse, service
from warung.text import texts

log = logging.getLogger(__name__)


def _msg() -> dict:
    return texts()["pesanan_galat"]


def _form_again(event, submission, errors: dict, form=None, status: int = 400,
                headers: dict | None = None) -> dict:
    if web.wants_json(event):
        return web.json_response(status, {"errors": errors}, headers)
    from order import pages
    from order.validate import form_view

    form = form or form_view(submission)
    return web.html_response(status, pages.order_form(submission, errors, form,
                                                      action=web.path(event)), headers)


def _read(event) -> dict:
    """The parsed submission, or the response refusing the request."""
    msg = _msg()
    if not web.origin_allowed(event):
        return problem(event, 403, msg["forbidden"].format(site=texts()["site_name"]))
    try:
        body = web.body_text(event)
    except web.BodyTooLarge:
        return problem(event, 413, msg["too_large"])
    except web.BadBody:
        return problem(event, 400, msg["bad_request"])
    try:
        return {"submission": parse.parse(body, web.header(event, "content-type"))}
    except parse.UnsupportedMediaType:
        return problem(event, 415, msg["unsupported"])
    except parse.ParseError:
        return problem(event, 400, msg["bad_request"])


def _too_many(retry_after: int, text: str) -> tuple[str, dict]:
    minutes = max(1, math.ceil(retry_after / 60))
    return text.format(minutes=minutes), {"retry-after": str(retry_after)}


def post_order(event) -> dict:
    read = _read(event)
    if "submission" not in read:
        return read
    submission = read["submission"]
    try:
        placed = service.place(submission, web.rate_key(web.client_ip(event)))
    except service.Invalid as invalid:
        return _form_again(event, submission, invalid.errors, invalid.form)
    except service.RateLimited as limited:
        text, headers = _too_many(limited.retry_after, _msg()["too_many"])
        return _form_again(event, submission, {"_": text}, limited.form, 429, headers)
    except service.Unavailable:
        log.exception("order not stored")
        return _form_again(event, submission, {"_": _msg()["unavailable"]}, None, 503,
                           {"retry-after": "30"})
    from backend import logs

    logs.correlate("order", placed.code)
    log.info("order placed", extra={"repeated": placed.repeated,
                                    "orders": len(placed.orders)})
    url = answer.confirmation_url(placed.code, placed.token)
    if web.wants_json(event):
        return web.json_response(201, answer.order_json(placed), {"location": url})
    return web.redirect(url)


def get_confirmation(event, code: str) -> dict:
    from backend import ratelimit
    from order import pages

    hit = ratelimit.check("lookup", web.rate_key(web.client_ip(event)))
    if not hit.allowed:
        text, headers = _too_many(hit.retry_after, _msg()["too_many_lookups"])
        return problem(event, 429, text, headers=headers)
    placed = service.find(code, web.query(event, "t"))
    if placed is None:
        return problem(event, 404, _msg()["not_found"],
                       title=texts()["pesanan_halaman"]["not_found_title"])
    if web.wants_json(event):  # the buyer's page on this phone (pesanan.js): status per order
        return web.json_response(200, answer.order_json(placed))
    return web.html_response(200, pages.confirmation(placed.checkout, placed.orders))


ROUTES = [
    (answer.ORDER_PATH, ("POST",), post_order),
    (answer.ORDER_PATH + "/<code>", ("GET", "HEAD"), get_confirmation),
]


def _not_allowed(event, allowed: list) -> dict:
    return problem(event, 405, _msg()["method_not_allowed"], headers={"allow": ", ".join(allowed)})


def _failed(event) -> dict:  # never a stack trace to the buyer
    log.exception("order handler failed")
    return problem(event, 503, _msg()["unavailable"], headers={"retry-after": "30"})


def handler(event, context=None) -> dict:
    """The Lambda entry point."""
    from backend import logs

    logs.correlate("order", None)
    if not web.origin_verified(event):
        return problem(event, 403, texts()["akses"]["langsung"].format(site=texts()["site_name"]))
    return routing.resolve("order", ROUTES, event, context, not_found=lambda e: problem(
        e, 404, _msg()["not_found"]), not_allowed=_not_allowed, failed=_failed)
