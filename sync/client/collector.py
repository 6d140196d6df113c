"""Python's cycle collector held off while one page of pulled changes is read and stored.

Reading a page of 5,000 changes makes tens of thousands of models and dicts
that all live until the page is stored. Every 700 new ones started a
collection, and every few of those a full one that walks every object of the
process (the whole window's, at a counter): over a quarter of a
100,000-change catch-up's CPU, finding nothing, since what a page leaves
behind is freed by reference counting once it is stored. So the collector
waits for the page, a fraction of a second, and then runs as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside; left as found if someone else already turned it off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
