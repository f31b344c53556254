"""``local.lambda_events``: the Function URL and SQS event shapes."""

import base64
import json

from local.lambda_events import function_url_event, http_response, sqs_event


def test_form_post_event_is_base64_like_a_function_url():
    body = b"item=kopi-wanayasa%2Farabika&qty=2&name=Siti"
    event = function_url_event(
        "post", "/api/order?x=1&x=2&empty=", [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "http://a"),
            ("Accept", "text/html"), ("Accept", "*/*"), ("Cookie", "a=1; b=2")],
        body, "127.0.0.1", port=8000)
    assert event["version"] == "2.0"
    assert event["rawPath"] == "/api/order"
    assert event["rawQueryString"] == "x=1&x=2&empty="
    assert event["queryStringParameters"] == {"x": "1,2", "empty": ""}
    assert event["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert event["headers"]["accept"] == "text/html,*/*"
    assert event["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert "cookie" not in event["headers"] and event["cookies"] == ["a=1", "b=2"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body
    http = event["requestContext"]["http"]
    assert http["method"] == "POST" and http["sourceIp"] == "127.0.0.1"
    assert http["path"] == "/api/order"


def test_json_event_is_text_and_get_has_no_body():
    data = json.dumps({"name": "Siti Ñ"}).encode()
    event = function_url_event("POST", "/api/order", [("content-type", "application/json")],
                               data, "10.0.0.1")
    assert event["isBase64Encoded"] is False and json.loads(event["body"]) == {"name": "Siti Ñ"}
    get = function_url_event("GET", "/api/search", [], b"", "10.0.0.1")
    assert "body" not in get and get["queryStringParameters"] is None
    assert get["rawQueryString"] == ""


def test_http_response_decodes_base64_and_cookies():
    status, headers, body = http_response({
        "statusCode": 303, "headers": {"location": "/api/order/WO-1?t=x"},
        "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True,
        "cookies": ["a=1; Path=/"]})
    assert status == 303 and body == b"\x00\x01"
    assert ("location", "/api/order/WO-1?t=x") in headers
    assert ("Set-Cookie", "a=1; Path=/") in headers
    assert ("Content-Type", "application/json") in headers
    status, headers, body = http_response({"ok": True})  # not a response: JSON body
    assert status == 200 and json.loads(body) == {"ok": True}


def test_sqs_event_shape():
    event = sqs_event([{"MessageId": "m1", "ReceiptHandle": "r1", "Body": "{}",
                        "Attributes": {"ApproximateReceiveCount": "3"}}],
                      "arn:aws:sqs:ap-southeast-3:123456789012:warung-mail", "ap-southeast-3")
    record = event["Records"][0]
    assert record["messageId"] == "m1" and record["receiptHandle"] == "r1"
    assert record["body"] == "{}" and record["attributes"]["ApproximateReceiveCount"] == "3"
    assert record["eventSource"] == "aws:sqs"


def test_body_encoding_can_be_forced_either_way():
    form = [("Content-Type", "application/x-www-form-urlencoded")]
    event = function_url_event("POST", "/api/order", form, b"a=1", "10.0.0.1", encode_body=False)
    assert event["isBase64Encoded"] is False and event["body"] == "a=1"
    event = function_url_event("POST", "/api/order", [("Content-Type", "application/json")],
                               b"{}", "10.0.0.1", encode_body=True)
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"{}"
