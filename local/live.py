"""The local run as a subprocess: start it, talk HTTP to it, stop it.

Used by the test fixtures (``tests/fixtures/server.py``) and by
``bench/order_load.py``, so neither bench nor scripts import ``tests/``.

``LiveServer(output, private, log_path)`` runs ``python -m local.serve
--port 0`` (moto's server in that process as AWS, the mailer threads
running) and offers:

- ``get(path)`` / ``post_form(path, fields)`` / ``post_json(path, data)``:
  plain HTTP (redirects are not followed, so a 303 is visible);
- ``outbox(since=0)``: ``GET /_dev/outbox.json``; ``pending()``:
  ``GET /_dev/queue.json`` (mail jobs on the queue or in checkout outboxes);
- ``wait_for_mail(predicate, count=1, timeout=30)``: poll the outbox until
  ``count`` emails match, then until no mail job is pending (so a duplicate
  would have arrived too), and return every match (bounded loops, no
  timing assertion): ``len(...) == 1`` really means one email;
- ``log()``: the server's output so far (for failure messages);
- ``aws_endpoint``: the server's moto, to look inside (DynamoDB, SQS).

``RELAXED_LIMITS`` relaxes the order function's own switches
(``ORDER_RATE_PER_IP``, ``ORDER_RATE_PER_PHONE``: every test order comes
from 127.0.0.1; ``SELLER_EMAILS_PER_HOUR``: one email per order, no digests).
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 90.0
URL_PATTERN = re.compile(r"(http://127\.0\.0\.1:\d+/)")
AWS_PATTERN = re.compile(r"\(moto\) di (http://127\.0\.0\.1:\d+)")

# The functions' and AWS's variables other fixtures may have set in this
# process: the server sets its own.
_FOREIGN_ENV = ("ALLOWED_ORIGINS", "SITE_URL", "ORDERS_TABLE", "MAIL_QUEUE_URL", "MAIL_DLQ_URL",
                "CATALOG_BUCKET", "CATALOG_KEY", "MAIL_FROM")

RELAXED_LIMITS = {
    "ORDER_RATE_PER_IP": "100000/60",
    "ORDER_RATE_PER_PHONE": "100000/60",
    "SELLER_EMAILS_PER_HOUR": "100000",
}


@dataclass
class Response:
    status: int
    headers: dict  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def request(url: str, *, method: str = "GET", data: bytes | None = None,
            headers: dict | None = None, timeout: float = 30) -> Response:
    """One HTTP request to 127.0.0.1, any status returned (never raised)."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with _opener.open(req, timeout=timeout) as response:
            return Response(response.status, {k.lower(): v for k, v in response.headers.items()},
                            response.read())
    except urllib.error.HTTPError as err:
        return Response(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())


def server_env(extra: dict | None = None) -> dict:
    """The subprocess environment: this one without AWS or function settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in _FOREIGN_ENV}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "functions"), str(ROOT / "plugins"), str(ROOT)]
        + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


class LiveServer:
    """A running ``local.serve`` subprocess."""

    def __init__(self, output: Path, private: Path, log_path: Path, *, env: dict | None = None,
                 args: list[str] | None = None):
        self.output, self.private, self.log_path = Path(output), Path(private), Path(log_path)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "local.serve", "--port", "0", "--output", str(output),
             "--private", str(private), *(args or [])],
            cwd=ROOT, env=server_env(env), stdout=self._log, stderr=subprocess.STDOUT,
        )
        self.url = self._wait_for_url()
        self.origin = self.url.rstrip("/")
        found = AWS_PATTERN.search(self.log())
        self.aws_endpoint = found.group(1) if found else None  # moto, for looking inside

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"local.serve exited ({self.process.returncode}):\n{self.log()}")
            found = URL_PATTERN.search(self.log())
            if found:
                url = found.group(1)
                if request(url + "_dev/outbox.json", timeout=5).status == 200:
                    return url
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"local.serve did not start within {START_TIMEOUT} s:\n{self.log()}")

    # HTTP helpers
    def get(self, path: str, headers: dict | None = None) -> Response:
        return request(self.url + path.lstrip("/"), headers=headers)

    def post_form(self, path: str, fields, headers: dict | None = None,
                  origin: str | None = "self") -> Response:
        """POST urlencoded ``fields`` (a dict whose list values repeat, or pairs)."""
        pairs = fields.items() if isinstance(fields, dict) else fields
        flat = [(k, str(one)) for k, v in pairs
                for one in (v if isinstance(v, (list, tuple)) else [v])]
        all_headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if origin:
            all_headers["Origin"] = self.origin if origin == "self" else origin
        all_headers.update(headers or {})
        return request(self.url + path.lstrip("/"), method="POST",
                       data=urlencode(flat).encode(), headers=all_headers)

    def post_json(self, path: str, data, headers: dict | None = None,
                  origin: str | None = "self") -> Response:
        all_headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if origin:
            all_headers["Origin"] = self.origin if origin == "self" else origin
        all_headers.update(headers or {})
        return request(self.url + path.lstrip("/"), method="POST",
                       data=json.dumps(data).encode(), headers=all_headers)

    # The outbox
    def outbox(self, since: int = 0, timeout: float = 30) -> list[dict]:
        response = request(f"{self.url}_dev/outbox.json?since={since}", timeout=timeout)
        assert response.status == 200, response.text
        return response.json()

    def pending(self) -> dict:
        response = self.get("/_dev/queue.json")
        assert response.status == 200, response.text
        return response.json()

    def wait_until_mailed(self, timeout: float = 30.0) -> bool:
        """Poll until no mail job is visible, in flight or in an outbox
        (delayed digests aside); False when ``timeout`` ran out first."""
        deadline = time.monotonic() + timeout
        while True:
            counts = self.pending()
            if counts["visible"] + counts["in_flight"] + counts["outbox"] == 0:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)

    def wait_for_mail(self, predicate=lambda mail: True, count: int = 1,
                      timeout: float = 30.0) -> list[dict]:
        """Every email matching ``predicate``, once at least ``count`` are
        there and the mail jobs have all been handled, so that a second,
        duplicate email would be among them (or what there is after
        ``timeout`` seconds: the caller asserts)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [mail for mail in self.outbox() if predicate(mail)]
            if len(found) >= count or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.wait_until_mailed(max(5.0, deadline - time.monotonic()))
        return [mail for mail in self.outbox() if predicate(mail)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()
