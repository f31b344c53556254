"""``fork_map``, the plugin's one parallel map."""

import pytest

from warung_catalog.parallel import fork_map


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
