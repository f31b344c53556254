"""Warm state: what a function keeps between invocations, in one place.

A Lambda container serves many requests; caches that outlive a request (the
catalog and its ETag, boto3 clients, Jinja environments, the search index,
the routing table) live here, each under a name, so ``reset()`` forgets all
of them at once (tests, a rebuild in the local run) without reaching into
modules.

    state = warm.slot("catalog", lambda: {"catalog": None})
    with warm.lock:   # one lock: warm state changes rarely
        ...
"""

import threading
from typing import Any, Callable

lock = threading.RLock()
_slots: dict[str, Any] = {}


def slot(name: str, factory: Callable[[], Any]) -> Any:
    """The warm value called ``name``, made by ``factory`` on first use."""
    found = _slots.get(name)
    if found is None:
        with lock:
            found = _slots.get(name)
            if found is None:
                found = _slots[name] = factory()
    return found


def forget(name: str) -> None:
    """Drop one warm value (made again on next use)."""
    with lock:
        _slots.pop(name, None)


def reset() -> None:
    """Forget every warm value."""
    with lock:
        _slots.clear()
