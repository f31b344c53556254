"""Order load through the local run: throughput, latency, and nothing lost.

Starts ``python -m local.serve`` on a free port (the real order handler and
mailer, moto's server as AWS), then ``--clients`` threads each keep one
HTTP/1.1 connection and POST valid JSON orders (one shop per order, a
unique idempotency key and a different buyer phone each) for ``--seconds``.
It prints orders/s and p50/p95 latency, then waits for the mailer thread to
drain the queue and prints the orders stored (a DynamoDB scan) and the
emails sent (the outbox): both must equal the orders accepted, and no
checkout outbox (mail jobs not yet queued) may be left.

The order function's own switches relax its limits for the run
(``ORDER_RATE_PER_IP``, ``ORDER_RATE_PER_PHONE``: every order comes from
127.0.0.1; ``SELLER_EMAILS_PER_HOUR``: no digests, one email per order).

    python bench/order_load.py [--seconds 30] [--clients 20] [--output output]

Without a built ``--output`` (index.html and the private catalog), the
sample catalog is built into a temporary folder first.
"""

import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "functions"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from local.autoreload import pelican_command  # noqa: E402
from local.live import RELAXED_LIMITS, LiveServer  # noqa: E402


def build_sample(destination: Path) -> tuple[Path, Path]:
    output, private = destination / "output", destination / "private" / "katalog.json"
    result = subprocess.run(pelican_command(ROOT / "content", output, ROOT / "pelicanconf.py",
                                            private), cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    return output, private


def orderable(catalog: dict) -> list[dict]:
    """Products a bench order can use: in stock, from a shop taking pickup + COD."""
    found = []
    for product in catalog["products"]:
        shop = catalog["shops"][product["shop"]]
        if product["stock"] != "habis" and "ambil" in shop["delivery"] and "cod" in shop["payment"]:
            found.append(product)
    if not found:
        raise SystemExit("no orderable product in the catalog")
    return found


def make_order(products: list[dict], number: int, build: str, rng: random.Random) -> dict:
    product = rng.choice(products)
    item = product["id"]
    if product["variants"]:
        item += ":" + rng.choice(product["variants"])["name"]
    return {
        "item": [item], "qty": [rng.randint(1, 3)],
        "name": f"Pembeli Uji {number}", "phone": f"0812{number % 10**8:08d}",
        "kecamatan": "Purwakarta", "desa": "", "address": f"Jl. Uji No. {number}",
        "delivery": "ambil", "payment": "cod", "note": "", "email": "",
        "key": str(uuid.uuid4()), "build": build, "website": "",
    }


class Client(threading.Thread):
    def __init__(self, index: int, host: str, port: int, origin: str, products, build: str,
                 deadline: float, counter):
        super().__init__(name=f"client-{index}", daemon=True)
        self.host, self.port, self.origin = host, port, origin
        self.products, self.build, self.deadline = products, build, deadline
        self.counter = counter
        self.rng = random.Random(index)
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "Origin": self.origin}
        while time.monotonic() < self.deadline:
            body = json.dumps(make_order(self.products, next(self.counter), self.build, self.rng))
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/order", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                status = "error"
            self.latencies.append(time.perf_counter() - started)
            self.statuses[status] += 1
        conn.close()


def _counter():
    lock, state = threading.Lock(), {"n": 0}

    class Next:
        def __iter__(self):
            return self

        def __next__(self):
            with lock:
                state["n"] += 1
                return state["n"]

    return Next()


def count_items(endpoint: str) -> Counter:
    """Items of the orders table by kind (ORDER, CHECKOUT, KEY, RATE...)."""
    import boto3
    from botocore.config import Config

    db = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local",
                               region_name="ap-southeast-3").client(
        "dynamodb", endpoint_url=endpoint, config=Config(retries={"max_attempts": 3}))
    kinds: Counter = Counter()
    for page in db.get_paginator("scan").paginate(TableName="warung-orders",
                                                  ProjectionExpression="pk"):
        for item in page["Items"]:
            kinds[item["pk"]["S"].split("#", 1)[0]] += 1
    return kinds


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--mailers", type=int, default=2, help="mail queue poller threads")
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    parser.add_argument("--private", type=Path, default=ROOT / "private" / "katalog.json")
    parser.add_argument("--drain-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="order-load-") as tmp:
        output, private = args.output, args.private
        if not ((output / "index.html").is_file() and private.is_file()):
            print(f"building the sample catalog into {tmp} ...", flush=True)
            output, private = build_sample(Path(tmp))
        catalog = json.loads((output / "katalog.json").read_text(encoding="utf-8"))
        products = orderable(catalog)

        log_path = ROOT / "test-results" / "order_load-serve.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        server = LiveServer(output, private, log_path, env=RELAXED_LIMITS,
                            args=["--quiet", "--mailers", str(args.mailers)])
        try:
            return run(args, server, products, catalog["build"])
        finally:
            server.stop()


def run(args, server, products, build: str) -> int:
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    print(f"server {server.url}  clients {args.clients}  seconds {args.seconds:g}  "
          f"products {len(products)}", flush=True)
    counter = _counter()
    started = time.monotonic()
    clients = [Client(i, host, int(port), server.origin, products, build,
                      started + args.seconds, counter) for i in range(args.clients)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started

    latencies = [x for c in clients for x in c.latencies]
    statuses: Counter = sum((c.statuses for c in clients), Counter())
    accepted = statuses.get(201, 0)
    print(f"requests   {len(latencies)}  statuses {dict(sorted(statuses.items(), key=str))}")
    print(f"orders/s   {accepted / elapsed:.1f}  (accepted {accepted} in {elapsed:.1f} s)")
    if latencies:
        print(f"latency    p50 {statistics.median(latencies) * 1000:.1f} ms  "
              f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms  "
              f"max {max(latencies) * 1000:.1f} ms", flush=True)

    # Wait for the mailer thread to send every seller email (bounded).
    drain_started = time.monotonic()
    sent = len(server.outbox())
    while sent < accepted and time.monotonic() - drain_started < args.drain_timeout:
        time.sleep(1.0)
        sent = len(server.outbox())
    drained = time.monotonic() - drain_started
    kinds = count_items(server.aws_endpoint)
    stored = kinds.get("ORDER", 0)
    print(f"stored     {stored} orders, {kinds.get('CHECKOUT', 0)} checkouts in DynamoDB, "
          f"{kinds.get('OUTBOX', 0)} outboxes left")
    print(f"emails     {sent} sent (outbox) after {drained:.1f} s of draining")
    ok = stored == accepted == sent and kinds.get("OUTBOX", 0) == 0
    print(f"result     {'OK' if ok else 'MISMATCH'}: accepted {accepted}, stored {stored}, "
          f"emails {sent}")
    print("note: moto's TransactWriteItems deep-copies the whole table, so the local run "
          "slows as the table grows;\n      these numbers measure the local stack, not DynamoDB.")
    if set(statuses) - {201}:
        print(f"(statuses other than 201: see the server log {server.log_path})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
