"""Pause Python's cyclic garbage collector while bulk data (a catalogue, a graph) is built.

Building a 100,000-credential catalogue allocates millions of container objects, none of them
garbage; the collector's full passes over them took half of the load time. Pauses nest and are
safe across threads: the collector comes back on when the last pause ends, and only if it was
on when the first began (so a caller that turned it off itself keeps it off).

When it comes back on, what was built is handed straight to the oldest generation
(``gc.freeze()`` then ``gc.unfreeze()``). Otherwise the first young collection after the pause
would walk every object built during it (0.7 s after loading 100,000 credentials) only to find
them all alive, and the middle generation's would do it again. They are still collected
normally, with the oldest generation, when they become garbage. This is skipped while anything
else is frozen (the app freezes what it built out of every collection): ``gc.unfreeze()``
would thaw that too.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _was_enabled  # noqa: PLW0603 - one process-wide collector, one pause count
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                if gc.get_freeze_count() == 0:
                    gc.freeze()  # every tracked object, young ones included, ...
                    gc.unfreeze()  # ... back into the oldest generation
                gc.enable()
