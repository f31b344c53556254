"""A join submission from the parsed form to the inbox.

``submit(submission, ip_key)``: honeypot, per-address rate limit, the content
rules (``daftar.check``), the photos (``daftar.photos.inspect``); then the
photos are copied under ``inbox/<ref>/``, the JSON written, and the record
with its emails stored in one transaction (``daftar.records``), after which
the mail jobs go on the queue. ``find(ref, token)`` is the status page's read.
"""

import logging
import os
import secrets
import time
from dataclasses import dataclass

from backend import codes, mailqueue, ratelimit, store
from warung.text import texts

from daftar import check, mail, photos, records
from daftar.fields import Submission

log = logging.getLogger(__name__)

STATUS_PATH = "/api/daftar"
RATE = (10, 3600)  # submissions per address and hour


class Invalid(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class NeedPhotos(Exception):
    """The text is valid and only photos are missing, without the page's script:
    the no-JavaScript photo step follows (``daftar.draft``)."""


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Stored:
    ref: str
    token: str

    @property
    def status_url(self) -> str:
        return status_url(self.ref, self.token)


def status_url(ref: str, token: str) -> str:
    return f"{STATUS_PATH}/{ref}?t={token}"


def new_ref() -> str:
    return "PJ-" + "".join(secrets.choice(codes.ALPHABET) for _ in range(8))


def _photo_errors(submission: Submission) -> tuple[dict, dict]:
    """(errors by field, key -> photo type) for every uploaded photo."""
    m, errors, kinds = texts()["daftar_galat"], {}, {}
    shown = {"missing": m["foto_rusak"], "too_big": m["foto_terlalu_besar"],
             "not_image": m["foto_bukan_gambar"]}
    wanted = [(f"product-{p['n']}-photo", key) for p in submission.products
              if not p.get("remove") for key in p["photos"]]
    if submission.shop.get("logo"):
        wanted.append(("logo", submission.shop["logo"]))
    for name, key in wanted:
        if name in errors or not check.PHOTO_KEY.match(key):
            continue
        if not key.startswith("unggah/"):  # only the seller's own fresh uploads
            errors[name] = m["foto_rusak"]
            continue
        try:
            kinds[key] = photos.inspect(key)
        except photos.BadPhoto as bad:
            errors[name] = shown[bad.reason].format(name=key.rsplit("/", 1)[-1])
    return errors, kinds


def validate(submission: Submission, *, need_products: bool = True) -> dict:
    """Every problem (rules, then photos); raises ``Invalid``."""
    errors = check.check(submission, need_products=need_products)
    photo_errors, kinds = _photo_errors(submission)
    for name, message in photo_errors.items():
        errors.setdefault(name, message)
    if errors:
        raise Invalid(errors)
    return kinds


def _limit(ip_key: str) -> None:
    hit = ratelimit.hit("daftar", ip_key, *RATE)
    if not hit.allowed:
        raise RateLimited(hit.retry_after)


def _move_photos(submission: Submission, ref: str) -> dict:
    moved = {}
    for key in [k for p in submission.products for k in p["photos"]] + \
               ([submission.shop["logo"]] if submission.shop.get("logo") else []):
        moved[key] = records.copy_photo(key, ref)
    return moved


def _data(submission: Submission, ref: str, kind: str, moved: dict, extra: dict) -> dict:
    products = [{**p, "photos": [moved.get(k, k) for k in p["photos"]]}
                for p in submission.products]
    shop = {**submission.shop}
    if shop.get("logo"):
        shop["logo"] = moved.get(shop["logo"], shop["logo"])
    return {"ref": ref, "kind": kind, "shop": shop, "products": products, **extra}


def store_submission(submission: Submission, *, kind: str = "daftar",
                     extra: dict | None = None, record_extra: dict | None = None) -> Stored:
    """Photos, JSON, then the record and its emails; the jobs go on the queue."""
    ref, token, now = new_ref(), codes.new_token(), time.time()
    moved = _move_photos(submission, ref)
    records.put_json(ref, _data(submission, ref, kind, moved, extra or {}))
    record = {"ref": ref, "kind": kind, "status": "menunggu", "reason": "",
              "token_hash": codes.hash_token(token), "created_at": store.now_iso(),
              "shop_title": submission.shop.get("title", ""),
              "kecamatan": submission.shop.get("kecamatan", ""),
              "products": len(submission.products), "problems": 0,
              "email": submission.shop.get("email", ""), **(record_extra or {})}
    staff_items, staff_jobs = mail.staff_mail(record, now)
    seller_items, seller_jobs = mail.seller_mail(record, status_url(ref, token),
                                                 os.environ.get("SITE_URL", ""))
    jobs = staff_jobs + seller_jobs
    records.put(record, staff_items + seller_items, jobs)
    if jobs:
        mailqueue.enqueue(ref, jobs)
    return Stored(ref, token)


def submit(submission: Submission, ip_key: str) -> Stored | None:
    """Store a valid join submission; None for a filled honeypot (nothing stored)."""
    if submission.website.strip():
        log.warning("seller form honeypot filled; nothing stored")
        return None
    try:
        validate(submission)
    except Invalid as invalid:
        missing = texts()["daftar_galat"]["foto_wajib"]
        if not submission.js and all(k.endswith("-photo") and v == missing
                                     for k, v in invalid.errors.items()):
            raise NeedPhotos() from None
        raise
    _limit(ip_key)  # valid submissions only: a seller fixing typos is never stopped
    return store_submission(submission)


def find(ref: str, token: str | None) -> dict | None:
    record = records.get(ref) if ref.startswith("PJ-") and len(ref) <= 16 else None
    if record is None or not codes.token_matches(token, record.get("token_hash")):
        return None
    return record


def photo_allowed(ip_key: str) -> bool:
    """Presigned uploads per address and hour (3 photos x 10 products, retried)."""
    return ratelimit.hit("foto", ip_key, 120, 3600).allowed
