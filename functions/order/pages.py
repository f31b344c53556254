"""The HTML the order function answers with (Jinja2, autoescaped).

- ``confirmation(placed)``: the confirmation page (GET after the 303);
- ``order_form(submission, errors, form, action)``: the 400 page that
  shows the form again with the buyer's input and a message per field;
- ``message(title, text)``: 403/404/413/429 pages.

Jinja2 is imported on first render, not at cold start.
"""

from pathlib import Path

from backend.pages import environment as shared_environment
from warung import wilayah
from warung.phone import display_mobile
from warung.text import texts

from order import whatsapp

TEMPLATES = Path(__file__).with_name("templates")


def render(name: str, **context) -> str:
    t = texts()
    return shared_environment(TEMPLATES).get_template(name).render(
        T=t, P=t["pesanan_halaman"], **context)


def with_whatsapp(orders: list[dict], buyer: dict) -> list[dict]:
    """The orders, each with its prefilled ``whatsapp_url`` to the seller."""
    return [{**order, "whatsapp_url": whatsapp.link(order, buyer)} for order in orders]


def confirmation(checkout: dict, orders: list[dict]) -> str:
    shown = with_whatsapp(orders, checkout["buyer"])
    return render(
        "confirmation.html", checkout=checkout, orders=shown,
        grand_total=sum(order["total"] for order in orders),
        any_fee_unknown=any(o["delivery"] == "antar" and o["delivery_fee"] is None for o in orders),
        price_changed=bool(checkout.get("build") and checkout.get("catalog_build")
                           and checkout["build"] != checkout["catalog_build"]),
        buyer_phone=display_mobile(checkout["buyer"]["phone"]),
        # No promise of an email the buyer will not get (over the daily limit).
        email_promised=bool(checkout["buyer"].get("email"))
        and checkout.get("email_status") in ("queued", "sent"),
    )


def order_form(submission: dict, errors: dict, form, action: str = "/api/order",
               general: str | None = None) -> str:
    """The form again (``form``: a ``validate.FormView``), with the buyer's input."""
    values = {key: value for key, value in submission.items() if key not in ("item", "qty")}
    return render(
        "form.html", values=values, errors=errors, lines=form.lines,
        action=action, general=general or errors.get("_"),
        kecamatan_names=wilayah.kecamatan_names(),
        delivery_methods=form.delivery_methods, payment_methods=form.payment_methods,
    )


def message(title: str, text: str) -> str:
    return render("message.html", title=title, text=text)
