"""The seller page's HTML (Jinja2, autoescaped, the shared page layout)."""

from pathlib import Path

from backend.pages import environment, message  # noqa: F401  (the functions' one message page)
from warung.phone import display_mobile, whatsapp_link
from warung.text import texts

from lifecycle import states, view

TEMPLATES = Path(__file__).with_name("templates")


def render(name: str, **context) -> str:
    t = texts()
    return environment(TEMPLATES).get_template(name).render(T=t, H=t["halaman_penjual"], **context)


def order_page(order: dict, token: str, *, saved: bool = False, error: str | None = None) -> str:
    status = states.status_of(order)
    buyer = order.get("buyer") or {}
    phone = str(buyer.get("phone") or "")
    return render(
        "seller.html", order=order, token=token, status=view.status_view(order),
        actions=states.actions_for(status), reasons=states.REASONS,
        reason_words=texts()["alasan_tolak"], saved=saved, error=error,
        buyer=buyer, buyer_phone=display_mobile(phone) if phone else "",
        buyer_whatsapp=whatsapp_link(phone, order.get("code", "")) if phone else None,
        pickup=order.get("delivery") != "antar",
    )


def lookup(code_text: str, phone_text: str, *, error: str | None = None,
           code: str | None = None, orders: list | None = None) -> str:
    shown = [{"code": o.get("code"), "shop_title": o.get("shop_title"), "total": o.get("total"),
              "state": view.status_view(o)} for o in orders or []]
    return render("lookup.html", W=texts()["cari_pesanan"], code_text=code_text,
                  phone_text=phone_text, error=error, code=code, orders=shown)
