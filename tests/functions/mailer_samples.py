"""Sample records for the mailer's tests, and the raw message built from them."""

import copy
import email
import email.policy
from datetime import datetime, timezone

from mailer import mime, render

MAIL_FROM = "pesanan@warung.example"
SELLER = "kopi@wanayasa.example"
NOW = datetime(2026, 11, 28, 1, 2, 3, tzinfo=timezone.utc)

ORDER = {
    "pk": "ORDER#WO-7K3M9Q-1", "code": "WO-7K3M9Q-1", "checkout": "WO-7K3M9Q",
    "shop": "kopi-wanayasa", "shop_title": "Kopi Wanayasa", "seller_email": SELLER,
    "seller_whatsapp": "6281234567890",
    "lines": [
        {"id": "kopi-wanayasa/arabika", "title": "Kopi Arabika", "variant": "500 g",
         "qty": 2, "price": 85000, "subtotal": 170000},
        {"id": "kopi-wanayasa/robusta", "title": "Kopi Robusta", "variant": None,
         "qty": 1, "price": 45000, "subtotal": 45000},
    ],
    "subtotal": 215000, "delivery": "antar", "delivery_fee": 5000, "payment": "cod",
    "total": 220000,
    "buyer": {"name": "Siti Aminah", "phone": "6281311112222", "kecamatan": "Wanayasa",
              "desa": "Sukadami", "address": "Kp. Babakan RT 02/03\ndekat masjid",
              "email": "siti@example.com", "note": "Tolong telepon dulu"},
    "created_at": "2026-11-28T00:41:37Z", "email_status": "queued",
}


def order(**changes):
    data = copy.deepcopy(ORDER)
    buyer = changes.pop("buyer", None)
    data.update(changes)
    if buyer:
        data["buyer"].update(buyer)
    return data


def build(record, reply_to="auto"):
    rendered = render.render_seller(record)
    if reply_to == "auto":
        reply_to = record["buyer"].get("email")
    msg = mime.build_message(sender=MAIL_FROM, sender_name="Warung Online Purwakarta",
                             to=record["seller_email"], reply_to=reply_to,
                             subject=rendered.subject, text=rendered.text, html=rendered.html,
                             now=NOW)
    return mime.to_bytes(msg)


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def parts(msg):
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    return text, html
