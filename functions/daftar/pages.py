"""The seller form's HTML (Jinja2, autoescaped): the form again with the
seller's input and a message per field, the status page, message pages.
The form itself is ``warung/templates/_daftar_form.html``, the same partial
the static ``/daftar/`` page includes."""

import os
from pathlib import Path

from backend.pages import environment
from warung import phone, wilayah
from warung.text import texts

TEMPLATES = Path(__file__).with_name("templates")


def render(name: str, **context) -> str:
    t = texts()
    return environment(TEMPLATES).get_template(name).render(
        T=t, D=t["daftar_halaman"], kecamatan_names=wilayah.kecamatan_names(), **context)


def form(values: dict, errors: dict, *, action: str = "/api/daftar", mode: str = "daftar",
         session: str = "", title: str | None = None) -> str:
    return render("form.html", values=values, errors=errors, action=action, mode=mode,
                  session=session, title=title or texts()["daftar_halaman"]["error_title"])


def office_whatsapp_link(ref: str) -> str | None:
    number = os.environ.get("OFFICE_WHATSAPP", "").strip()
    if not number:
        return None
    try:
        text = texts()["daftar_halaman"]["whatsapp_text"].format(ref=ref)
        return phone.whatsapp_link(phone.normalize_mobile(number), text)
    except ValueError:
        return None


def status(record: dict) -> str:
    return render("status.html", record=record, whatsapp=office_whatsapp_link(record["ref"]))


def message(title: str, text: str) -> str:
    return render("message.html", title=title, text=text, form=None)


def upload_csp() -> dict:
    """The page's headers allowing forms and scripts to reach the upload URL
    (S3 in the cloud; this origin locally)."""
    from backend import function_url as web

    from daftar import photos

    extra = f" {photos.upload_origin()}" if photos.upload_origin() else ""
    csp = web.CSP.replace("connect-src 'self'", "connect-src 'self'" + extra)
    # Same-origin referrers: with no-referrer, Chromium sends "Origin: null"
    # on the form's post and the Origin check would refuse it.
    return {"content-security-policy": csp.replace("form-action 'self'",
                                                   "form-action 'self'" + extra),
            "referrer-policy": "same-origin"}
