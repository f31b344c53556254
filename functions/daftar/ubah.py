"""``/api/ubah``: a seller changes their own shop (docs/PENJUAL.md).

- ``POST /api/ubah`` (``kontak``): asks for a sign-in link (``daftar.signin``);
  the answer is the same page whether or not the contact is known.
- ``GET /api/ubah/masuk?t=``: a page with one button (mail scanners that
  open links do not use it up); ``POST`` it: the link is used, the shop and
  its products come back prefilled, with a session in the form.
- ``POST /api/ubah/kirim``: the changed form; only the difference with the
  catalog goes to the inbox, as kind ``ubah``, for the session's shop alone.
"""

import math

from backend import function_url as web
from warung.text import texts

from daftar import check, fields, pages, prefill, service, signin

BASE = "/api/ubah"


def _u() -> dict:
    return texts()["daftar_ubah"]


def _page(status: int, title: str, text: str, headers: dict | None = None, form=None) -> dict:
    return web.html_response(status, pages.render("message.html", title=title, text=text,
                                                  form=form), headers)


def post_request(event) -> dict:
    from urllib.parse import parse_qs

    try:
        form = parse_qs(web.body_text(event, 4096))
    except (web.BodyTooLarge, web.BadBody):
        return _page(400, _u()["request_title"], texts()["daftar_galat"]["bad_request"])
    if (form.get("website") or [""])[0].strip():
        return _page(200, _u()["sent_title"], _u()["sent_text"])
    try:
        signin.request((form.get("kontak") or [""])[0], web.rate_key(web.client_ip(event)))
    except signin.RateLimited as limited:
        minutes = max(1, math.ceil(limited.retry_after / 60))
        return _page(429, _u()["sent_title"], texts()["daftar_galat"]["too_many"].format(
            minutes=minutes), {"retry-after": str(limited.retry_after)})
    return _page(200, _u()["sent_title"], _u()["sent_text"])


def open_link(event, method: str) -> dict:
    token = web.query(event, "t")
    if method != "POST":
        form = {"action": f"{BASE}/masuk?t={token or ''}", "button": _u()["open_button"]}
        return _page(200, _u()["open_title"], _u()["open_text"],
                     {"referrer-policy": "same-origin"}, form)
    session = signin.consume(token)
    if session is None:
        return _page(410, _u()["used_title"], _u()["used_text"])
    shop = signin.session_shop(session)
    return web.html_response(200, pages.form(prefill.shop_values(shop), {}, mode="ubah",
                                             session=session, action=f"{BASE}/kirim",
                                             title=_u()["form_title"]), pages.upload_csp())


def _errors(diff: dict, before: dict, submission) -> dict:
    merged_shop = {**before["shop"], **diff["shop"]}
    errors = check.check_shop(merged_shop)
    by_n = {p.get("id"): p["n"] for p in submission.products}
    known = {p["id"]: p for p in before["products"]}
    for product in diff["products"]:
        if product["action"] == "baru":
            errors.update(check.check_product(product))
        elif product["action"] == "ubah":
            n = by_n.get(product["id"], 1)
            merged = {**known[product["id"]], **product["changes"], "n": n,
                      "photos": product["photos"]}
            found = check.check_product(merged)
            if not product["photos"]:
                found.pop(f"product-{n}-photo", None)
            errors.update(found)
    photo_errors, _ = service._photo_errors(submission)
    return {**photo_errors, **errors}


def post_changes(event, submission) -> dict:
    shop = signin.session_shop(submission.session)
    if shop is None:
        return _page(403, _u()["used_title"], _u()["session_gone"])
    before = prefill.shop_values(shop)
    diff = prefill.difference(submission.shop, submission.products, before)
    if not diff["shop"] and not diff["products"] and not diff["about"]:
        errors = {"_": _u()["no_changes"]}
    else:
        errors = _errors(diff, before, submission)
    if errors:
        return web.html_response(400, pages.form(submission.values(), errors, mode="ubah",
                                                 session=submission.session,
                                                 action=f"{BASE}/kirim",
                                                 title=_u()["form_title"]), pages.upload_csp())
    titled = fields.Submission(shop={**before["shop"], **diff["shop"]}, products=[
        p for p in diff["products"] if p["action"] != "hapus"])
    stored = service.store_submission(
        titled, kind="ubah", extra={"shop_slug": shop, "changes": diff},
        record_extra={"shop": shop, "quick": diff["quick"], "products": len(diff["products"])})
    return web.redirect(stored.status_url)


def route(event, method: str, path: str) -> dict | None:
    """The /api/ubah routes, or None when the path is not one."""
    if path == BASE and method == "POST":
        return post_request(event)
    if path == BASE + "/masuk" and method in ("GET", "POST"):
        return open_link(event, method)
    if path == BASE + "/kirim" and method == "POST":
        from daftar.handler import read

        submission, problem = read(event)
        return problem or post_changes(event, submission)
    return None
