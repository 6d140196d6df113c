"""Dossier codes stay unique across offline counters and concurrent saves, and gap-free."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.codes import DailyNumbersExhausted, highest_on_record, parse_code
from counter_app.models import CodeSequence, Dossier
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.counter_store import MONDAY_MORNING, UNIT_CODE, open_counter
from tests.support.reception import request


def numbers(codes: list[str]) -> list[int]:
    parsed = [parse_code(code) for code in codes]
    assert all(p is not None for p in parsed)
    return sorted(p.number for p in parsed if p is not None)


def test_two_counters_of_one_unit_offline_never_collide(
    tmp_path: Path, clerk: StaffIdentity
) -> None:
    counters = [open_counter(tmp_path / f"counter{slot}", slot=slot) for slot in (1, 2)]
    codes: dict[int, list[str]] = {1: [], 2: []}
    clock = FixedClock(MONDAY_MORNING)
    for _ in range(30):
        for slot, store in zip((1, 2), counters, strict=True):
            codes[slot].append(ReceptionService(store, clock).receive(request(store), clerk).code)
        clock.advance(minutes=3)
    everything = codes[1] + codes[2]
    assert len(set(everything)) == 60
    assert numbers(codes[1]) == list(range(1001, 1031))
    assert numbers(codes[2]) == list(range(2001, 2031))
    assert all(code.startswith(f"{UNIT_CODE}-261116-") for code in everything)


def test_concurrent_saves_from_threads_are_unique_and_gap_free(
    store: Store, clerk: StaffIdentity
) -> None:
    clock = FixedClock(MONDAY_MORNING)
    service = ReceptionService(store, clock)
    template = request(store)
    results: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        try:
            for _ in range(15):
                results.append(service.receive(template, clerk).code)
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert numbers(results) == list(range(1001, 1061))
    with store.read() as session:
        stored = session.scalars(select(Dossier.code)).all()
    assert sorted(stored) == sorted(results)


def test_numbers_restart_each_day(store: Store, clerk: StaffIdentity) -> None:
    clock = FixedClock(MONDAY_MORNING)
    service = ReceptionService(store, clock)
    monday = service.receive(request(store), clerk).code
    clock.advance(days=1)
    tuesday = service.receive(request(store), clerk).code
    assert monday == f"{UNIT_CODE}-261116-1001"
    assert tuesday == f"{UNIT_CODE}-261117-1001"


def test_the_thousandth_dossier_of_a_slot_is_refused_plainly(
    store: Store, clerk: StaffIdentity
) -> None:
    with store.write() as session:
        session.add(
            CodeSequence(unit_code=UNIT_CODE, day=dt.date(2026, 11, 16), slot=1, last_number=998)
        )
    service = ReceptionService(store, FixedClock(MONDAY_MORNING))
    assert service.receive(request(store), clerk).code.endswith("-1999")
    with pytest.raises(DailyNumbersExhausted, match="999"):
        service.receive(request(store), clerk)


def test_a_central_system_code_in_the_same_range_is_not_taken_for_this_counters(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Circular 04/2025/TT-VPCP: a centrally run procedure's code ends -AAXXXX (six digits or
    # more); one whose text falls among this counter's -1001…-1999 is not one of its numbers.
    service = ReceptionService(store, clock)
    received = service.receive(request(store), clerk).code
    central = received[: -len("1001")] + "150999"
    with store.write() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == received))
        assert dossier is not None
        dossier.code = central
    with store.read() as session:
        assert highest_on_record(session, UNIT_CODE, clock.now().date(), 1) == 0
    # the day goes on from the counter's own numbers, neither jumping nor running out
    assert service.receive(request(store), clerk).code == received[: -len("1001")] + "1002"
