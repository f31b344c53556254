"""The HTML the order function answers with (Jinja2, autoescaped).

- ``confirmation(placed)``: the confirmation page (GET after the 303);
- ``order_form(submission, errors, form, action)``: the 400 page that
  shows the form again with the buyer's input and a message per field;

Whole-request errors use the functions' one message page
(``backend.pages.problem``).

Jinja2 is imported on first render, not at cold start.
"""

from pathlib import Path

from backend import pages as shared
from warung import wilayah
from warung.phone import display_mobile
from warung.text import texts

from order import whatsapp

TEMPLATES = Path(__file__).with_name("templates")


def render(name: str, **context) -> str:
    return shared.render(TEMPLATES, name, P=texts()["pesanan_halaman"], **context)


def confirmation(checkout: dict, orders: list[dict]) -> str:
    from lifecycle.view import status_view

    shown = [{**order, "state": status_view(order)}
             for order in whatsapp.with_links(orders, checkout["buyer"])]
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
