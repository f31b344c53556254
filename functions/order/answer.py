"""The answer step: a placed order as the JSON reply or the confirmation URL
(the HTML pages are ``order.pages``). WhatsApp links come from
``order.whatsapp``."""

from order import whatsapp

ORDER_PATH = "/api/order"
ORDER_FIELDS = ("code", "shop", "shop_title", "lines", "subtotal", "delivery_fee", "total",
                "whatsapp_url")


def confirmation_url(code: str, token: str) -> str:
    return f"{ORDER_PATH}/{code}?t={token}"


def order_json(placed) -> dict:
    """The 201 body (docs/ORDERS.md): the checkout code, its confirmation URL
    and each shop's order with its WhatsApp link, ``status`` and ``history``."""
    from lifecycle.view import public

    return {
        "code": placed.code,
        "confirmation_url": confirmation_url(placed.code, placed.token),
        "orders": [{key: order[key] for key in ORDER_FIELDS} | public(order)
                   for order in whatsapp.with_links(placed.orders, placed.checkout["buyer"])],
    }
