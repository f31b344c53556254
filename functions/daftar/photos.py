"""Photos: straight from the phone to the private inbox bucket by S3
presigned POST (a Function URL takes at most 6 MB a request).

- ``presign(content_type)`` hands out one upload: a fresh key under
  ``unggah/<upload id>/``, the POST URL and fields, with a content-length
  range (1 byte .. 15 MB) and the content-type as conditions. With
  ``redirect`` (the no-JavaScript step), S3 answers 303 to it.
- ``UPLOAD_URL`` overrides the POST URL: the local run serves moto's S3 on
  the site's own origin (``/_dev/s3/<bucket>``) so a browser can reach it.
- ``inspect(key)`` checks an upload on submit, never trusting the browser:
  it exists, is at most 15 MB and starts like a JPEG, PNG or WebP file.
"""

import os
import secrets
from urllib.parse import urlsplit

from backend import clients

MAX_BYTES = 15 * 1024 * 1024
TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
EXPIRES = 3600


class BadPhoto(ValueError):
    """``reason`` is ``missing``, ``too_big`` or ``not_image``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def bucket() -> str:
    return os.environ["INBOX_BUCKET"]


def new_key(content_type: str, upload_id: str | None = None) -> str:
    upload_id = upload_id or secrets.token_urlsafe(12)
    return f"unggah/{upload_id}/{secrets.token_hex(16)}.{TYPES[content_type]}"


def _public_url(url: str) -> str:
    base = os.environ.get("UPLOAD_URL", "").rstrip("/")
    return f"{base}/{bucket()}" if base else url


def upload_origin() -> str:
    """Where browsers post photos: empty for this origin (``UPLOAD_URL`` a path)."""
    base = os.environ.get("UPLOAD_URL", "")
    if base:
        parts = urlsplit(base)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    if os.environ.get("AWS_ENDPOINT_URL"):
        return os.environ["AWS_ENDPOINT_URL"].rstrip("/")
    return f"https://{bucket()}.s3.{clients.region()}.amazonaws.com"


def presign(content_type: str, *, upload_id: str | None = None,
            redirect: str | None = None) -> dict:
    """One upload: ``{"url", "fields", "key"}``; ValueError for a type that is not a photo."""
    content_type = str(content_type or "").lower().strip()
    if content_type == "image/jpg":
        content_type = "image/jpeg"
    if content_type not in TYPES:
        raise ValueError(content_type)
    key = new_key(content_type, upload_id)
    fields = {"Content-Type": content_type}
    conditions = [["content-length-range", 1, MAX_BYTES], {"Content-Type": content_type}]
    if redirect:
        fields["success_action_redirect"] = redirect
        conditions.append({"success_action_redirect": redirect})
    else:
        fields["success_action_status"] = "201"
        conditions.append({"success_action_status": "201"})
    post = clients.s3().generate_presigned_post(bucket(), key, Fields=fields,
                                                Conditions=conditions, ExpiresIn=EXPIRES)
    return {"url": _public_url(post["url"]), "fields": post["fields"], "key": key}


def presign_any(upload_id: str, redirect: str) -> dict:
    """The no-JavaScript upload: the browser's own content type, any photo type
    (``starts-with image/``); the key's extension is fixed on submit from the bytes."""
    key = f"unggah/{upload_id}/{secrets.token_hex(16)}.jpg"
    fields = {"success_action_redirect": redirect, "Content-Type": "image/jpeg"}
    conditions = [["content-length-range", 1, MAX_BYTES], ["starts-with", "$Content-Type", "image/"],
                  {"success_action_redirect": redirect}]
    post = clients.s3().generate_presigned_post(bucket(), key, Fields=fields,
                                                Conditions=conditions, ExpiresIn=EXPIRES)
    return {"url": _public_url(post["url"]), "fields": post["fields"], "key": key}


def sniff(head: bytes) -> str | None:
    """The photo type of a file's first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def inspect(key: str) -> str:
    """The photo type of an upload; ``BadPhoto`` when it is missing, too big or no photo."""
    s3 = clients.s3()
    try:
        found = s3.get_object(Bucket=bucket(), Key=key, Range="bytes=0-15")
    except s3.exceptions.NoSuchKey:
        raise BadPhoto("missing") from None
    except Exception as err:  # 404 without the modelled error, 416 for an empty file
        status = getattr(err, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status in (404, 416):
            raise BadPhoto("missing") from None
        raise
    size = int(str(found.get("ContentRange", "")).rsplit("/", 1)[-1] or found["ContentLength"])
    if size > MAX_BYTES:
        raise BadPhoto("too_big")
    kind = sniff(found["Body"].read())
    if kind is None:
        raise BadPhoto("not_image")
    return kind
