"""One way to spread CPU-bound work over the cores: ``fork_map``.

The build's heavy steps (parsing Markdown, decoding photos, rendering pages)
are pure functions of data the parent already holds. Forked children inherit
that data (the catalog, the Jinja environment) instead of receiving it
pickled, and the function may be any callable, a closure or a bound method:
nothing but the results crosses a pipe. No module keeps global state.
"""

import gc
import multiprocessing
import os
import traceback

MAX_WORKERS = 4


def worker_count() -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS)


def _child(function, items, connection) -> None:
    try:
        connection.send((True, [function(item) for item in items]))
    except BaseException as error:  # noqa: BLE001 - re-raised in the parent
        connection.send((False, f"{error!r}\n{traceback.format_exc()}"))
    finally:
        connection.close()


def fork_map(function, items, *, min_items: int = 2, workers: int | None = None) -> list:
    """``[function(item) for item in items]``, on every core when there are at
    least ``min_items`` items. Items are dealt round-robin, so slow and fast
    items spread evenly; the results come back in the items' order."""
    items = list(items)
    workers = min(workers or worker_count(), len(items))
    if workers < 2 or len(items) < min_items:
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    children = []
    # The children's collector then leaves what they inherited alone: scanning
    # it would cost time and copy every page it touches (copy-on-write).
    gc.freeze()
    try:
        for index in range(workers):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_child,
                                      args=(function, items[index::workers], sending))
            process.start()
            sending.close()
            children.append((process, receiving))
    finally:
        gc.unfreeze()
    results: list = [None] * len(items)
    failure = None
    for index, (process, receiving) in enumerate(children):
        try:
            ok, value = receiving.recv()
        except EOFError:
            ok, value = False, f"worker exited with code {process.exitcode}"
        process.join()
        if not ok:
            failure = failure or value
            continue
        results[index::workers] = value
    if failure:
        raise RuntimeError(f"a parallel worker failed: {failure}")
    return results
