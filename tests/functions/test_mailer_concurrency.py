"""Exactly one email per recipient when one order is posted many times at once.

Against the real local stack (``live_server``: ``python -m local.serve`` with
its default 2 mail pollers, moto as AWS): concurrent repeats of one order may
queue its mail jobs more than once and hand the copies to both pollers at the
same time. The mailer's lease on each record's email (``mailer.lease``) must
still turn that into one email per seller and one buyer confirmation.
"""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.fixtures.server import order_fields, pick_products

RUNS = 10
CONCURRENT = 20


def _mails_for(outbox, code: str, to: str) -> list[dict]:
    """The emails to ``to`` whose subject names checkout ``code`` (or one of its orders)."""
    return [mail for mail in outbox if mail["to"] == [to] and code in (mail["subject"] or "")]


def _resent_on_reset(post, tries: int = 5):
    """``post()``, sent again when the connection was reset before an answer
    (a phone on a flaky network does the same; the order is idempotent)."""
    for attempt in range(tries):
        try:
            return post()
        except ConnectionError:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def _post_at_once(count: int, post) -> list:
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: _resent_on_reset(post), range(count)))


def _emails_per_run(live_server, built_site, kind: str, place) -> dict:
    """``RUNS`` two-shop orders, each placed by ``place(fields)`` (which returns
    its checkout code), then, once every mail job is handled: checkout code ->
    ([emails to each seller], emails to its buyer)."""
    products = pick_products(built_site.catalog, 2)
    shops = json.loads(built_site.private_catalog.read_text())["shops"]
    sellers = [shops[product["shop"]]["email"] for product in products]
    codes = {}
    for run in range(RUNS):
        # A buyer address per run: one address gets 3 confirmations a day.
        buyer = f"pembeli.{kind}.{run}.{uuid.uuid4().hex[:8]}@contoh.example"
        fields = order_fields(products, qty=1, phone=f"0812-3456-{7300 + run}",
                              build=built_site.catalog["build"], email=buyer)
        codes[place(fields)] = buyer
    assert live_server.wait_until_mailed(timeout=120), live_server.pending()
    outbox = live_server.outbox()
    return {code: ([len(_mails_for(outbox, f"{code}-{n}", seller))
                    for n, seller in enumerate(sellers, start=1)],
                   len(_mails_for(outbox, code, buyer)))
            for code, buyer in codes.items()}


def test_twenty_concurrent_repeats_of_one_key_mail_each_recipient_once(live_server, built_site):
    def place(fields):
        data = {**fields, "qty": [1, 1], "key": f"serentak-{uuid.uuid4()}"}
        responses = _post_at_once(CONCURRENT, lambda: live_server.post_json("/api/order", data))
        assert {r.status for r in responses} == {201}, [r.text for r in responses][:3]
        codes = {r.json()["code"] for r in responses}
        assert len(codes) == 1, codes  # one checkout for one key
        return codes.pop()

    counts = _emails_per_run(live_server, built_site, "serentak", place)
    exact = [code for code, count in counts.items() if count == ([1, 1], 1)]
    assert len(exact) == RUNS, (counts, live_server.log()[-3000:])


def test_a_double_tap_of_the_plain_form_mails_each_recipient_once(live_server, built_site):
    def place(fields):
        fields = {**fields, "note": f"ketuk dua kali {uuid.uuid4()}"}  # no key: a new order
        responses = _post_at_once(2, lambda: live_server.post_form("/api/order", fields))
        assert {r.status for r in responses} == {303}, [r.text for r in responses]
        places = {r.headers["location"].split("?")[0] for r in responses}
        assert len(places) == 1, places  # the second tap answers the first checkout
        return places.pop().rsplit("/", 1)[1]

    counts = _emails_per_run(live_server, built_site, "ketuk", place)
    assert counts == {code: ([1, 1], 1) for code in counts}, live_server.log()[-3000:]
