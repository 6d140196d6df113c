"""A pulled page is read and stored with the cycle collector held off, and only then."""

from __future__ import annotations

import gc

import pytest

from sync.client import collector


def test_the_collector_is_off_for_the_page_and_on_again_after_it_even_on_an_error() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("page refused")
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
