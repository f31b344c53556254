"""The JSON a product page carries for machines: its schema.org ``Product``
(JSON-LD, for search engines) and the product the cart script reads.

The pages hold exactly what Jinja's ``tojson`` writes with its default
policies (``json.dumps`` with sorted keys, then made HTML-safe); the
template literals these replaced (kept in tests/catalog/test_page_data.py)
are the reference. ``json.dumps`` of the two objects was a fifth of
rendering a product page (about 30 µs; product pages are the build's
largest cost at 10,000 products). So each object is written out here with
its keys in sorted order, as ``json.dumps(sort_keys=True)`` writes them;
each value goes through ``_json``, and what every product page of a shop
shares is written once per shop. Templates call them as globals
(``product_jsonld(product, shop, SITEURL)``,
``product_script_data(product, shop, SITEURL, T)``).
"""

import json
from functools import lru_cache

from markupsafe import Markup

AVAILABILITY = {"tersedia": "InStock", "habis": "OutOfStock", "po": "PreOrder"}
_string = json.encoder.encode_basestring_ascii  # a str as json.dumps writes it


def _json(value) -> str:
    """``value|tojson``: a string by json's own C string encoder and an int
    by ``int.__repr__`` (what json.dumps does with them), anything else by
    json.dumps; made HTML-safe as ``htmlsafe_json_dumps`` makes it."""
    if type(value) is int:
        return int.__repr__(value)
    text = _string(value) if type(value) is str else json.dumps(value, sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027"))


@lru_cache(maxsize=256)
def _brand_and_seller(title: str, shop_url: str) -> tuple[str, str]:
    name = _json(title)
    return (f'{{"@type": "Brand", "name": {name}}}',
            f'{{"@type": "Organization", "name": {name}, "url": {_json(shop_url)}}}')


def product_jsonld(product, shop, site_url: str) -> Markup:
    """schema.org ``Product`` with its ``Offer`` (``AggregateOffer`` over variants)."""
    brand, seller = _brand_and_seller(shop.title, site_url + shop.url)
    availability = '"https://schema.org/' + AVAILABILITY[product.stock] + '"'
    url = _json(site_url + product.url)
    if product.variants:
        prices = [variant["price"] for variant in product.variants]
        offers = (f'{{"@type": "AggregateOffer", "availability": {availability}, '
                  f'"highPrice": {_json(max(prices))}, "lowPrice": {_json(min(prices))}, '
                  f'"offerCount": {len(prices)}, "priceCurrency": "IDR", '
                  f'"seller": {seller}, "url": {url}}}')
    else:
        offers = (f'{{"@type": "Offer", "availability": {availability}, '
                  f'"price": {_json(product.price)}, "priceCurrency": "IDR", '
                  f'"seller": {seller}, "url": {url}}}')
    # each site-absolute path made an absolute URL
    images = ", ".join([_json(image.src.replace("/", site_url + "/", 1))
                        for image in product.images])
    return Markup(
        f'{{"@context": "https://schema.org", "@type": "Product", "brand": {brand}, '
        f'"category": {_json(product.category)}, "description": {_json(product.summary)}, '
        f'"image": [{images}], "name": {_json(product.title)}, "offers": {offers}, '
        f'"sku": {_json(product.id)}}}')


@lru_cache(maxsize=256)
def _shop_script_data(shop, message: str, site_name: str) -> tuple[str, str]:
    """The cart data's parts that every page of a shop shares: the members
    from ``shop`` to ``site``, and from ``wa`` to the end (a ``Shop`` is not
    changed once loaded: it is its own key)."""
    shop_json = (f'{{"delivery": {_json(shop.delivery)}, '
                 f'"delivery_fee": {_json(shop.delivery_fee)}, "id": {_json(shop.id)}, '
                 f'"payment": {_json(shop.payment)}, "title": {_json(shop.title)}, '
                 f'"url": {_json(shop.url)}}}')
    return (f'"shop": {shop_json}, "site": {_json(site_name)}',
            f'"wa": {_json(message)}, "whatsapp": {_json(shop.whatsapp)}}}')


def product_script_data(product, shop, site_url: str, texts) -> Markup:
    """The product and its shop as the order scripts read them (``#produk``)."""
    shop_and_site, wa_to_end = _shop_script_data(
        shop, texts["product_page"]["whatsapp_message"], texts["site_name"])
    variants = _json(product.variants) if product.variants else "[]"
    return Markup(
        f'{{"abs": {_json(site_url + product.url)}, "id": {_json(product.id)}, '
        f'"price": {_json(product.price)}, {shop_and_site}, "title": {_json(product.title)}, '
        f'"url": {_json(product.url)}, "variants": {variants}, {wa_to_end}')


def forget_shops() -> None:
    """Drop the shops' parts written so far: a long-lived builder's next
    build has new ``Shop`` objects (the old ones, with their products, would
    stay alive as keys)."""
    _brand_and_seller.cache_clear()
    _shop_script_data.cache_clear()
