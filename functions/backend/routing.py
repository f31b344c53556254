"""Routes as a table, resolved by Powertools' ``LambdaFunctionUrlResolver``.

A function lists its routes as ``(path, methods, view)``; ``view(event,
**params)`` gets the raw Function URL event (read with
``backend.function_url``) and returns a response dict (``function_url``'s
``json_response``/``html_response``/``redirect``). Methods a path does not
list answer 405 with ``Allow``; unknown paths and failures answer what the
function says (``not_found(event)``, ``failed(event)``). HEAD answers GET's
headers without the body.

Powertools is imported on the first request, not at cold start (the order
function's import budget), and the resolver is kept warm (``backend.warm``).
"""

from typing import Callable

from backend import warm

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

View = Callable[..., dict]


def _response(result: dict):
    from aws_lambda_powertools.event_handler import Response

    return Response(status_code=result["statusCode"], content_type=None,
                    body=result.get("body") or "", headers=result.get("headers") or {})


def _build(routes, not_found: View, not_allowed: Callable[[dict, list], dict],
           failed: View):
    from aws_lambda_powertools.event_handler import LambdaFunctionUrlResolver

    app = LambdaFunctionUrlResolver()

    def raw() -> dict:
        return app.current_event.raw_event

    for path, methods, view in routes:
        app.route(path, method=list(methods))(
            lambda _view=view, **params: _response(_view(raw(), **params)))
        others = [m for m in METHODS if m not in methods]
        app.route(path, method=others)(
            lambda _allowed=list(methods), **params: _response(not_allowed(raw(), _allowed)))
    app.not_found(lambda _exc: _response(not_found(raw())))
    app.exception_handler(Exception)(lambda _exc: _response(failed(raw())))
    return app


def _normalized(event: dict) -> dict:
    """A Function URL event as Powertools reads it: the stage every real one
    has, and the path without a trailing slash."""
    context = dict(event.get("requestContext") or {})
    http = dict(context.get("http") or {})
    path = (event.get("rawPath") or http.get("path") or "/").rstrip("/") or "/"
    http.update(path=path, method=str(http.get("method") or "GET").upper())
    context.update(http=http, stage=context.get("stage") or "$default")
    return {**event, "rawPath": path, "requestContext": context,
            "headers": event.get("headers") or {}}


def resolve(name: str, routes, event: dict, context, *, not_found: View,
            not_allowed: Callable[[dict, list], dict], failed: View) -> dict:
    """Answer ``event`` from the route table ``routes`` (kept warm as ``name``)."""
    app = warm.slot(f"routes:{name}", lambda: _build(routes, not_found, not_allowed, failed))
    event = _normalized(event)
    result = app.resolve(event, context)
    result["headers"] = {key.lower(): value for key, value in (result.get("headers") or {}).items()}
    if not result.get("cookies"):
        result.pop("cookies", None)
    if event["requestContext"]["http"]["method"] == "HEAD":
        result["body"] = ""
    return result
