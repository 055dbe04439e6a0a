"""graph.heap: a build freezes the objects it loads once and gives them back to the collector."""

from __future__ import annotations

import gc

from graph.heap import YOUNG_THRESHOLD, long_lived


def test_long_lived_freezes_for_the_block_and_unfreezes_after() -> None:
    assert gc.get_freeze_count() == 0
    with long_lived() as loaded:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        more = [[i] for i in range(1000)]  # loaded later: a pipeline, a gazetteer
        loaded()
        assert gc.get_freeze_count() >= frozen + len(more)
    assert gc.get_freeze_count() == 0


def test_long_lived_leaves_a_callers_own_freeze_alone() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with long_lived() as loaded:
            loaded()
            assert gc.get_freeze_count() == before
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


def test_long_lived_does_nothing_with_the_collector_off() -> None:
    gc.disable()
    try:
        with long_lived() as loaded:
            loaded()
            assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_long_lived_spaces_out_young_passes_for_the_block() -> None:
    before = gc.get_threshold()
    with long_lived():
        assert gc.get_threshold() == (max(before[0], YOUNG_THRESHOLD), *before[1:])
    assert gc.get_threshold() == before
