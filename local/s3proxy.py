"""``/_dev/s3/*``: moto's S3 on the site's own origin, so a browser can post
the seller form's photos (S3 presigned POST) to the local run as it posts
them to S3 in the cloud. ``UPLOAD_URL=/_dev/s3`` makes ``daftar.photos``
hand out URLs under this path; the request goes to moto unchanged (minus
the prefix) and moto's answer (e.g. the 303 of ``success_action_redirect``)
comes back unchanged.

``/_dev/aws.json`` tells the staff commands (``make inbox`` ...) where this
run's AWS emulator is and the functions' environment, so they work with no
settings against a running ``make serve``.
"""

import http.client
import json
import os
from urllib.parse import urlsplit

PREFIX = "/_dev/s3"
MAX_UPLOAD = 16 * 1024 * 1024  # a 15 MB photo and the form fields
# The functions' environment the staff commands need.
SHARED_ENV = ("ORDERS_TABLE", "MAIL_QUEUE_URL", "INBOX_BUCKET", "CATALOG_BUCKET", "CATALOG_KEY",
              "MAIL_FROM", "SITE_URL", "STAFF_EMAIL", "OFFICE_WHATSAPP", "AWS_REGION")


def aws_info() -> bytes:
    env = {key: os.environ.get(key, "") for key in SHARED_ENV}
    return json.dumps({"endpoint": os.environ.get("AWS_ENDPOINT_URL", ""), "env": env}).encode()


def forward(method: str, path: str, headers, body: bytes) -> tuple[int, list, bytes]:
    """Send one request to moto's server; (status, headers, body) of its answer."""
    target = urlsplit(os.environ["AWS_ENDPOINT_URL"])
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    skip = {"host", "content-length", "connection", "accept-encoding", "origin", "referer"}
    sent = {name: value for name, value in headers if name.lower() not in skip}
    sent["Content-Length"] = str(len(body))
    try:
        connection.request(method, path[len(PREFIX):] or "/", body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        return response.status, [(k, v) for k, v in response.getheaders()
                                 if k.lower() not in ("server", "date")], data
    finally:
        connection.close()
