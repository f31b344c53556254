"""``local.routes``: the one table of where the local server sends a request."""

import ast
from pathlib import Path

import pytest
from order import handler as order_function
from search import handler as search_function

import local.routes
from local.routes import ROUTES, route_for


@pytest.mark.parametrize("path, expected", [
    ("/api/order", "order"), ("/api/order/WO-ABC123", "order"),
    ("/api/search", "search"), ("/api/search/", "search"),
    ("/api/lain", "order"),  # CloudFront's /api/* goes to the order function
    ("/_dev/outbox", "outbox"), ("/_dev/outbox/", "outbox"), ("/_dev/outbox.json", "outbox.json"),
    ("/_dev/queue.json", "queue.json"),
    ("/api/daftar", "daftar"), ("/api/ubah/masuk", "daftar"),
    ("/api/penjual/WO-ABC123-1", "sellerpage"), ("/api/pesanan", "sellerpage"),
    ("/_dev/aws.json", "aws.json"), ("/_dev/s3/bucket/key", "s3"),
    ("/api", None), ("/", None), ("/toko/api/order", None), ("/_dev/outbox.jsonx", None),
    ("/_dev/", None),
])
def test_routes_mirror_the_cloudfront_behaviours(path, expected):
    found = route_for(path)
    assert (found.name if found else None) == expected


class Recorder:
    """The part of the request handler a function route uses."""

    def __init__(self):
        self.calls = []

    def invoke(self, name, handler):
        self.calls.append((name, handler))


@pytest.mark.parametrize("path, name, handler", [
    ("/api/order", "order", order_function.handler),
    ("/api/search", "search", search_function.handler),
])
def test_function_routes_call_the_imported_handlers(path, name, handler):
    request = Recorder()
    route_for(path).answer(request)
    assert request.calls == [(name, handler)]


def test_the_router_imports_its_handlers_explicitly():
    tree = ast.parse(Path(local.routes.__file__).read_text())
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "importlib" not in names and "__import__" not in names
    assert {"order", "search"} <= modules
    # first match wins: /api/* (the order function) after every narrower /api route
    api = [r.name for r in ROUTES if r.path.startswith("/api")]
    assert api == ["search", "daftar", "daftar", "sellerpage", "sellerpage", "order"]
