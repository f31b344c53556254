"""The JSON a product page carries for machines: its schema.org ``Product``
(JSON-LD, for search engines) and the product the cart script reads.

Built in Python rather than as dict literals in ``product.html``: in Jinja
each value of a literal is an attribute lookup through the context, and the
image URLs took two ``map`` filters; in Python the two cost about half what
they did (about a tenth of rendering a product page, the build's largest
cost at 10,000 products, is now the JSON encoding itself). The encoding is
Jinja's own ``tojson`` (keys sorted, HTML-safe), so the pages are byte for
byte what the template literals made. Templates call them as
globals (``product_jsonld(product, shop, SITEURL)``,
``product_script_data(product, shop, SITEURL, T)``).
"""

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

AVAILABILITY = {"tersedia": "InStock", "habis": "OutOfStock", "po": "PreOrder"}


def _json(data) -> Markup:
    """``data|tojson`` as Jinja writes it with its default policies (the
    project sets none: ``json.dumps`` with sorted keys, made HTML-safe)."""
    return htmlsafe_json_dumps(data, sort_keys=True)


def product_jsonld(product, shop, site_url: str) -> Markup:
    """schema.org ``Product`` with its ``Offer`` (``AggregateOffer`` over variants)."""
    url = site_url + product.url
    offer = {"priceCurrency": "IDR",
             "availability": "https://schema.org/" + AVAILABILITY[product.stock], "url": url,
             "seller": {"@type": "Organization", "name": shop.title, "url": site_url + shop.url}}
    if product.variants:
        prices = [variant["price"] for variant in product.variants]
        offer.update({"@type": "AggregateOffer", "lowPrice": min(prices),
                      "highPrice": max(prices), "offerCount": len(prices)})
    else:
        offer.update({"@type": "Offer", "price": product.price})
    return _json({
        "@context": "https://schema.org", "@type": "Product", "name": product.title,
        "sku": product.id, "description": product.summary, "category": product.category,
        # each site-absolute path made an absolute URL
        "image": [image.src.replace("/", site_url + "/", 1) for image in product.images],
        "brand": {"@type": "Brand", "name": shop.title}, "offers": offer,
    })


def product_script_data(product, shop, site_url: str, texts) -> Markup:
    """The product and its shop as the order scripts read them (``#produk``)."""
    return _json({
        "id": product.id, "title": product.title, "url": product.url,
        "price": product.price, "variants": product.variants, "whatsapp": shop.whatsapp,
        "wa": texts["product_page"]["whatsapp_message"], "site": texts["site_name"],
        "abs": site_url + product.url,
        "shop": {"id": shop.id, "title": shop.title, "url": shop.url, "payment": shop.payment,
                 "delivery": shop.delivery, "delivery_fee": shop.delivery_fee},
    })
