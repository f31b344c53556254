"""HTTP plumbing for the Lambda Function URL events (payload 2.0).

Reading: headers (lower-case names), the body (base64 or not, size checked
before decoding or parsing), the Origin check, the client IP. Writing:
JSON, HTML and redirect responses with safe headers.
"""

import base64
import binascii
import json
import os
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 64 * 1024


class BodyTooLarge(Exception):
    pass


class BadBody(Exception):
    pass


def header(event: dict, name: str) -> str:
    headers = event.get("headers") or {}
    value = headers.get(name)
    if value is None:  # tolerate mixed-case names from other callers
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value or ""


def method(event: dict) -> str:
    return ((event.get("requestContext") or {}).get("http") or {}).get("method", "GET").upper()


def path(event: dict) -> str:
    return event.get("rawPath") or ((event.get("requestContext") or {}).get("http") or {}).get("path", "/")


def query(event: dict, name: str) -> str | None:
    params = event.get("queryStringParameters") or {}
    if name in params:
        return params[name]
    values = parse_qs(event.get("rawQueryString") or "").get(name)
    return values[0] if values else None


def body_text(event: dict, limit: int = MAX_BODY) -> str:
    """The body as text; ``BodyTooLarge`` past ``limit`` bytes, checked before decoding."""
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        if len(raw) > (limit + 2) // 3 * 4 + 4:
            raise BodyTooLarge()
        try:
            data = base64.b64decode(raw, validate=False)
        except (binascii.Error, ValueError) as err:
            raise BadBody(str(err)) from None
    else:
        if len(raw) > limit:  # characters <= bytes, so this is a cheap first cut
            raise BodyTooLarge()
        data = raw.encode("utf-8", errors="surrogatepass")
    if len(data) > limit:
        raise BodyTooLarge()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadBody(str(err)) from None


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def allowed_origins() -> set[str]:
    found = {_origin(o) for o in os.environ.get("ALLOWED_ORIGINS", "").split(",") if o.strip()}
    if os.environ.get("SITE_URL"):
        found.add(_origin(os.environ["SITE_URL"]))
    found.discard("")
    return found


def origin_allowed(event: dict) -> bool:
    """A present Origin must be ours; a missing one is fine (old browsers'
    plain form posts) unless the browser says the request is cross-site."""
    origin = header(event, "origin").strip()
    if origin:
        return origin.lower().rstrip("/") in allowed_origins()
    return header(event, "sec-fetch-site").lower() not in ("cross-site",)


def client_ip(event: dict) -> str:
    """The buyer's address: CloudFront's viewer address when present (it
    overwrites that header), else the Function URL's source IP."""
    viewer = header(event, "cloudfront-viewer-address")
    if viewer:
        return viewer.rsplit(":", 1)[0].strip("[]")
    return ((event.get("requestContext") or {}).get("http") or {}).get("sourceIp") or "unknown"


def wants_json(event: dict) -> bool:
    content_type = header(event, "content-type").split(";")[0].strip().lower()
    accept = header(event, "accept").lower()
    return content_type == "application/json" or (
        "application/json" in accept and "text/html" not in accept)


_COMMON = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
_HTML = {
    **_COMMON,
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "x-robots-tag": "noindex, nofollow",
}


def json_response(status: int, data, headers: dict | None = None) -> dict:
    return {
        "statusCode": status,
        "headers": {**_COMMON, "content-type": "application/json; charset=utf-8", **(headers or {})},
        "body": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    }


def html_response(status: int, html: str, headers: dict | None = None) -> dict:
    return {"statusCode": status, "headers": {**_HTML, **(headers or {})}, "body": html}


def redirect(location: str, status: int = 303) -> dict:
    return {"statusCode": status, "headers": {**_COMMON, "location": location}, "body": ""}
