"""Lambda Function URL events (payload 2.0) in, responses out: the HTTP
plumbing of the order and search functions (pure: no AWS calls).

Reading: headers (lower-case names), the method, path and query, the body
(base64 or not, size checked before decoding), what the client wants back
(JSON or HTML), the Origin check, the CloudFront origin secret and the
client's address. Writing: JSON, HTML and redirect responses with safe
headers.

The origin secret: CloudFront adds ``X-Warung-Origin: <OriginVerifySecret>``
to every request it forwards to a function (functions/template.yaml). With
``ORIGIN_SECRET`` set, a request without that exact header came straight to
the Function URL, around CloudFront, and is refused (``origin_verified``);
only a verified request's ``CloudFront-Viewer-Address`` is believed. Locally
the variable is unset: no check, and the source address is the client's.
"""

import base64
import binascii
import hmac
import ipaddress
import json
import os
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 64 * 1024
ORIGIN_HEADER = "x-warung-origin"

COMMON_HEADERS = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    # Same-origin requests carry the page's origin (form posts from the error
    # and confirmation pages keep a real Origin header); other sites get none.
    # "no-referrer" made Chromium send "Origin: null" from our own pages.
    "referrer-policy": "same-origin",
}
# The pages load the site's stylesheet and, where they say so, its cart script.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HTML_HEADERS = {
    **COMMON_HEADERS,
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": CSP,
    "x-robots-tag": "noindex, nofollow",
}


class BodyTooLarge(Exception):
    pass


class BadBody(Exception):
    pass


# --- reading ------------------------------------------------------------------

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
    """The first value of a query parameter (rawQueryString keeps repeats apart)."""
    raw = event.get("rawQueryString")
    if raw is not None:
        values = parse_qs(raw, keep_blank_values=True).get(name)
        if values:
            return values[0]
    return (event.get("queryStringParameters") or {}).get(name)


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


def wants_json(event: dict) -> bool:
    """JSON for ``format=json``, a JSON body, or an Accept that prefers JSON to HTML."""
    if (query(event, "format") or "").lower() == "json":
        return True
    content_type = header(event, "content-type").split(";")[0].strip().lower()
    accept = header(event, "accept").lower()
    return content_type == "application/json" or (
        "application/json" in accept and "text/html" not in accept)


# --- who is asking ------------------------------------------------------------

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
    """Same-origin posts pass, cross-site ones never do.

    - A real Origin must be one of ours (``ALLOWED_ORIGINS``, ``SITE_URL``).
    - ``Origin: null`` (a privacy-minded browser, a strict referrer policy)
      passes only when the browser vouches ``Sec-Fetch-Site: same-origin``.
    - No Origin at all (old and proxy browsers, Opera Mini's plain forms)
      passes unless the browser says the request is cross-site.
    """
    origin = header(event, "origin").strip()
    fetch_site = header(event, "sec-fetch-site").strip().lower()
    if origin and origin.lower() != "null":
        return origin.lower().rstrip("/") in allowed_origins()
    if origin:
        return fetch_site == "same-origin"
    return fetch_site != "cross-site"


def origin_verified(event: dict) -> bool:
    """True when the request came through CloudFront (or no secret is configured)."""
    secret = os.environ.get("ORIGIN_SECRET", "")
    if not secret:
        return True
    sent = header(event, ORIGIN_HEADER)
    return hmac.compare_digest(sent.encode("utf-8"), secret.encode("utf-8"))


def client_ip(event: dict) -> str:
    """The buyer's address: CloudFront's viewer address when the request is
    verified as CloudFront's (which overwrites that header), else the
    Function URL's source address."""
    if os.environ.get("ORIGIN_SECRET") and origin_verified(event):
        viewer = header(event, "cloudfront-viewer-address")
        if viewer:
            return viewer.rsplit(":", 1)[0].strip("[]")
    return ((event.get("requestContext") or {}).get("http") or {}).get("sourceIp") or "unknown"


def rate_key(ip: str) -> str:
    """What a per-address limit counts: an IPv4 address as is, an IPv6 one as
    its /64 (one subscriber gets a whole /64 and can pick any address in it)."""
    try:
        address = ipaddress.ip_address(str(ip).strip())
    except ValueError:
        return str(ip or "unknown")[:64]
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


# --- writing ------------------------------------------------------------------

def json_response(status: int, data, headers: dict | None = None) -> dict:
    return {
        "statusCode": status,
        "headers": {**COMMON_HEADERS, "content-type": "application/json; charset=utf-8",
                    **(headers or {})},
        "body": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    }


def html_response(status: int, html: str, headers: dict | None = None) -> dict:
    return {"statusCode": status, "headers": {**HTML_HEADERS, **(headers or {})}, "body": html}


def redirect(location: str, status: int = 303) -> dict:
    return {"statusCode": status, "headers": {**COMMON_HEADERS, "location": location}, "body": ""}
