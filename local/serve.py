"""The local run: the built site and ``/api/*`` on one origin, AWS emulated.

    python -m local.serve --port 8000 --output output [--private private/katalog.json] [--autoreload]

- moto's server (its WSGI app, as ``ThreadedMotoServer`` runs it, with
  requests taking turns: see ``SerializedApp``) runs in this process on a
  free 127.0.0.1 port; boto3 reaches it over HTTP through the standard
  ``AWS_ENDPOINT_URL``, with dummy credentials (never a real profile).
- ``local.resources.create_resources`` creates the table, queues, buckets and
  SES identity and uploads the private catalog; its env becomes the
  functions' environment, as the SAM template sets it in the cloud.
- As CloudFront routes them, ``/api/search*`` goes to the search handler and
  the rest of ``/api/*`` (``POST /api/order``, ``GET /api/order/<code>``) to
  the order handler, as Function URL (payload 2.0) events; other paths are
  static files from ``--output``.
- A thread polls the mail queue and runs the mailer on SQS events; another
  runs the sweeper every ``--sweep-every`` seconds (the template's schedule).
- ``/_dev/outbox`` (HTML) and ``/_dev/outbox.json`` show every email sent;
  ``/_dev/queue.json`` counts the mail jobs not yet done (``visible``,
  ``in_flight``, ``delayed`` on the queue, ``outbox``: checkout outboxes
  not yet queued), so a test can wait until everything was mailed.
- Origins allowed to post orders: this server's URL on 127.0.0.1 and
  localhost and, when ``--host`` is not a loopback address (e.g. 0.0.0.0 to
  try it from a phone on the same Wi-Fi), that host and this machine's LAN
  addresses.
- ``--autoreload`` rebuilds with Pelican when content/, theme/ or plugins/
  change, then uploads the new private catalog.

``--port 0`` picks a free port; the real URL is printed on the first line.
"""

import argparse
import importlib
import ipaddress
import json
import logging
import os
import signal
import socket
import sys
import threading
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from local.autoreload import Watcher
from local.lambda_events import LambdaContext, function_url_event, http_response
from local.mail_poller import MailPoller, Sweeper
from local.static import static_response
from warung.text import texts

MAX_BODY = 6 * 1024 * 1024  # the Function URL request payload limit
REGION = "ap-southeast-3"

# The CloudFront behaviours of functions/template.yaml, in order (first match
# wins): (path pattern prefix, handler module, function name).
ROUTES = [
    ("/api/search", "search.handler", "search"),  # /api/search*
    ("/api/daftar", "daftar.handler", "daftar"),  # /api/daftar* (the seller form)
    ("/api/ubah", "daftar.handler", "daftar"),    # /api/ubah* (seller updates)
    ("/api/penjual/", "sellerpage.handler", "sellerpage"),  # /api/penjual/*
    ("/api/pesanan", "sellerpage.handler", "sellerpage"),  # /api/pesanan*
    ("/api/", "order.handler", "order"),          # /api/*
]

DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    # Never read a developer's real AWS configuration or profile.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


def _t(key: str, **values) -> str:
    text = texts()["lokal"][key]
    return text.format(**values) if values else text


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def route_for(path: str):
    """(handler module, function name) for a path CloudFront sends to a function, or None."""
    for prefix, module, name in ROUTES:
        if path.startswith(prefix):
            return module, name
    return None


class SerializedApp:
    """moto's WSGI app, one request at a time.

    moto's backends are not thread-safe: a DynamoDB transaction deep-copies
    the table while another request may be writing it ("dictionary changed
    size during iteration"), which real AWS never does. Requests therefore
    take turns, except SQS long polls (ReceiveMessage), which wait inside
    the request on moto's own condition variable and would stall the rest.
    """

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").endswith(".ReceiveMessage"):
            return self.app(environ, start_response)
        with self.lock:
            return list(self.app(environ, start_response))


class LocalAws:
    """moto's server in this process and the environment pointing at it."""

    def __init__(self):
        self.server = None
        self.thread = None
        self.endpoint = None

    def start(self) -> "LocalAws":
        from moto.moto_server.werkzeug_app import (DomainDispatcherApplication,
                                                   MotoRequestHandler, create_backend_app)
        from werkzeug.serving import make_server as make_wsgi_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
        app = SerializedApp(DomainDispatcherApplication(create_backend_app))
        self.server = make_wsgi_server("127.0.0.1", 0, app, threaded=True,
                                       request_handler=MotoRequestHandler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"
        os.environ.update(DUMMY_AWS, AWS_ENDPOINT_URL=self.endpoint)
        os.environ.pop("AWS_PROFILE", None)
        os.environ.setdefault("AWS_REGION", REGION)
        os.environ.setdefault("AWS_DEFAULT_REGION", os.environ["AWS_REGION"])
        self.thread = threading.Thread(target=self.server.serve_forever, name="moto", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread is not None:  # shutdown() waits for a serve_forever that ran
            self.server.shutdown()
            self.thread.join(5)
        if self.server is not None:
            self.server.server_close()


class Site:
    """What the request handler serves: the output folder and the handlers."""

    def __init__(self, output: Path, quiet: bool = False):
        self.output = Path(output)
        self.quiet = quiet
        self._handlers: dict = {}
        self._lock = threading.Lock()

    def handler(self, module: str):
        found = self._handlers.get(module)
        if found is None:
            with self._lock:
                found = self._handlers.get(module)
                if found is None:
                    found = importlib.import_module(module).handler
                    self._handlers[module] = found
        return found


class RequestHandler(BaseHTTPRequestHandler):
    server_version = "WarungLocal/1"
    timeout = 120  # idle keep-alive connections end (each holds a thread)
    protocol_version = "HTTP/1.1"
    site: Site  # set on the subclass made by make_server

    # --- dispatch -------------------------------------------------------
    def do_GET(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_OPTIONS(self):
        self._dispatch()

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        route = route_for(path)
        try:
            if route:
                self._api(*route)
            elif path in ("/_dev/outbox", "/_dev/outbox/", "/_dev/outbox.json"):
                self._outbox(json_format=path.endswith(".json"))
            elif path == "/_dev/queue.json":
                self._queue()
            elif path.startswith("/_dev/s3/") or path == "/_dev/aws.json":
                self._dev_aws(path)
            elif self.command in ("GET", "HEAD"):
                self._static()
            else:
                self._drain_body()
                self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, _t("metode_tidak_boleh"),
                                [("Allow", "GET, HEAD")])
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # --- /api/* ----------------------------------------------------------
    def _drain_body(self) -> bytes | None:
        """The request body, or None when it exceeds MAX_BODY (413 sent)."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _api(self, module: str, name: str) -> None:
        body = self._drain_body()
        if body is None:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                       [("Content-Type", "application/json")],
                       json.dumps({"errors": {"_": _t("terlalu_besar")}}).encode())
            return
        event = function_url_event(self.command, self.path, self.headers.items(), body,
                                   self.client_address[0], port=self.server.server_port)
        try:
            result = self.site.handler(module)(event, LambdaContext(name))
            status, headers, data = http_response(result)
        except Exception:  # as the Function URL: a failed invocation is a 502
            _log(f"[{name}] handler failed:\n{traceback.format_exc()}")
            status, headers = HTTPStatus.BAD_GATEWAY, [("Content-Type", "application/json")]
            data = json.dumps({"errors": {"_": _t("fungsi_gagal")}}).encode()
        self._send(status, headers, data)

    # --- /_dev/outbox ----------------------------------------------------
    def _outbox(self, json_format: bool) -> None:
        from local import outbox

        mails = outbox.entries()
        if json_format:
            data = json.dumps(mails, ensure_ascii=False, indent=1).encode("utf-8")
            self._send(HTTPStatus.OK, [("Content-Type", "application/json; charset=utf-8"),
                                       ("Cache-Control", "no-store")], data)
        else:
            data = outbox.render_html(mails).encode("utf-8")
            self._send(HTTPStatus.OK, [("Content-Type", "text/html; charset=utf-8"),
                                       ("Cache-Control", "no-store")], data)

    def _queue(self) -> None:
        data = json.dumps(pending_mail()).encode("utf-8")
        self._send(HTTPStatus.OK, [("Content-Type", "application/json; charset=utf-8"),
                                   ("Cache-Control", "no-store")], data)

    def _dev_aws(self, path: str) -> None:
        from local import s3proxy

        if path == "/_dev/aws.json":
            self._send(HTTPStatus.OK, [("Content-Type", "application/json")], s3proxy.aws_info())
            return
        if int(self.headers.get("Content-Length") or 0) > s3proxy.MAX_UPLOAD:
            self.close_connection = True
            self._send_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _t("terlalu_besar"))
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._send(*s3proxy.forward(self.command, self.path, self.headers.items(), body))

    # --- static files ----------------------------------------------------
    def _static(self) -> None:
        not_found = f"<!doctype html><html lang=\"id\"><meta charset=\"utf-8\"><title>404</title>" \
                    f"<p>{_t('halaman_tidak_ada')}</p></html>".encode()
        status, headers, data = static_response(
            self.site.output, self.path, self.headers.get("Accept-Encoding", ""),
            if_none_match=self.headers.get("If-None-Match"), not_found=not_found)
        self._send(status, headers, data)

    # --- output ----------------------------------------------------------
    def _send_text(self, status, text: str, extra=()) -> None:
        self._send(status, [("Content-Type", "text/plain; charset=utf-8"), *extra],
                   text.encode("utf-8"))

    def _send(self, status, headers, data: bytes) -> None:
        self.send_response(int(status))
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        no_body = self.command == "HEAD" or int(status) in (204, 304) or 100 <= int(status) < 200
        if int(status) not in (204, 304):
            self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not no_body:
            self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's name)
        if not self.site.quiet:
            super().log_message(format, *args)


def make_server(output: Path, port: int = 8000, host: str = "127.0.0.1",
                quiet: bool = False) -> ThreadingHTTPServer:
    """The HTTP server (bound, not yet serving)."""
    handler = type("Handler", (RequestHandler,), {"site": Site(output, quiet)})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def pending_mail() -> dict:
    """Mail jobs not done yet: on the queue, and in checkout outboxes."""
    from backend import clients, store

    attributes = clients.sqs().get_queue_attributes(
        QueueUrl=os.environ["MAIL_QUEUE_URL"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                        "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    return {"visible": int(attributes["ApproximateNumberOfMessages"]),
            "in_flight": int(attributes["ApproximateNumberOfMessagesNotVisible"]),
            "delayed": int(attributes["ApproximateNumberOfMessagesDelayed"]),
            "outbox": len(store.outbox_codes())}


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def lan_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses (best effort, nothing sent)."""
    found = []
    try:
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                             socket.AF_INET)]
    except OSError:
        pass
    try:  # the address of the default route; connect() on UDP sends no packet
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    return [ip for ip in dict.fromkeys(found) if not _is_loopback(ip) and ip != "0.0.0.0"]


def local_origins(host: str, port: int, lan: list[str] | None = None) -> list[str]:
    """Origins a browser may post orders from to this server."""
    origins = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    if not _is_loopback(host):
        hosts = [] if host in ("0.0.0.0", "::", "") else [host]
        hosts += lan_addresses() if lan is None else lan
        origins += [f"http://[{h}]:{port}" if ":" in h else f"http://{h}:{port}" for h in hosts]
    return list(dict.fromkeys(origins))


def configure_functions(port: int, private_catalog: Path, host: str = "127.0.0.1") -> dict:
    """Create the AWS resources and set the functions' environment."""
    from local.resources import create_resources

    env = create_resources(private_catalog)
    origins = local_origins(host, port)
    existing = [o for o in os.environ.get("ALLOWED_ORIGINS", "").split(",") if o.strip()]
    env["ALLOWED_ORIGINS"] = ",".join(dict.fromkeys([*existing, *origins]))
    env["SITE_URL"] = os.environ.get("SITE_URL") or origins[0]
    env["UPLOAD_URL"] = "/_dev/s3"  # photos: moto's S3 through this server (local.s3proxy)
    os.environ.update(env)
    # No CloudFront here to add X-Warung-Origin: the functions check nothing.
    os.environ.pop("ORIGIN_SECRET", None)
    return env


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--private", type=Path, default=Path("private/katalog.json"),
                        help="the private catalog written by the build")
    parser.add_argument("--autoreload", action="store_true",
                        help="rebuild with Pelican when content/, theme/ or plugins/ change")
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    parser.add_argument("--mailers", type=int, default=2,
                        help="mail queue poller threads (Lambda runs several)")
    parser.add_argument("--sweep-every", type=float, default=60.0,
                        help="seconds between sweeper runs (outboxes older than 2 min)")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not args.output.is_dir():
        print(_t("output_tidak_ada", path=args.output), file=sys.stderr)
        return 2
    if not args.private.is_file():
        print(_t("katalog_tidak_ada", path=args.private), file=sys.stderr)
        return 2

    # Ctrl-C, and SIGTERM (a test fixture, a container stop), end cleanly,
    # even when started in the background with SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)

    httpd = make_server(args.output, args.port, args.host, args.quiet)
    aws, poller, sweeper, watcher, serving = LocalAws(), None, None, None, None
    try:
        aws.start()
        env = configure_functions(httpd.server_port, args.private, args.host)
        poller = MailPoller(env["MAIL_QUEUE_URL"], workers=args.mailers).start()
        sweeper = Sweeper(args.sweep_every).start()
        if args.autoreload:
            watcher = Watcher(content=args.content, settings=args.settings, output=args.output,
                              private=args.private).start()
        url = f"http://{args.host}:{httpd.server_port}/"
        print(_t("mulai", url=url), flush=True)
        print(_t("mulai_outbox", url=f"{url}_dev/outbox"), flush=True)
        print(_t("mulai_aws", url=aws.endpoint), flush=True)
        print(_t("mulai_berhenti"), flush=True)
        serving = threading.Thread(target=httpd.serve_forever, name="http", daemon=True)
        serving.start()
        while serving.is_alive():
            serving.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        if serving is not None:
            httpd.shutdown()
        httpd.server_close()
        for part in (watcher, sweeper, poller, aws):
            if part is not None:
                part.stop()
        print(_t("berhenti"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
