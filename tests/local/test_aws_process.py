"""``local.aws_process``: moto in its own process, gone with its parent."""

import json
import urllib.request

from local import aws_process


def test_serves_moto_and_the_outbox_then_exits_when_stdin_closes():
    process, endpoint = aws_process.start()
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(endpoint + "/_local/outbox.json?since=0", timeout=30) as response:
            assert json.loads(response.read()) == []
        with opener.open(endpoint + "/moto-api/data.json", timeout=30) as response:
            assert response.status == 200  # moto's own app answers the rest
    finally:
        process.stdin.close()  # what the parent's exit does, even a SIGKILL
        assert process.wait(30) == 0


def test_full_collections_freeze_what_survived():
    """A full collection leaves its survivors frozen, so the next one (with
    every request waiting) walks only what came since."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = ("import gc\nfrom local import aws_process\n"
              "gc.collect(); before = gc.get_freeze_count()\n"
              "aws_process.keep_collections_short()\n"
              "gc.collect(); print(before, gc.get_freeze_count())\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                         text=True, timeout=60)
    before, after = map(int, run.stdout.split())
    assert before == 0 and after > 1000, run.stderr
