"""One way to spread CPU-bound work over the cores: ``fork_map``, or
``Forked`` to go on with other work while the workers run.

The build's heavy steps (reading shop folders, decoding photos, rendering
pages, making QR codes) are functions of data the parent already holds.
Forked children inherit that data (the catalog, the Jinja environment)
instead of receiving it pickled, and the function may be any callable, a
closure or a bound method: nothing but the results crosses a pipe (the
workers also write their own files: pages, photos, folder snapshots).
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
    return Forked(function, items, min_items=min_items, workers=workers).results()


class Forked:
    """``fork_map`` started: the workers run while the caller does other
    work, until ``results()``. Too few items for forking: the map runs in
    ``results()``, in this process. A context manager: left early (an error
    on the caller's side), it waits for the workers, so nothing they write is
    cut short; ``stop()`` ends workers whose work would be thrown away."""

    def __init__(self, function, items, *, min_items: int = 2, workers: int | None = None):
        self.function, self.items = function, list(items)
        self.workers = min(workers or worker_count(), len(self.items))
        self.children = []
        if self.workers < 2 or len(self.items) < min_items:
            return
        context = multiprocessing.get_context("fork")
        # The children's collector then leaves what they inherited alone:
        # scanning it would cost time and copy every page it touches
        # (copy-on-write). A freeze the caller made stays as it was.
        frozen_before = gc.get_freeze_count()
        gc.freeze()
        try:
            for index in range(self.workers):
                receiving, sending = context.Pipe(duplex=False)
                # Daemons: a caller that never asks for the results (a failed
                # build) cannot leave its process waiting for them at exit.
                process = context.Process(
                    target=_child, args=(function, self.items[index::self.workers], sending),
                    daemon=True)
                process.start()
                sending.close()
                self.children.append((process, receiving))
        except BaseException:
            self.stop()
            raise
        finally:
            if not frozen_before:
                gc.unfreeze()

    def __enter__(self) -> "Forked":
        return self

    def __exit__(self, *exc) -> None:
        """Left before ``results()``: let the workers finish, drop what they send."""
        for process, receiving in self.children:
            try:
                receiving.recv()
            except (EOFError, OSError):
                pass
            process.join()
            receiving.close()
        self.children = []

    def stop(self) -> None:
        """End the workers now (their results are not wanted)."""
        for process, receiving in self.children:
            process.terminate()
            process.join()
            receiving.close()
        self.children = []

    def results(self) -> list:
        if not self.children:
            return [self.function(item) for item in self.items]
        results: list = [None] * len(self.items)
        failure = None
        for index, (process, receiving) in enumerate(self.children):
            try:
                ok, value = receiving.recv()
            except EOFError:
                ok, value = False, f"worker exited with code {process.exitcode}"
            process.join()
            if not ok:
                failure = failure or value
                continue
            results[index::self.workers] = value
        self.children = []
        if failure:
            raise RuntimeError(f"a parallel worker failed: {failure}")
        return results
