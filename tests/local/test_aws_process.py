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
