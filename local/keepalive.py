"""moto's request handler, keeping connections open (HTTP/1.1 keep-alive).

werkzeug's development server answers every request with ``Connection:
close`` (its ``run_wsgi`` cannot tell the end of a request body from the
next request). So every boto3 call of the local run opened a TCP
connection, and moto started a thread for it: about 250 connections a
second under the order load (``bench/order_load.py``), a good part of the
emulator's time, which takes requests one at a time.

``KeepAliveHandler`` answers a request whose body is framed by
``Content-Length`` (every SDK request is) itself: the app's body is read
through a stream limited to that length, whatever the app left unread is
drained, and the answer goes out with its own ``Content-Length`` in one
write, so the connection can carry the next request. Anything else (a
chunked body, ``Connection: close``, HTTP/1.0, an ``Expect`` header) is
werkzeug's own ``run_wsgi``, which closes the connection as before.
"""

import sys
import traceback

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.wsgi import LimitedStream

# Framing is this handler's own business: the app's values are not sent.
_FRAMING = {"content-length", "connection", "transfer-encoding", "server", "date"}


def _framing(method: str, code: int, headers: list, data: bytes) -> tuple[str | None, bytes]:
    """(the Content-Length to send, the body to send). 1xx and 204 answers
    have neither; HEAD and 304 answers no body, and the length the app gave
    (the size a GET would have)."""
    if code < 200 or code == 204:
        return None, b""
    if method == "HEAD" or code == 304:
        given = [value for name, value in headers if name.lower() == "content-length"]
        return (given[0] if given else None), b""
    return str(len(data)), data


class KeepAliveHandler(MotoRequestHandler):
    protocol_version = "HTTP/1.1"

    def _content_length(self) -> int | None:
        """The body length, when this request can share its connection."""
        headers = self.headers
        if (self.request_version != "HTTP/1.1" or headers.get_all("Transfer-Encoding")
                or headers.get("Expect") or self.close_connection):
            return None
        # A malformed header line ends the header parsing silently: a
        # Content-Length after it would be lost and the body read as the
        # next request. Such a request (or a folded header) closes instead.
        if headers.defects or any("\n" in value for value in headers.values()):
            return None
        values = headers.get_all("Content-Length") or ["0"]
        value = values[0].strip()
        if len(values) != 1 or not (value.isascii() and value.isdigit()):
            return None
        return int(value)

    def run_wsgi(self) -> None:
        length = self._content_length()
        if length is None:
            super().run_wsgi()  # werkzeug's: answer, then close
            return
        environ = self.make_environ()
        body = LimitedStream(self.rfile, length)
        environ["wsgi.input"] = body
        try:
            status, headers, data = self._call_app(environ)
        except Exception:  # the app failed outside moto's own error handling
            print(f"[aws] request failed:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
            status, headers, data = "500 INTERNAL SERVER ERROR", [], b""
            self.close_connection = True
        body.exhaust()  # what the app left of the body is not the next request
        head = [f"HTTP/1.1 {status}", f"Server: {self.version_string()}",
                f"Date: {self.date_time_string()}"]
        head += [f"{name}: {value}" for name, value in headers if name.lower() not in _FRAMING]
        length, data = _framing(self.command, int(status.split(None, 1)[0]), headers, data)
        if length is not None:
            head.append(f"Content-Length: {length}")
        if self.close_connection:
            head.append("Connection: close")
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)

    def _call_app(self, environ) -> tuple[str, list, bytes]:
        started: list = []
        written: list[bytes] = []

        def start_response(status, headers, exc_info=None):
            started[:] = [status, headers]
            return written.append

        result = self.server.app(environ, start_response)
        try:
            written.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return started[0], started[1], b"".join(written)
