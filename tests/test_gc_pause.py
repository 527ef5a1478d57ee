"""The collector pause used while catalogues and graphs are built."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from pathplanner.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def restore_gc() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_pauses_nest_and_restore_the_collector() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still on
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_the_collector_comes_back_after_an_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_what_was_built_joins_the_oldest_generation() -> None:
    gc.enable()
    with gc_paused():
        built = [[i] for i in range(1000)]
    young = [o for generation in (0, 1) for o in gc.get_objects(generation=generation)]
    assert not any(o is built or o is built[0] for o in young)
    assert any(o is built for o in gc.get_objects(generation=2))


def test_garbage_built_during_a_pause_is_still_collected() -> None:
    class Node:
        partner: Node

    gc.enable()
    with gc_paused():
        first, second = Node(), Node()
        first.partner, second.partner = second, first  # a cycle: only the collector frees it
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is None


def test_what_someone_else_froze_stays_frozen() -> None:
    gc.enable()
    kept = [[i] for i in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            built = [[i] for i in range(100)]
        del built
        assert gc.get_freeze_count() == frozen
        assert not any(o is kept for o in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
