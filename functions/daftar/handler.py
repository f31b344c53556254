"""Lambda handler of the seller form (Function URL, payload 2.0).

Routes (docs/PENJUAL.md): ``POST /api/daftar`` a join submission (form ->
303 to the status page, JSON -> 201 ``{"ref", "status_url"}``);
``GET /api/daftar/<ref>?t=<token>`` the status page;
``POST /api/daftar/foto`` one presigned photo upload (JSON). Checks run
cheapest first, as the order function's: origin secret, Origin, size (413
over 64 KB of text), media type, parsing; then ``daftar.service``.
Module-level imports stay light (no boto3, no jinja2, not even the
rules: ``daftar.service`` is imported by the routes that need it).
"""

import json
import logging
import math

from backend import function_url as web
from warung.text import texts

from daftar import fields

log = logging.getLogger(__name__)

BASE = "/api/daftar"
# A page whose link no longer (or never) matched: 410, not 404, because
# CloudFront replaces every 404 body with /404.html (functions/template.yaml).
GONE = 410


def _m() -> dict:
    return texts()["daftar_galat"]


def _problem(event, status: int, message: str, headers: dict | None = None) -> dict:
    if web.wants_json(event):
        return web.json_response(status, {"errors": {"_": message}}, headers)
    from daftar import pages

    return web.html_response(status, pages.message(texts()["daftar_halaman"]["error_title"],
                                                   message), headers)


def _action(event) -> str:
    """Where the form posts again: the photo step's submit goes back to the form."""
    path = web.path(event)
    return BASE if path.startswith(BASE + "/foto/") else path


def _form_again(event, submission, errors: dict, status: int = 400,
                headers: dict | None = None) -> dict:
    if web.wants_json(event):
        return web.json_response(status, {"errors": errors}, headers)
    from daftar import pages

    mode = "ubah" if submission.session else "daftar"
    return web.html_response(status, pages.form(submission.values(), errors, mode=mode,
                                                 session=submission.session,
                                                 action=_action(event)),
                             {**pages.upload_csp(), **(headers or {})})


def read(event):
    """(submission, None) or (None, error response)."""
    if not web.origin_allowed(event):
        return None, _problem(event, 403, _m()["forbidden"].format(site=texts()["site_name"]))
    try:
        body = web.body_text(event)
    except web.BodyTooLarge:
        return None, _problem(event, 413, _m()["too_large"])
    except web.BadBody:
        return None, _problem(event, 400, _m()["bad_request"])
    content_type = web.header(event, "content-type")
    try:
        if content_type.split(";")[0].strip().lower() == "application/json":
            data = json.loads(body)
            pairs = [(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])]
            return fields.from_pairs([(str(k), str(v)) for k, v in pairs]), None
        return fields.parse(body, content_type), None
    except fields.UnsupportedMediaType:
        return None, _problem(event, 415, _m()["unsupported"])
    except fields.FileNotAllowed:
        return None, _problem(event, 400, _m()["file_tidak_boleh"])
    except (fields.ParseError, ValueError, AttributeError):
        return None, _problem(event, 400, _m()["bad_request"])


def stored_response(event, stored) -> dict:
    url = stored.status_url
    if web.wants_json(event):
        return web.json_response(201, {"ref": stored.ref, "status_url": url}, {"location": url})
    return web.redirect(url)


def post_daftar(event, submission=None) -> dict:
    from daftar import service

    if submission is None:
        submission, problem = read(event)
        if problem:
            return problem
    try:
        stored = service.submit(submission, web.rate_key(web.client_ip(event)))
    except service.Invalid as invalid:
        return _form_again(event, submission, invalid.errors)
    except service.NeedPhotos:
        from daftar import draft

        return web.redirect(draft.url(*draft.create(submission)))
    except service.RateLimited as limited:
        minutes = max(1, math.ceil(limited.retry_after / 60))
        return _form_again(event, submission, {"_": _m()["too_many"].format(minutes=minutes)},
                           429, {"retry-after": str(limited.retry_after)})
    except Exception:
        log.exception("seller submission not stored")
        return _form_again(event, submission, {"_": _m()["unavailable"]}, 503,
                           {"retry-after": "30"})
    if stored is None:  # the honeypot: answered like a success, nothing stored
        stored = service.Stored(service.new_ref(), "x")
    return stored_response(event, stored)


def get_status(event, ref: str) -> dict:
    from daftar import pages, service

    record = service.find(ref, web.query(event, "t"))
    if record is None:
        d = texts()["daftar_halaman"]
        return web.html_response(GONE, pages.message(d["not_found_title"], _m()["not_found"]))
    return web.html_response(200, pages.status(record))


def post_photo(event) -> dict:
    """One presigned upload for the page's script: ``{"type": "image/jpeg"}``."""
    from daftar import photos, service

    if not web.origin_allowed(event):
        return web.json_response(403, {"errors": {"_": _m()["forbidden"].format(
            site=texts()["site_name"])}})
    try:
        wanted = json.loads(web.body_text(event, 1024) or "{}").get("type", "")
        if not service.photo_allowed(web.rate_key(web.client_ip(event))):
            return web.json_response(429, {"errors": {"_": _m()["too_many"].format(minutes=60)}})
        return web.json_response(200, photos.presign(wanted))
    except (web.BodyTooLarge, web.BadBody, ValueError, AttributeError):
        return web.json_response(400, {"errors": {"_": _m()["foto_bukan_gambar"].format(
            name=str(locals().get("wanted", ""))[:40])}})


def photo_step(event, method: str, draft_id: str) -> dict:
    """The no-JavaScript photo step (``daftar.draft``)."""
    import os

    from daftar import draft, pages

    token = web.query(event, "t")
    submission = draft.load(draft_id, token)
    if submission is None:
        d = texts()["daftar_halaman"]
        return web.html_response(GONE, pages.message(d["not_found_title"], _m()["not_found"]))
    if method == "POST":
        if not web.origin_allowed(event):
            return _problem(event, 403, _m()["forbidden"].format(site=texts()["site_name"]))
        submission.js = True  # no second photo step: a missing photo is an error now
        return post_daftar(event, submission)
    if web.query(event, "key"):
        draft.add_photo(draft_id, submission, web.query(event, "n") or "", web.query(event, "key"))
    forms = draft.upload_forms(draft_id, token, submission, os.environ.get("SITE_URL", ""))
    return web.html_response(200, pages.render("photos.html", forms=forms,
                                               action=draft.url(draft_id, token)),
                             pages.upload_csp())


def route(event, method: str, path: str) -> dict:
    if path.startswith("/api/ubah"):
        from daftar import ubah

        if method == "POST" and not web.origin_allowed(event):
            return _problem(event, 403, _m()["forbidden"].format(site=texts()["site_name"]))
        found = ubah.route(event, method, path)
        if found is not None:
            return found
    if path == BASE:
        if method == "POST":
            return post_daftar(event)
        return _problem(event, 405, _m()["method_not_allowed"], {"allow": "POST"})
    if path == BASE + "/foto" and method == "POST":
        return post_photo(event)
    if path.startswith(BASE + "/foto/") and path.count("/") == 4:
        return photo_step(event, method, path.rsplit("/", 1)[1])
    if path.startswith(BASE + "/") and path.count("/") == 3 and method in ("GET", "HEAD"):
        response = get_status(event, path.rsplit("/", 1)[1])
        return {**response, "body": ""} if method == "HEAD" else response
    return _problem(event, 404, _m()["not_found"])


def handler(event, context=None) -> dict:
    method, path = web.method(event), web.path(event).rstrip("/") or "/"
    try:
        if not web.origin_verified(event):
            return _problem(event, 403, texts()["akses"]["langsung"].format(
                site=texts()["site_name"]))
        return route(event, method, path)
    except Exception:  # never a stack trace to the seller
        log.exception("daftar handler failed")
        return _problem(event, 503, _m()["unavailable"], {"retry-after": "30"})
