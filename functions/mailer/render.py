"""Render the emails (pure): order records in, subject + text + HTML out.

The records are turned into small view dicts first (amounts formatted with
``format_rupiah``, labels looked up in the texts, buyer text cleaned), then
Jinja2 renders ``templates/<name>.txt`` (no autoescape) and
``templates/<name>.html`` (autoescape on). Subjects come only from the fixed
texts and order codes, never from buyer text.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from backend.codes import CHECKOUT_CODE, ORDER_CODE
from warung.cleantext import clean_text
from warung.emails import valid_email
from warung.phone import display_mobile, whatsapp_link
from warung.rupiah import format_rupiah
from warung.text import texts

TEMPLATES = Path(__file__).with_name("templates")
WIB = timezone(timedelta(hours=7))
MAX_FIELD = 2000  # characters of one buyer field shown in an email
SUBJECT_CODES = 5  # codes listed in a digest subject before "dan N lainnya"

_WHATSAPP = re.compile(r"62[0-9]{7,13}")


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


def _t() -> dict:
    return texts()["surel"]


def _int(value) -> int:
    return int(value or 0)


def when(created_at) -> str:
    """ISO UTC time -> ``Sabtu, 28 November 2026 pukul 07.41 WIB`` ('-' if unreadable)."""
    t = _t()
    try:
        moment = datetime.fromisoformat(str(created_at))
    except ValueError:
        return t["tidak_ada"]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(WIB)
    return t["format_waktu"].format(
        day=t["hari"][moment.weekday()], date=moment.day, month=t["bulan"][moment.month - 1],
        year=moment.year, hour=moment.hour, minute=moment.minute)


def _whatsapp(number) -> str | None:
    number = str(number or "")
    return number if _WHATSAPP.fullmatch(number) else None


def buyer_view(buyer: dict | None) -> dict:
    buyer = buyer or {}
    phone = _whatsapp(buyer.get("phone"))
    return {
        "name": clean_text(buyer.get("name"), limit=200),
        "phone": phone,
        "phone_display": (display_mobile(phone) if phone
                          else clean_text(buyer.get("phone"), limit=40)),
        "kecamatan": clean_text(buyer.get("kecamatan"), limit=100),
        "desa": clean_text(buyer.get("desa"), limit=100),
        "address": clean_text(buyer.get("address"), multiline=True, limit=MAX_FIELD),
        "note": clean_text(buyer.get("note"), multiline=True, limit=MAX_FIELD),
        "email": valid_email(buyer.get("email")),
    }


def order_view(order: dict) -> dict:
    """One shop order as the templates show it."""
    t = texts()
    code = str(order.get("code") or "")
    buyer = buyer_view(order.get("buyer"))
    fee = order.get("delivery_fee")
    total = _int(order.get("total"))
    shop_title = clean_text(order.get("shop_title"), limit=200)
    seller_whatsapp = _whatsapp(order.get("seller_whatsapp"))
    to_buyer = _t()["pesan_wa_ke_pembeli"].format(
        name=buyer["name"], shop=shop_title, code=code, total=format_rupiah(total))
    to_seller = _t()["pesan_wa_ke_penjual"].format(
        name=buyer["name"], shop=shop_title, code=code, total=format_rupiah(total))
    delivery = str(order.get("delivery") or "")
    payment = str(order.get("payment") or "")
    return {
        "code": code,
        "created": when(order.get("created_at")),
        "shop_title": shop_title,
        "lines": [{
            "title": clean_text(line.get("title"), limit=300),
            "variant": clean_text(line.get("variant"), limit=100),
            "qty": _int(line.get("qty")),
            "price": format_rupiah(_int(line.get("price"))),
            "subtotal": format_rupiah(_int(line.get("subtotal"))),
        } for line in order.get("lines") or []],
        "subtotal": format_rupiah(_int(order.get("subtotal"))),
        "delivery": t["delivery"].get(delivery, clean_text(delivery, limit=40)),
        "fee": None if fee is None else format_rupiah(_int(fee)),
        "total": format_rupiah(total),
        "payment": t["payment"].get(payment, clean_text(payment, limit=40)),
        "buyer": buyer,
        "reply_link": whatsapp_link(buyer["phone"], to_buyer) if buyer["phone"] else None,
        "seller_link": whatsapp_link(seller_whatsapp, to_seller) if seller_whatsapp else None,
        "seller_whatsapp_display": display_mobile(seller_whatsapp) if seller_whatsapp else None,
        # The seller's private page (lifecycle.links): seller and digest emails only.
        "seller_page": order.get("seller_page"),
        "seller_page_note": t["halaman_penjual"]["tautan_surel"],
    }


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False,
                                     default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["nl2br"] = _nl2br
    return env


def _nl2br(value):
    """Escaped text with its newlines as ``<br>`` (HTML templates only)."""
    from markupsafe import Markup, escape

    return Markup("<br>\n").join(escape(line) for line in str(value).split("\n"))


def render_email(template: str, subject: str, /, **context) -> Email:
    """``<name>.txt`` and ``<name>.html`` with the emails' common context."""
    env = _env()
    context = {"T": _t(), "site_name": _t()["nama_pengirim"], "subject": subject, **context}
    return Email(
        subject=subject,
        text=env.get_template(f"{template}.txt").render(context),
        html=env.get_template(f"{template}.html").render(context),
    )


def _code(code) -> str:
    """An order or checkout code checked before it goes into a subject."""
    code = str(code or "")
    if not (ORDER_CODE.fullmatch(code) or CHECKOUT_CODE.fullmatch(code)):
        raise ValueError(f"not an order code: {code[:40]!r}")
    return code


def seller_subject(code: str) -> str:
    return _t()["subjek_penjual"].format(code=_code(code))


def buyer_subject(code: str) -> str:
    return _t()["subjek_pembeli"].format(code=_code(code))


def digest_subject(codes) -> str:
    codes = [_code(code) for code in codes]
    shown = ", ".join(codes[:SUBJECT_CODES])
    if len(codes) > SUBJECT_CODES:
        shown += " " + _t()["subjek_ringkasan_lainnya"].format(count=len(codes) - SUBJECT_CODES)
    return _t()["subjek_ringkasan"].format(count=len(codes), codes=shown)


def render_seller(order: dict) -> Email:
    """The seller's email for one shop order."""
    view = order_view(order)
    return render_email("seller", seller_subject(view["code"]), order=view)


def render_digest(orders: list) -> Email:
    """One email listing several orders of one shop."""
    views = [order_view(order) for order in orders]
    if not views:
        raise ValueError("a digest needs at least one order")
    return render_email("digest", digest_subject([v["code"] for v in views]),
                   orders=views, shop_title=views[0]["shop_title"])


def render_buyer(checkout: dict, orders: list) -> Email:
    """The buyer's confirmation: every shop order of the checkout."""
    views = [order_view(order) for order in orders]
    buyer = buyer_view(checkout.get("buyer"))
    return render_email("buyer", buyer_subject(checkout.get("code")), code=str(checkout.get("code")),
                   created=when(checkout.get("created_at")), buyer=buyer, orders=views,
                   delivered=checkout.get("delivery") == "antar")

