"""Lambda-shaped events for the local run, built as AWS builds them.

- ``function_url_event``: an HTTP request as a Lambda Function URL delivers it
  (payload format 2.0, docs/ORDERS.md "Events").
- ``http_response``: a handler's return value as the Function URL turns it
  into an HTTP response.
- ``sqs_event``: received SQS messages as the SQS event source mapping hands
  them to the mailer.
"""

import base64
import json
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

# Bodies with these content types arrive as text; every other body (form
# posts included) arrives base64-encoded with isBase64Encoded true, as the
# real Function URL does.
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
_TEXT_SUFFIXES = ("+json", "+xml")


def is_text_type(content_type: str) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind.startswith(_TEXT_TYPES) or kind.endswith(_TEXT_SUFFIXES)


def _headers(headers, source_ip: str, scheme: str, port: int | None):
    """(lower-cased headers, repeats joined with commas; cookies) as the
    Function URL passes them, with the X-Forwarded-* it adds."""
    lowered: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        name = name.lower()
        if name == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        lowered[name] = f"{lowered[name]},{value}" if name in lowered else value
    forwarded = lowered.get("x-forwarded-for")
    lowered["x-forwarded-for"] = f"{forwarded}, {source_ip}" if forwarded else source_ip
    lowered["x-forwarded-proto"] = scheme
    if port is not None:
        lowered["x-forwarded-port"] = str(port)
    return lowered, cookies


def function_url_event(method: str, target: str, headers, body: bytes | None,
                       source_ip: str, *, scheme: str = "http", port: int | None = None,
                       encode_body: bool | None = None) -> dict:
    """The payload 2.0 event of one request (the one builder: the local
    server and the functions' tests both use it).

    ``target`` is the request target (path and query, as sent); ``headers``
    a list of ``(name, value)`` pairs. Repeated headers and query parameters
    are joined with commas; cookies move from ``cookie`` to ``cookies``.
    The body is base64-encoded unless its content type is text, as the
    Function URL does; ``encode_body`` True or False forces it (tests).
    """
    parts = urlsplit(target)
    raw_path = parts.path or "/"
    lowered, cookies = _headers(headers, source_ip, scheme, port)
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    now = time.time()
    host = lowered.get("host", "localhost")
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": raw_path,
        "rawQueryString": parts.query,
        "headers": lowered,
        "queryStringParameters": query or None,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "local",
            "domainName": host,
            "domainPrefix": host.split(".", 1)[0],
            "http": {
                "method": method.upper(),
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": datetime.fromtimestamp(now, timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if body:
        if encode_body is None:
            encode_body = not is_text_type(lowered.get("content-type", ""))
        if not encode_body:
            event["body"] = body.decode("utf-8", errors="replace")
        else:
            event["body"] = base64.b64encode(body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def http_response(result) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body bytes) of a handler's return value.

    A dict with ``statusCode`` is used as is (``isBase64Encoded`` bodies are
    decoded, ``cookies`` become Set-Cookie headers); anything else is a 200
    JSON body, as the Function URL treats it.
    """
    if not (isinstance(result, dict) and "statusCode" in result):
        body = json.dumps(result, ensure_ascii=False).encode("utf-8")
        return 200, [("Content-Type", "application/json")], body
    status = int(result["statusCode"])
    headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))
    headers.extend(("Set-Cookie", str(c)) for c in result.get("cookies") or [])
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        data = base64.b64decode(body)
    elif isinstance(body, bytes):
        data = body
    else:
        data = str(body).encode("utf-8")
    return status, headers, data


def sqs_event(messages: list[dict], queue_arn: str, region: str) -> dict:
    """An SQS event (``Records``) for messages from ``receive_message``."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": {"ApproximateReceiveCount": "1", **message.get("Attributes", {})},
                "messageAttributes": {
                    name: {"stringValue": value.get("StringValue"),
                           "binaryValue": value.get("BinaryValue"),
                           "stringListValues": [], "binaryListValues": [],
                           "dataType": value.get("DataType", "String")}
                    for name, value in (message.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for message in messages
        ]
    }


class LambdaContext:
    """The few context attributes handlers may read."""

    def __init__(self, function_name: str, timeout_seconds: float = 30.0, memory_mb: int = 256):
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))
