"""``local.keepalive``: moto's server keeps SDK connections open, and frames
every answer so a connection never reads one request's leftovers as the next."""

import json
import socket
import threading

import pytest

from local import aws_process

SQS_TARGET = "AmazonSQS.ListQueues"


@pytest.fixture(scope="module")
def moto_port():
    server = aws_process.build_server()
    threading.Thread(target=server.serve_forever, name="moto-keepalive", daemon=True).start()
    try:
        yield server.server_port
    finally:
        server.shutdown()


def _request(body: bytes, *, extra: str = "", content_length: bool = True) -> bytes:
    head = ("POST / HTTP/1.1\r\nHost: sqs.ap-southeast-3.amazonaws.com\r\n"
            f"X-Amz-Target: {SQS_TARGET}\r\nContent-Type: application/x-amz-json-1.0\r\n"
            "Authorization: AWS4-HMAC-SHA256 Credential=local/20261202/ap-southeast-3/sqs/"
            "aws4_request, SignedHeaders=host, Signature=0\r\n" + extra)
    if content_length:
        head += f"Content-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def _read_response(reader) -> tuple[int, dict, bytes]:
    status = int(reader.readline().split()[1])
    headers = {}
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, reader.read(int(headers.get("content-length", 0)))


def _smuggling(method: str, length_header: str) -> bytes:
    """A request to moto's data page (which never reads a body) whose body is
    itself a whole SDK request."""
    smuggled = _request(b"{}")
    return (f"{method} /moto-api/data.json HTTP/1.1\r\nHost: localhost\r\n"
            f"{length_header}: {len(smuggled)}\r\n\r\n").encode() + smuggled


def test_one_connection_carries_many_sdk_requests(moto_port):
    with socket.create_connection(("127.0.0.1", moto_port), timeout=10) as conn:
        reader = conn.makefile("rb")
        for _ in range(3):
            conn.sendall(_request(b"{}"))
            status, headers, body = _read_response(reader)
            assert status == 200
            assert headers.get("connection") != "close"
            assert isinstance(json.loads(body), dict)  # ListQueues' JSON answer


def test_a_body_the_app_leaves_unread_is_not_read_as_the_next_request(moto_port):
    # The body's bytes are a request line here, and must be drained, not answered.
    with socket.create_connection(("127.0.0.1", moto_port), timeout=10) as conn:
        reader = conn.makefile("rb")
        conn.sendall(_smuggling("GET", "Content-Length"))
        assert _read_response(reader)[0] == 200
        conn.sendall(_request(b"{}"))  # the next request is the next answer
        status, _, body = _read_response(reader)
        assert status == 200 and isinstance(json.loads(body), dict)
        conn.settimeout(0.5)
        with pytest.raises(TimeoutError):  # and nothing else came back
            conn.recv(1)


def test_a_chunked_body_is_answered_and_the_connection_closes(moto_port):
    chunked = _request(b"", extra="Transfer-Encoding: chunked\r\n", content_length=False)
    with socket.create_connection(("127.0.0.1", moto_port), timeout=10) as conn:
        reader = conn.makefile("rb")
        conn.sendall(chunked + b"2\r\n{}\r\n0\r\n\r\n")
        status, headers, _ = _read_response(reader)
        assert status == 200
        assert headers.get("connection") == "close"
        assert reader.read() == b""  # closed by the server


def test_a_malformed_header_line_closes_instead_of_smuggling(moto_port):
    # "Content-Length : n" is no header to Python's parser, which then drops
    # every header after it: the body must not be read as a request.
    with socket.create_connection(("127.0.0.1", moto_port), timeout=10) as conn:
        reader = conn.makefile("rb")
        conn.sendall(_smuggling("POST", "Content-Length "))
        _, headers, _ = _read_response(reader)
        assert headers.get("connection") == "close"
        assert reader.read() == b""  # one answer, then closed: nothing smuggled


def test_head_answers_keep_the_size_of_the_body(moto_port):
    import boto3

    s3 = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local",
                               region_name="ap-southeast-3").client(
        "s3", endpoint_url=f"http://127.0.0.1:{moto_port}")
    s3.create_bucket(Bucket="keepalive", CreateBucketConfiguration={
        "LocationConstraint": "ap-southeast-3"})
    s3.put_object(Bucket="keepalive", Key="foto.jpg", Body=b"hello world")
    assert s3.head_object(Bucket="keepalive", Key="foto.jpg")["ContentLength"] == 11
    assert s3.get_object(Bucket="keepalive", Key="foto.jpg")["Body"].read() == b"hello world"
