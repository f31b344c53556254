"""A smoke run of ``bench/order_load.py`` (a few orders, no timing asserted):
its figures add up, and nothing accepted is lost."""

import sys
from argparse import Namespace

from local.live import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import order_load  # noqa: E402


def test_a_short_load_run_stores_and_mails_every_accepted_order(live_server, built_site, capsys):
    assert live_server.wait_until_mailed()  # earlier tests' mail is out of the way
    args = Namespace(seconds=2.0, clients=2, window=1.0, drain_timeout=120.0)
    figures = order_load.run(args, live_server, order_load.orderable(built_site.catalog),
                             built_site.catalog["build"])
    printed = capsys.readouterr().out
    assert figures["accepted"] > 0
    assert figures["accepted"] == figures["stored"] == figures["emailed"], printed
    assert figures["ok"] and "result     OK" in printed
    assert sum(row["accepted"] for row in figures["windows"]) == figures["accepted"]
    assert all(row["rss"] for row in figures["windows"])
