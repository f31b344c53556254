"""The local run's AWS: moto's server in its own process.

    python -m local.aws_process     # prints the port, serves until stdin closes

The functions' process and moto each get a core of their own (one process
holds one GIL: together, every order's botocore and moto work took turns).
The server is moto's WSGI app (``moto_tuning.dispatcher``, with the
per-item transaction backups) with requests taking turns (``SerializedApp``)
and connections kept open (``local.keepalive``), plus one path of the local
run's own: ``/_local/outbox.json?since=N``, the emails SES stored
(``local.outbox.entries``), parsed here, where they live.

It exits when its standard input closes, so it never outlives the local
server that started it (even one killed with SIGKILL).
"""

import gc
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parents[1]
OUTBOX_PATH = "/_local/outbox.json"


class SerializedApp:
    """moto's WSGI app, one request at a time (``moto_tuning.TURNS``).

    moto's backends are not thread-safe: a DynamoDB transaction deep-copies
    the table while another request may be writing it ("dictionary changed
    size during iteration"), which real AWS never does. Requests therefore
    take turns, except SQS long polls (ReceiveMessage), which would stall
    the rest while they wait: their looks at the queue take turns inside
    moto (``moto_tuning.apply``).
    """

    def __init__(self, app):
        from local.moto_tuning import TURNS

        self.app = app
        self.lock = TURNS

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == OUTBOX_PATH:  # parsing holds its own lock, not moto's
            return outbox_app(environ, start_response)
        if environ.get("HTTP_X_AMZ_TARGET", "").endswith(".ReceiveMessage"):
            return self.app(environ, start_response)
        with self.lock:
            return list(self.app(environ, start_response))


def outbox_app(environ, start_response):
    from local import outbox

    since = parse_qs(environ.get("QUERY_STRING", "")).get("since", ["0"])[0]
    start = int(since) if since.isascii() and since.isdigit() else 0
    data = json.dumps(outbox.entries(start), ensure_ascii=False).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json; charset=utf-8"),
                              ("Content-Length", str(len(data)))])
    return [data]


def _exit_when_stdin_closes() -> None:
    sys.stdin.buffer.read()
    os._exit(0)


def build_server():
    """moto's tuned, serialized WSGI app on a free port of 127.0.0.1 (not
    serving yet). The tests run it in a thread of their own process, where
    they can look into moto's backends."""
    from werkzeug.serving import make_server

    from local import moto_tuning
    from local.keepalive import KeepAliveHandler

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    moto_tuning.apply()
    return make_server("127.0.0.1", 0, SerializedApp(moto_tuning.dispatcher()), threaded=True,
                       request_handler=KeepAliveHandler)


def keep_collections_short() -> None:
    """Freeze what survived each full garbage collection.

    moto's state (items, messages, emails) only grows in a local run, and a
    full collection walks all of it while every request waits: 0.06 s at
    first, 0.8 s after 150 s of the order load, and growing. Frozen objects
    are skipped by later collections, so each walks only what came since;
    moto frees its data by reference counting, not as cycles.
    """
    def after(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            gc.freeze()

    gc.callbacks.append(after)


def main() -> int:
    keep_collections_short()
    server = build_server()
    print(server.server_port, flush=True)
    threading.Thread(target=_exit_when_stdin_closes, name="parent-watch", daemon=True).start()
    server.serve_forever()
    return 0


def start() -> tuple[subprocess.Popen, str]:
    """Start the process; (the process, its endpoint URL)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "functions"),
                                         *filter(None, [env.get("PYTHONPATH")])])
    process = subprocess.Popen([sys.executable, "-m", "local.aws_process"], cwd=ROOT, env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        raise RuntimeError(f"local.aws_process did not start (exit {process.wait()})")
    return process, f"http://127.0.0.1:{int(port)}"


def stop(process: subprocess.Popen) -> None:
    process.stdin.close()  # it exits at once
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


if __name__ == "__main__":
    sys.exit(main())
