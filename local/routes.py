"""Where the local server sends a request: one table, first match wins.

- The CloudFront behaviours of ``functions/template.yaml``: ``/api/search*``
  to the search function, ``/api/daftar*`` and ``/api/ubah*`` to the seller
  form's, ``/api/penjual/*`` and ``/api/pesanan*`` to the seller page's, the
  rest of ``/api/*`` to the order function, each called with a Function URL
  (payload 2.0) event. The handlers are imported
  here, explicitly, as the Lambda runtime would load them.
- The dev pages: ``/_dev/outbox`` (HTML) and ``/_dev/outbox.json`` (every
  email sent; ``?since=N`` skips the first N), ``/_dev/queue.json`` (mail jobs
  not done yet).
- ``/_dev/aws.json`` (where the emulated AWS is, for ``make inbox`` and
  ``make laporan``) and ``/_dev/s3/*`` (moto's S3, for presigned POSTs).
- Anything else is a static file of the built site (``sitefiles``), served by
  the request handler itself.

To serve something new locally (e.g. a proxy to moto's S3 for presigned
POSTs), add a ``Route`` to ``ROUTES``: its ``answer`` gets the request
handler (``local.serve.RequestHandler``: ``command``, ``path``, ``headers``,
``body``, ``send(status, headers, data)``, ``invoke(name, handler)``).
"""

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from daftar import handler as seller_form_function
from order import handler as order_function
from search import handler as search_function
from sellerpage import handler as seller_page_function

from local import outbox, s3proxy

NO_STORE = ("Cache-Control", "no-store")
JSON = ("Content-Type", "application/json; charset=utf-8")


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    answer: Callable  # (request handler) -> None: sends the response
    prefix: bool = True  # False: the path must be exactly ``path``
    max_body: int = 6 * 1024 * 1024  # the Function URL request payload limit

    def matches(self, path: str) -> bool:
        return path.startswith(self.path) if self.prefix else path == self.path


def function(name: str, handler: Callable) -> Callable:
    """The answer of a route to a Lambda function."""
    return lambda request: request.invoke(name, handler)


def outbox_page(request) -> None:
    data = outbox.render_html(outbox.fetch()).encode("utf-8")
    request.send(HTTPStatus.OK, [("Content-Type", "text/html; charset=utf-8"), NO_STORE], data)


def outbox_json(request) -> None:
    since = parse_qs(urlsplit(request.path).query).get("since", ["0"])[0]
    start = int(since) if since.isascii() and since.isdigit() else 0
    data = json.dumps(outbox.fetch(start), ensure_ascii=False, indent=1).encode("utf-8")
    request.send(HTTPStatus.OK, [JSON, NO_STORE], data)


def pending_mail() -> dict:
    """Mail jobs not done yet: on the queue, and in checkout outboxes."""
    from backend import clients, store

    attributes = clients.sqs().get_queue_attributes(
        QueueUrl=os.environ["MAIL_QUEUE_URL"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                        "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    return {"visible": int(attributes["ApproximateNumberOfMessages"]),
            "in_flight": int(attributes["ApproximateNumberOfMessagesNotVisible"]),
            "delayed": int(attributes["ApproximateNumberOfMessagesDelayed"]),
            "outbox": len(store.outbox_codes())}


def queue_json(request) -> None:
    request.send(HTTPStatus.OK, [JSON, NO_STORE], json.dumps(pending_mail()).encode("utf-8"))


def aws_json(request) -> None:
    request.send(HTTPStatus.OK, [JSON, NO_STORE], s3proxy.aws_info())


def s3(request) -> None:
    request.send(*s3proxy.forward(request.command, request.path, request.headers.items(),
                                  request.body))


ROUTES = [
    # The CloudFront behaviours, in the template's order.
    Route("search", "/api/search", function("search", search_function.handler)),
    Route("daftar", "/api/daftar", function("daftar", seller_form_function.handler)),
    Route("daftar", "/api/ubah", function("daftar", seller_form_function.handler)),
    Route("sellerpage", "/api/penjual/", function("sellerpage", seller_page_function.handler)),
    Route("sellerpage", "/api/pesanan", function("sellerpage", seller_page_function.handler)),
    Route("order", "/api/", function("order", order_function.handler)),
    # The dev pages.
    Route("outbox", "/_dev/outbox", outbox_page, prefix=False),
    Route("outbox", "/_dev/outbox/", outbox_page, prefix=False),
    Route("outbox.json", "/_dev/outbox.json", outbox_json, prefix=False),
    Route("queue.json", "/_dev/queue.json", queue_json, prefix=False),
    # Where the staff commands find the emulated AWS, and moto's S3 for the
    # seller form's presigned photo uploads from the browser.
    Route("aws.json", "/_dev/aws.json", aws_json, prefix=False),
    Route("s3", s3proxy.PREFIX + "/", s3, max_body=s3proxy.MAX_UPLOAD),
]


def route_for(path: str) -> Route | None:
    """The first route matching ``path`` (without its query), or None: a static file."""
    return next((route for route in ROUTES if route.matches(path)), None)
