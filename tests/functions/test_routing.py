"""backend.routing and backend.warm alone: a route table on Powertools'
resolver, and the registry of warm state."""

import pytest

from backend import function_url as fu
from backend import routing, warm


def event(method, path):
    return {"rawPath": path, "rawQueryString": "", "headers": {"host": "x"}, "body": None,
            "isBase64Encoded": False,
            "requestContext": {"http": {"method": method, "path": path, "sourceIp": "1.2.3.4"}}}


def boom(event):
    raise RuntimeError("a bug")


ROUTES = [
    ("/api/thing", ("POST",), lambda e: fu.json_response(201, {"ok": True})),
    ("/api/thing/<code>", ("GET", "HEAD"), lambda e, code: fu.html_response(200, f"<p>{code}</p>")),
    ("/api/boom", ("GET",), boom),
]


@pytest.fixture(autouse=True)
def fresh():
    warm.reset()
    yield
    warm.reset()


def answer(method, path):
    return routing.resolve(
        "test", ROUTES, event(method, path), None,
        not_found=lambda e: fu.json_response(404, {"nf": fu.path(e)}),
        not_allowed=lambda e, allowed: fu.json_response(405, {}, {"allow": ", ".join(allowed)}),
        failed=lambda e: fu.json_response(503, {}, {"retry-after": "30"}))


def test_routes_answer_with_their_views_headers():
    created = answer("POST", "/api/thing")
    assert created["statusCode"] == 201 and created["body"] == '{"ok":true}'
    assert created["headers"]["content-type"] == "application/json; charset=utf-8"
    assert created["headers"]["referrer-policy"] == "same-origin"
    assert all(name == name.lower() for name in created["headers"])
    assert answer("GET", "/api/thing/WO-1/")["body"] == "<p>WO-1</p>"  # trailing slash


def test_head_answers_without_a_body():
    head = answer("HEAD", "/api/thing/WO-1")
    assert head["statusCode"] == 200 and head["body"] == ""


def test_unlisted_methods_are_405_with_allow():
    refused = answer("DELETE", "/api/thing")
    assert refused["statusCode"] == 405 and refused["headers"]["allow"] == "POST"
    assert answer("POST", "/api/thing/WO-1")["headers"]["allow"] == "GET, HEAD"


def test_unknown_paths_and_failures_go_to_the_functions_answers():
    assert answer("GET", "/api/other")["statusCode"] == 404
    assert answer("GET", "/api/thing/a/b")["statusCode"] == 404
    failed = answer("GET", "/api/boom")
    assert failed["statusCode"] == 503 and failed["headers"]["retry-after"] == "30"


def test_warm_slots_are_made_once_and_forgotten_on_reset():
    made = []
    first = warm.slot("thing", lambda: made.append(1) or {"n": len(made)})
    assert warm.slot("thing", dict) is first and made == [1]
    warm.forget("thing")
    assert warm.slot("thing", lambda: {"n": 2}) == {"n": 2}
    warm.reset()
    assert warm.slot("thing", dict) == {}
