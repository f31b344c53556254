"""The local run: the built site and ``/api/*`` on one origin, AWS emulated.

    python -m local.serve --port 8000 --output output [--private private/katalog.json] [--autoreload]

- moto's server (its WSGI app, as ``ThreadedMotoServer`` runs it, with
  requests taking turns) runs in a child process (``local.aws_process``,
  a core of its own) on a free 127.0.0.1 port; boto3 reaches it over HTTP
  through the standard ``AWS_ENDPOINT_URL``, with dummy credentials (never
  a real profile).
- ``local.resources.create_resources`` creates the table, queues, buckets and
  SES identity and uploads the private catalog; its env becomes the
  functions' environment, as the SAM template sets it in the cloud.
- ``local.routes.ROUTES`` (one table): as CloudFront routes them,
  ``/api/search*`` goes to the search handler and the rest of ``/api/*``
  (``POST /api/order``, ``GET /api/order/<code>``) to the order handler, as
  Function URL (payload 2.0) events; then the dev pages; other paths are
  static files from ``--output`` (``sitefiles``).
- Requests are framed strictly: a Transfer-Encoding is a 411, a malformed
  Content-Length a 400, each closing the connection (no request smuggling);
  the listen backlog (``BACKLOG``) takes bursts of new connections.
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
import ipaddress
import json
import os
import signal
import socket
import sys
import threading
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from mailer import handler as mailer
from sweeper import handler as sweeper_function

from local.autoreload import Watcher
from local.lambda_events import LambdaContext, function_url_event, http_response
from local.mail_poller import MailPoller, Sweeper
from local.routes import route_for
from sitefiles import static_response
from warung.text import texts

MAX_BODY = 6 * 1024 * 1024  # the Function URL request payload limit
REGION = "ap-southeast-3"
BACKLOG = 128  # pending connections: bursts of the stated 20+ concurrent clients

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


class LocalAws:
    """moto's server in its own process (``local.aws_process``) and this
    process's environment pointing at it."""

    def __init__(self):
        self.process = None
        self.endpoint = None

    def start(self) -> "LocalAws":
        from local import aws_process

        self.process, self.endpoint = aws_process.start()
        os.environ.update(DUMMY_AWS, AWS_ENDPOINT_URL=self.endpoint)
        os.environ.pop("AWS_PROFILE", None)
        os.environ.setdefault("AWS_REGION", REGION)
        os.environ.setdefault("AWS_DEFAULT_REGION", os.environ["AWS_REGION"])
        return self

    def stop(self) -> None:
        from local import aws_process

        if self.process is not None:
            aws_process.stop(self.process)


class Site:
    """What the request handler serves: the output folder."""

    def __init__(self, output: Path, quiet: bool = False):
        self.output = Path(output)
        self.quiet = quiet


class BadRequest(Exception):
    """A request whose body cannot be framed: answered, then the connection closes."""

    def __init__(self, status: HTTPStatus, key: str):
        super().__init__(key)
        self.status, self.key = status, key


def body_length(headers) -> int:
    """The body length that ``headers`` declare, strictly (RFC 9112 6.3).

    No body framing but Content-Length is supported: any Transfer-Encoding
    is a 411 (reading chunked bytes as the next request would let a body
    smuggle a request); a Content-Length that is not one run of ASCII
    digits, or that repeats with another value, is a 400.
    """
    if headers.get_all("Transfer-Encoding"):
        raise BadRequest(HTTPStatus.LENGTH_REQUIRED, "panjang_wajib")
    values = {v.strip() for field in headers.get_all("Content-Length") or []
              for v in field.split(",")}
    if not values:
        return 0
    if len(values) != 1:
        raise BadRequest(HTTPStatus.BAD_REQUEST, "permintaan_rusak")
    value = values.pop()
    if not (value.isascii() and value.isdigit()):
        raise BadRequest(HTTPStatus.BAD_REQUEST, "permintaan_rusak")
    return int(value)


class RequestHandler(BaseHTTPRequestHandler):
    server_version = "WarungLocal/1"
    timeout = 120  # idle keep-alive connections end (each holds a thread)
    protocol_version = "HTTP/1.1"
    site: Site  # set on the subclass made by make_server
    body: bytes = b""

    def do_GET(self):
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        try:
            route = route_for(self.path.split("?", 1)[0])
            if not self._read_body(route.max_body if route else MAX_BODY):
                return
            if route is not None:
                route.answer(self)
            elif self.command in ("GET", "HEAD"):
                self._static()
            else:
                self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, _t("metode_tidak_boleh"),
                                [("Allow", "GET, HEAD")])
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _read_body(self, max_body: int) -> bool:
        """Read the request body into ``self.body``; False when an error was
        sent instead (the connection then closes: what follows is unframed)."""
        try:
            length = body_length(self.headers)
        except BadRequest as bad:
            self.close_connection = True
            self._send_text(bad.status, _t(bad.key))
            return False
        if length > max_body:
            self.close_connection = True
            self.send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, [("Content-Type", "application/json")],
                      json.dumps({"errors": {"_": _t("terlalu_besar")}}).encode())
            return False
        self.body = self.rfile.read(length) if length else b""
        if len(self.body) < length:  # the client closed mid-body
            self.close_connection = True
            return False
        return True

    def invoke(self, name: str, handler) -> None:
        """Call a function's ``handler`` with this request as a Function URL event."""
        event = function_url_event(self.command, self.path, self.headers.items(), self.body,
                                   self.client_address[0], port=self.server.server_port)
        try:
            status, headers, data = http_response(handler(event, LambdaContext(name)))
        except Exception:  # as the Function URL: a failed invocation is a 502
            _log(f"[{name}] handler failed:\n{traceback.format_exc()}")
            status, headers = HTTPStatus.BAD_GATEWAY, [("Content-Type", "application/json")]
            data = json.dumps({"errors": {"_": _t("fungsi_gagal")}}).encode()
        self.send(status, headers, data)

    def _static(self) -> None:
        not_found = f"<!doctype html><html lang=\"id\"><meta charset=\"utf-8\"><title>404</title>" \
                    f"<p>{_t('halaman_tidak_ada')}</p></html>".encode()
        status, headers, data = static_response(
            self.site.output, self.path, self.headers.get("Accept-Encoding", ""),
            if_none_match=self.headers.get("If-None-Match"), not_found=not_found)
        self.send(status, headers, data)

    def _send_text(self, status, text: str, extra=()) -> None:
        self.send(status, [("Content-Type", "text/plain; charset=utf-8"), *extra],
                  text.encode("utf-8"))

    def send(self, status, headers, data: bytes) -> None:
        """The response: ``headers`` minus the framing ones, which are set here."""
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


class LocalHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG


def make_server(output: Path, port: int = 8000, host: str = "127.0.0.1",
                quiet: bool = False) -> ThreadingHTTPServer:
    """The HTTP server (bound and listening, not yet serving)."""
    handler = type("Handler", (RequestHandler,), {"site": Site(output, quiet)})
    return LocalHTTPServer((host, port), handler)


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
        poller = MailPoller(env["MAIL_QUEUE_URL"], mailer.handler, workers=args.mailers).start()
        sweeper = Sweeper(sweeper_function.handler, args.sweep_every).start()
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
