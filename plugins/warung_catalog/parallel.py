"""One way to spread CPU-bound work over the cores: ``fork_map``, or
``Forked`` to go on with other work while the workers run.

The build's heavy steps (reading shop folders, decoding photos, rendering
pages and posters) are functions of data the parent already holds.
Forked children inherit that data (the catalog, the Jinja environment)
instead of receiving it pickled, and the function may be any callable, a
closure or a bound method: nothing but the results crosses a pipe (the
workers also write their own files: pages, photos, folder snapshots).
"""

import gc
import mmap
import multiprocessing
import multiprocessing.connection
import os
import signal
import traceback

MAX_WORKERS = 4
CHUNKS_PER_WORKER = 32  # a worker takes the next chunk when it is done with one
STOP_WAIT = 5  # seconds a stopped worker has to unwind


def worker_count() -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS)


def _take(taken: tuple, size: int) -> int:
    """Where the next ``size`` items start (``taken``: the shared count, its lock)."""
    count, lock = taken
    with lock:
        start = int.from_bytes(count[:8], "little")
        count[:8] = (start + size).to_bytes(8, "little")
    return start


class _Stopped(BaseException):
    """``Forked.stop``'s signal, raised where the worker is."""


def _stopped(*_) -> None:
    raise _Stopped


def _child(function, items, taken, size, stream, connection) -> None:
    """Take the next ``size`` items (``_take``) until none are left; send
    their results with where they start: each chunk at once (``stream``) or
    all at the end (a full pipe would stop a worker whose caller reads only
    later); then ``None``. Stopped (``Forked.stop``), it unwinds like an
    error: what it was writing removes its temporary file."""
    signal.signal(signal.SIGTERM, _stopped)
    done = []
    try:
        while True:
            start = _take(taken, size)
            if start >= len(items):
                break
            done.append((True, start, [function(item) for item in items[start:start + size]]))
            if stream:
                connection.send(done)
                done = []
        connection.send(done)
        connection.send(None)
    except _Stopped:
        pass  # nothing more to send: nobody reads (a send could wait for ever)
    except BaseException as error:  # noqa: BLE001 - re-raised in the parent
        connection.send([(False, 0, f"{error!r}\n{traceback.format_exc()}")])
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # past this, stopping just ends it
        connection.close()


def fork_map(function, items, *, min_items: int = 2, workers: int | None = None) -> list:
    """``[function(item) for item in items]``, on every core when there are at
    least ``min_items`` items; the results come back in the items' order."""
    return Forked(function, items, min_items=min_items, workers=workers).results()


class Forked:
    """``fork_map`` started: the workers run while the caller does other
    work, until ``results()``. Each worker takes the next chunk of items
    when it is done with one, so one slowed down (by the caller's own work,
    by slow items) leaves the other cores no idle tail. Too few items for
    forking: the map runs in ``results()``, in this process. A context
    manager: left early (an error on the caller's side), it waits for the
    workers, so nothing they write is cut short; ``stop()`` ends workers
    whose work would be thrown away. ``stream``: the workers send each chunk
    as soon as it is done, for a caller that reads them at once (``each``)."""

    def __init__(self, function, items, *, min_items: int = 2, workers: int | None = None,
                 stream: bool = False):
        self.function, self.items = function, list(items)
        self.workers = min(workers or worker_count(), len(self.items))
        self.children = []
        if self.workers < 2 or len(self.items) < min_items:
            return
        context = multiprocessing.get_context("fork")
        # How many items the workers took: memory of this map's own (not
        # from multiprocessing's heap, where a map started later could be
        # given the same bytes while these workers still count in them).
        taken = (mmap.mmap(-1, 8), context.Lock())
        size = max(1, len(self.items) // (self.workers * CHUNKS_PER_WORKER))
        # The children's collector then leaves what they inherited alone:
        # scanning it would cost time and copy every page it touches
        # (copy-on-write). A freeze the caller made stays as it was.
        frozen_before = gc.get_freeze_count()
        gc.freeze()
        try:
            for _ in range(self.workers):
                receiving, sending = context.Pipe(duplex=False)
                # Daemons: a caller that never asks for the results (a failed
                # build) cannot leave its process waiting for them at exit.
                process = context.Process(
                    target=_child, args=(function, self.items, taken, size, stream, sending),
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
        for _ in self._messages():
            pass

    def stop(self) -> None:
        """End the workers now (their results are not wanted)."""
        for process, receiving in self.children:
            process.terminate()
            receiving.close()  # one waiting to send its results stops waiting
        for process, _ in self.children:
            process.join(STOP_WAIT)
            if process.is_alive():  # it did not unwind in time
                process.kill()
                process.join()
        self.children = []

    def _messages(self):
        """Every chunk the workers send, as they send it: (ok, start, results).
        A worker is forgotten once it has ended: ``stop()`` and leaving the
        ``with`` block still take care of the others."""
        while self.children:
            waiting = {receiving: (process, receiving) for process, receiving in self.children}
            for receiving in multiprocessing.connection.wait(list(waiting)):
                process = waiting[receiving][0]
                try:
                    message = receiving.recv()
                except (EOFError, OSError):
                    message = [(False, 0, f"worker exited with code {process.exitcode}")]
                yield from message or ()
                if message is None or not all(ok for ok, _, _ in message):
                    self.children.remove(waiting[receiving])
                    process.join()
                    receiving.close()

    def each(self):
        """(index, result) of every item, as the workers send them (in no
        set order: the caller works on the first while the workers go on).
        A failed worker: RuntimeError, once every worker has ended."""
        if not self.children:
            yield from enumerate(map(self.function, self.items))
            return
        failure = None
        for ok, start, values in self._messages():
            if not ok:
                failure = failure or values
                continue
            yield from enumerate(values, start)
        if failure:
            raise RuntimeError(f"a parallel worker failed: {failure}")

    def results(self) -> list:
        results: list = [None] * len(self.items)
        for index, result in self.each():
            results[index] = result
        return results
