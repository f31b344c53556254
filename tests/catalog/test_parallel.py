"""``fork_map`` and ``Forked``, the plugin's one way to use every core."""

import pytest

from warung_catalog.parallel import Forked, fork_map


def test_results_come_back_in_order_from_a_closure():
    offset = 1000  # a closure: nothing is pickled but the results

    def add(item):
        return item + offset

    assert fork_map(add, range(50), workers=3) == [i + 1000 for i in range(50)]


def test_few_items_run_in_this_process():
    seen = []
    assert fork_map(seen.append, [1, 2], min_items=5) == [None, None]
    assert seen == [1, 2]


def test_a_failing_worker_fails_the_call():
    def boom(item):
        if item == 7:
            raise ValueError("tujuh")
        return item

    with pytest.raises(RuntimeError, match="tujuh"):
        fork_map(boom, range(10), workers=2)


def test_started_workers_run_while_the_caller_goes_on(tmp_path):
    """The workers write their files while this process does its own work."""
    gate = tmp_path / "gate"

    def wait_for_gate(item):
        import time
        for _ in range(500):  # at most 5 s: the caller opens the gate first
            if gate.exists():
                return item * 2
            time.sleep(0.01)
        return None

    with Forked(wait_for_gate, range(4), workers=2) as started:
        gate.write_text("open")  # the caller's own work, before it waits
        assert started.results() == [0, 2, 4, 6]


def test_leaving_early_lets_the_workers_finish_what_they_write(tmp_path):
    """An error on the caller's side: the workers' files are whole, not cut short."""
    def write(item):
        import time
        time.sleep(0.3)
        (tmp_path / f"{item}.html").write_text("x" * 100_000)

    with pytest.raises(KeyError):
        with Forked(write, range(4), workers=2) as started:
            processes = [process for process, _ in started.children]
            raise KeyError("the caller failed")
    assert all(not process.is_alive() for process in processes)
    assert sorted(p.stat().st_size for p in tmp_path.iterdir()) == [100_000] * 4


def test_stop_ends_the_workers_at_once():
    def forever(item):
        import time
        time.sleep(60)

    started = Forked(forever, range(2), workers=2)
    processes = [process for process, _ in started.children]
    assert len(processes) == 2
    started.stop()
    assert all(not process.is_alive() for process in processes)


def test_a_callers_freeze_stays():
    import gc
    gc.freeze()
    try:
        assert gc.get_freeze_count() > 0
        fork_map(abs, range(10), workers=2)
        # Unfrozen, the count would be 0 (frozen objects that died since
        # the freeze may make it smaller, never 0).
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_worker_held_up_leaves_the_other_items_to_the_others():
    """Chunks are taken as workers get free, not dealt in advance: no idle tail."""
    def which_worker(item):
        import os
        import time
        if item == 0:
            time.sleep(0.5)
        return os.getpid()

    workers = fork_map(which_worker, range(160), workers=2)
    slow = workers[0]
    assert len(set(workers)) == 2
    assert workers.count(slow) <= 160 // 2 // 2  # the slow one took a few chunks at most


def test_workers_finish_before_the_caller_reads_their_large_results(tmp_path):
    """Results bigger than a pipe holds do not stop a worker until ``results()``."""
    def make(item):
        (tmp_path / f"{item}.done").write_text("")
        return "x" * 100_000

    with Forked(make, range(40), workers=2) as started:
        import time
        for _ in range(1000):  # at most 10 s
            if len(list(tmp_path.glob("*.done"))) == 40:
                break
            time.sleep(0.01)
        assert len(list(tmp_path.glob("*.done"))) == 40
        assert started.results() == ["x" * 100_000] * 40


def test_streamed_results_come_as_each_chunk_is_done(tmp_path):
    gate = tmp_path / "gate"

    def wait_for_gate(item):
        import time
        for _ in range(200):  # at most 2 s: item 0 arrives before the gate opens
            if item == 0 or gate.exists():
                return item
            time.sleep(0.01)
        return None

    with Forked(wait_for_gate, range(8), workers=2, stream=True) as started:
        arriving = started.each()
        first = next(arriving)
        gate.write_text("open")
        assert first == (0, 0)
        assert sorted([first, *arriving]) == [(i, i) for i in range(8)]


def test_two_started_maps_do_not_share_their_items():
    """A map started while another runs (the posters' codes while the pages
    render): each one's workers take only its own items."""
    def slow(item):
        import time
        time.sleep(0.002)
        return item

    with Forked(slow, range(300), workers=2) as first:
        second = Forked(slow, range(300), workers=2)
        assert second.results() == list(range(300))
        assert first.results() == list(range(300))


def test_a_stopped_worker_unwinds_what_it_was_doing(tmp_path):
    """Stopped, a worker leaves no temporary file: its cleanup runs."""
    def write(item):
        import time
        partial = tmp_path / f".{item}.tmp"
        partial.write_text("half")
        try:
            time.sleep(60)
        finally:
            partial.unlink()

    started = Forked(write, range(2), workers=2)
    import time
    for _ in range(500):  # at most 5 s: both workers are writing
        if len(list(tmp_path.iterdir())) == 2:
            break
        time.sleep(0.01)
    started.stop()
    assert list(tmp_path.iterdir()) == []


def test_stop_ends_workers_waiting_to_send_their_results(tmp_path):
    """Done, with more results than a pipe holds and nobody reading: stopped
    all the same (a failed build never reads the posters' workers)."""
    def big(item):
        (tmp_path / f"{item}.done").write_text("")
        return "x" * 1_000_000

    started = Forked(big, range(4), workers=2)
    import time
    for _ in range(1000):  # at most 10 s: every item is done
        if len(list(tmp_path.glob("*.done"))) == 4:
            break
        time.sleep(0.01)
    processes = [process for process, _ in started.children]
    started.stop()
    assert all(not process.is_alive() for process in processes)


def test_stop_ends_the_workers_of_a_map_being_read():
    def slow_after_the_first(item):
        import time
        if item:
            time.sleep(60)
        return item

    started = Forked(slow_after_the_first, range(8), workers=2, stream=True)
    processes = [process for process, _ in started.children]
    assert next(started.each()) == (0, 0)
    started.stop()
    assert all(not process.is_alive() for process in processes)
