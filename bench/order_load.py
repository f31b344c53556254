"""Order load through the local run: throughput, latency, memory, nothing lost.

Starts ``python -m local.serve`` on a free port (the real order handler and
mailer, moto's server as AWS), then ``--clients`` threads each keep one
HTTP/1.1 connection and POST valid JSON orders (one shop per order, a
unique idempotency key and a different buyer phone each) for ``--seconds``.

It prints, per ``--window`` seconds, the orders accepted, orders/s, p50 and
p95 latency and the server's RSS (moto runs inside it), and the RSS when
the 2,000th order was accepted; then it waits for the mailer threads to
drain the queue and prints the orders stored (a DynamoDB scan), the emails
sent (the outbox, one seller email per order) and how long the server took
to exit after SIGTERM. Accepted, stored and emailed must be equal, and no
checkout outbox (mail jobs not yet queued) may be left: else the exit status
is 1. Budget (issue 10): p50 < 1 s in every window, RSS < 600 MB at 2,000.

The order function's own switches relax its limits for the run
(``ORDER_RATE_PER_IP``, ``ORDER_RATE_PER_PHONE``: every order comes from
127.0.0.1; ``SELLER_EMAILS_PER_HOUR``: no digests, one email per order).

    python bench/order_load.py [--seconds 300] [--clients 20] [--window 30] [--output output]

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
    def __init__(self, index: int, server, products, build: str, deadline: float, counter):
        super().__init__(name=f"client-{index}", daemon=True)
        self.host, self.port = server.url.split("//")[1].rstrip("/").split(":")
        self.origin, self.products, self.build = server.origin, products, build
        self.deadline, self.counter = deadline, counter
        self.rng = random.Random(index)
        self.results: list[tuple[float, float, object]] = []  # (finished, latency, status)

    def _connect(self):
        return http.client.HTTPConnection(self.host, int(self.port), timeout=60)

    def run(self) -> None:
        conn = self._connect()
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "Origin": self.origin}
        while time.monotonic() < self.deadline:
            body = json.dumps(make_order(self.products, next(self.counter), self.build, self.rng))
            started = time.monotonic()
            try:
                conn.request("POST", "/api/order", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = self._connect()
                status = "error"
            finished = time.monotonic()
            self.results.append((finished, finished - started, status))
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


def _status(pid: int) -> dict:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # gone
        return {}
    return dict(line.split(":", 1) for line in lines if ":" in line)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the local server and
    its moto process; Linux /proc), in MB."""
    pids = [pid] + [int(p.name) for p in Path("/proc").iterdir()
                    if p.name.isdigit() and _status(int(p.name)).get("PPid", "").strip() == str(pid)]
    return sum(int(_status(p).get("VmRSS", "0 kB").split()[0]) for p in pids) / 1024


class Monitor(threading.Thread):
    """Samples the server's RSS and the orders accepted so far, every second."""

    def __init__(self, pid: int, clients: list[Client]):
        super().__init__(name="monitor", daemon=True)
        self.pid, self.clients = pid, clients
        self.samples: list[tuple[float, float, int]] = []  # (time, rss MB, accepted)
        self.stop = threading.Event()

    def accepted(self) -> int:
        return sum(1 for c in self.clients for r in list(c.results) if r[2] == 201)

    def run(self) -> None:
        while True:
            self.samples.append((time.monotonic(), rss_mb(self.pid), self.accepted()))
            if self.stop.wait(1.0):
                return


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


def windows(results, samples, started: float, width: float) -> list[dict]:
    """Per window of ``width`` seconds: requests, accepted, p50/p95 (s), RSS at its end (MB)."""
    rows = []
    end = max([r[0] for r in results] + [started])
    start = started
    while start < end:
        inside = [r for r in results if start <= r[0] < start + width]
        latencies = [r[1] for r in inside]
        rss = [m for t, m, _ in samples if t < start + width]
        rows.append({"from": start - started, "requests": len(inside),
                     "accepted": sum(1 for r in inside if r[2] == 201),
                     "p50": statistics.median(latencies) if latencies else None,
                     "p95": percentile(latencies, 0.95) if latencies else None,
                     "rss": rss[-1] if rss else None})
        start += width
    return rows


def report_windows(rows: list[dict], width: float) -> None:
    print(f"{'window':>11}  {'requests':>8}  {'orders/s':>8}  {'p50 ms':>7}  {'p95 ms':>7}  rss MB")
    for row in rows:
        p50 = f"{row['p50'] * 1000:7.0f}" if row["p50"] is not None else "      -"
        p95 = f"{row['p95'] * 1000:7.0f}" if row["p95"] is not None else "      -"
        rss = f"{row['rss']:6.0f}" if row["rss"] is not None else "     -"
        print(f"{row['from']:5.0f}-{row['from'] + width:<5.0f}  {row['requests']:8d}  "
              f"{row['accepted'] / width:8.1f}  {p50}  {p95}  {rss}")


def wait_for_emails(server, expected: int, since: int, timeout: float) -> int:
    """Poll the outbox (only what is new) until ``expected`` emails arrived past
    ``since`` and no mail job is pending, or ``timeout``; returns the count."""
    deadline, sent = time.monotonic() + timeout, 0
    server.wait_until_mailed(timeout)  # cheap counts first; the outbox is parsed once after
    while True:
        sent += len(server.outbox(since=since + sent, timeout=max(30.0, timeout)))
        if (sent >= expected and server.wait_until_mailed(0)) or time.monotonic() > deadline:
            return sent
        time.sleep(1.0)


def load(server, products, build: str, seconds: float, clients: int):
    """Run the clients against ``server``; (results, monitor samples, start time)."""
    counter, threads = _counter(), []
    monitor = Monitor(server.process.pid, threads)
    monitor.start()
    started = time.monotonic()
    threads += [Client(i, server, products, build, started + seconds, counter)
                for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monitor.stop.set()
    monitor.join()
    return [r for c in threads for r in c.results], monitor.samples, started


def run(args, server, products, build: str) -> dict:
    """The load run against a running ``server``; prints and returns the figures.
    Stored and emailed count what the run added (the server may hold other orders)."""
    print(f"server {server.url}  clients {args.clients}  seconds {args.seconds:g}  "
          f"products {len(products)}", flush=True)
    stored_before = count_items(server.aws_endpoint).get("ORDER", 0)
    sent_before = len(server.outbox())
    results, samples, started = load(server, products, build, args.seconds, args.clients)
    statuses = Counter(r[2] for r in results)
    accepted = statuses.get(201, 0)
    elapsed = max(r[0] for r in results) - started if results else 0.0
    rows = windows(results, samples, started, args.window)
    report_windows(rows, args.window)
    at_2000 = next((m for _, m, n in samples if n >= 2000), None)
    print(f"requests   {len(results)}  statuses {dict(sorted(statuses.items(), key=str))}")
    if results:
        latencies = [r[1] for r in results]
        print(f"overall    {accepted / elapsed:.1f} orders/s  p50 {statistics.median(latencies) * 1000:.0f} ms"
              f"  p95 {percentile(latencies, 0.95) * 1000:.0f} ms  max {max(latencies) * 1000:.0f} ms")
    print(f"rss        max {max((m for _, m, _ in samples), default=0):.0f} MB, at 2,000 orders "
          + (f"{at_2000:.0f} MB" if at_2000 is not None else "(not reached)"), flush=True)
    drain = time.monotonic()
    sent = wait_for_emails(server, accepted, sent_before, args.drain_timeout)
    kinds = count_items(server.aws_endpoint)
    stored = kinds.get("ORDER", 0) - stored_before
    print(f"drained    in {time.monotonic() - drain:.1f} s; {kinds.get('OUTBOX', 0)} outboxes left")
    ok = stored == accepted == sent and kinds.get("OUTBOX", 0) == 0
    print(f"result     {'OK' if ok else 'MISMATCH'}: accepted {accepted}, stored {stored}, "
          f"emailed {sent}", flush=True)
    if set(statuses) - {201}:
        print(f"(statuses other than 201: see the server log {server.log_path})")
    return {"ok": ok, "accepted": accepted, "stored": stored, "emailed": sent,
            "windows": rows, "rss_at_2000": at_2000}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--window", type=float, default=30.0, help="seconds per report line")
    parser.add_argument("--mailers", type=int, default=2, help="mail queue poller threads")
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    parser.add_argument("--private", type=Path, default=ROOT / "private" / "katalog.json")
    parser.add_argument("--drain-timeout", type=float, default=900.0,
                        help="seconds to wait for the mailers to send every email")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="order-load-") as tmp:
        output, private = args.output, args.private
        if not ((output / "index.html").is_file() and private.is_file()):
            print(f"building the sample catalog into {tmp} ...", flush=True)
            output, private = build_sample(Path(tmp))
        catalog = json.loads((output / "katalog.json").read_text(encoding="utf-8"))
        log_path = ROOT / "test-results" / "order_load-serve.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        server = LiveServer(output, private, log_path, env=RELAXED_LIMITS,
                            args=["--quiet", "--mailers", str(args.mailers)])
        try:
            figures = run(args, server, orderable(catalog), catalog["build"])
        finally:
            stopping = time.monotonic()
            server.stop()
            print(f"exit       {time.monotonic() - stopping:.1f} s after SIGTERM")
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
