"""The dossier list's query: every filter counted against what was put in, pages in order."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from counter_app import dossier_query
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_query import (
    APPLICANT_LIMIT,
    DossierFilter,
    DossierPages,
    SearchTooBroad,
    find_dossier_code,
    is_overdue,
    prepare,
    text_kind,
)
from counter_app.dossiers import DossierService
from counter_app.lifecycle import RUNNING_STATUSES, Status
from counter_app.reception import ReceptionService
from counter_app.store import Store
from counter_app.text import fold
from tests.support.counter_store import MONDAY_MORNING, UNIT_CODE, applicant, open_counter
from tests.support.planted_dossiers import BIG, BIG_NOW, Planted, newest_first, plant
from tests.support.reception import full_checklist, request


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[Planted]]]:
    store = open_counter(tmp_path_factory.mktemp("big") / "counter")
    planted = plant(store, BIG)
    yield store, planted
    store.close()


def _match(flt: DossierFilter, now: dt.datetime) -> Callable[[Planted], bool]:
    """The filter's meaning, written again plainly in Python over the planted rows."""

    def matches(p: Planted) -> bool:
        if flt.statuses and p.status not in flt.statuses:
            return False
        # Not while waiting for a supplement: Decree 297/2025 art. 6(4)(a).
        if flt.overdue_only and not (p.status in RUNNING_STATUSES and p.due_at < now):
            return False
        if flt.received_from and p.received_at.date() < flt.received_from:
            return False
        if flt.received_to and p.received_at.date() > flt.received_to:
            return False
        if flt.procedure_code and p.procedure_code != flt.procedure_code:
            return False
        text = flt.text
        if text and text[0].isdigit() and "." in text:
            return p.code.startswith(text)
        if text.isdigit():
            return p.cccd.startswith(text)
        if not text:
            return True
        # A name is searched folded (no accents, "đ" as "d"); two letters start a word.
        key, name = fold(text), f" {fold(p.applicant_name)} "
        return (key in name) if len(key) >= 3 else (f" {key}" in name)

    return matches


BIG_FILTERS = [
    DossierFilter(),
    DossierFilter(statuses=frozenset({Status.RETURNED})),
    DossierFilter(statuses=frozenset({Status.RETURNED, Status.DRAFT})),
    DossierFilter(statuses=frozenset({Status.SUPPLEMENT_REQUESTED, Status.REJECTED})),
    DossierFilter(overdue_only=True),
    DossierFilter(overdue_only=True, statuses=frozenset({Status.IN_PROCESSING})),
    DossierFilter(received_from=dt.date(2026, 10, 1), received_to=dt.date(2026, 10, 31)),
    DossierFilter(procedure_code="1.001193"),
    DossierFilter(procedure_code="1.001193", statuses=frozenset({Status.RETURNED})),
    DossierFilter(text=f"{UNIT_CODE}-2610"),
    DossierFilter(text="038100001"),
    DossierFilter(text="Trần Thị Mai"),
    DossierFilter(text="TRAN THI MAI"),
    DossierFilter(text="ần Thị M"),
    DossierFilter(text="đỗ văn", received_from=dt.date(2026, 6, 1)),
    DossierFilter(text="DO VAN HUNG", statuses=frozenset({Status.RETURNED})),
    DossierFilter(statuses=frozenset({Status.RETURNED}), received_from=dt.date(2026, 9, 1)),
    DossierFilter(procedure_code="1.001193", received_to=dt.date(2026, 9, 30)),
]


@pytest.mark.slow
@pytest.mark.parametrize("flt", BIG_FILTERS, ids=lambda f: repr(f)[14:70])
def test_counts_and_first_pages_match_what_was_planted(
    big: tuple[Store, list[Planted]], flt: DossierFilter
) -> None:
    store, planted = big
    expected = newest_first([p for p in planted if _match(flt, BIG_NOW)(p)])
    assert expected, "every filter of this test should match something"
    with store.read() as session:
        assert prepare(session, flt, BIG_NOW).count(session) == len(expected)
        page = prepare(session, flt, BIG_NOW).fetch(session, limit=50)
        last = prepare(session, flt, BIG_NOW).fetch(session, older=False, limit=50)
    assert [r.code for r in page.rows] == [p.code for p in expected[:50]]
    assert [r.code for r in last.rows] == [p.code for p in expected[-50:]]
    assert all(r.overdue == is_overdue(r.status, r.due_at, BIG_NOW) for r in page.rows)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("flt", "walks"),  # how a jump to the middle is read
    [
        (DossierFilter(statuses=frozenset({Status.RETURNED, Status.REJECTED})), True),
        (DossierFilter(procedure_code="1.001193"), True),
        (DossierFilter(statuses=frozenset({Status.RESULT_READY})), False),
        (DossierFilter(text="Đỗ Văn"), False),
    ],
    ids=["most-statuses", "procedure", "a-rare-status", "a-name"],
)
def test_pages_walked_or_jumped_to_are_the_same_rows(
    big: tuple[Store, list[Planted]], flt: DossierFilter, walks: bool
) -> None:
    store, planted = big
    expected = [p.code for p in newest_first([p for p in planted if _match(flt, BIG_NOW)(p)])]
    pages = DossierPages(store.read, flt, BIG_NOW, page_size=100)
    assert pages.total == len(expected) > 300
    with store.read() as session:
        # A jump to the middle: a rare status is read and sorted rather than walked to.
        assert prepare(session, flt, BIG_NOW).walks(pages.total // 2, 100, pages.total) is walks
    rng = random.Random(3)
    probes = [0, 1, 99, 100, pages.total - 1, pages.total - 150, pages.total // 2]
    probes += rng.sample(range(pages.total), 30)
    for index in probes:
        row = pages.row(index)
        assert row is not None and row.code == expected[index], index
    # Walking down from a page seen reads one page per page: no offset, no re-reading.
    before = pages.rows_fetched
    start = pages.total // 2 // 100 * 100
    walked = [pages.row(i) for i in range(start, min(pages.total, start + 1000))]
    assert [r.code for r in walked if r] == expected[start : start + 1000]
    assert pages.rows_fetched - before <= 1000
    assert pages.row(pages.total) is None


def test_filters_on_dossiers_received_at_the_counter(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    reception = ReceptionService(store, clock)
    events = DossierService(store, clock)
    birth = reception.receive(request(store), clerk)  # due the same day
    clock.advance(minutes=5)
    residence_docs = full_checklist(store, "1.004194")
    other = applicant(
        full_name="Đặng Văn Hùng",
        cccd="038095001122",
        date_of_birth=dt.date(1995, 5, 5),
        sex="male",
    )
    residence = reception.receive(
        request(store, procedure_code="1.004194", documents=residence_docs, applicant=other),
        clerk,
    )
    clock.advance(days=1)
    third = reception.receive(request(store), clerk)
    events.record(third.code, "result_ready", clerk)
    events.record(birth.code, "processing_started", clerk)
    reception.save_draft(request(store), clerk)
    now = clock.now() + dt.timedelta(days=3)

    def codes(**kwargs: object) -> list[str]:
        flt = DossierFilter(**kwargs)  # type: ignore[arg-type]
        with store.read() as session:
            rows = prepare(session, flt, now).fetch(session).rows
            assert prepare(session, flt, now).count(session) == len(rows)
        return [r.code for r in rows]

    assert codes() == [third.code, residence.code, birth.code], "newest first, no draft"
    assert codes(statuses=frozenset({Status.IN_PROCESSING})) == [birth.code]
    assert codes(statuses=frozenset({Status.DRAFT})) == []
    assert codes(overdue_only=True) == [residence.code, birth.code]
    assert codes(overdue_only=True, statuses=frozenset({Status.RESULT_READY})) == []
    assert codes(procedure_code="1.004194") == [residence.code]
    assert codes(received_from=third.received_at.date()) == [third.code]
    assert codes(received_to=birth.received_at.date()) == [residence.code, birth.code]
    assert codes(text="đặng văn") == [residence.code]
    assert codes(text="ĐẶNG") == [residence.code]
    assert codes(text="trần thị mai") == [third.code, birth.code]
    assert codes(text="038095") == [residence.code]
    assert codes(text=third.code[:-2].lower()) == [third.code]
    with store.read() as session:
        row = prepare(session, DossierFilter(), now).fetch(session).rows[2]
        assert row.procedure_name == "Đăng ký khai sinh"
        assert row.applicant_name == "Trần Thị Mai"
        assert row.status_label == "Đang giải quyết" and row.overdue
        assert find_dossier_code(session, f" {birth.code.lower()} ") == birth.code
        assert find_dossier_code(session, birth.code[:-1] + "9") is None
        assert find_dossier_code(session, "hello") is None


def test_search_text_is_read_as_code_cccd_or_name() -> None:
    assert text_kind("  ") == "none"
    assert text_kind("000.00.11.h57-2611") == "code"
    assert text_kind("038 095") == "cccd"
    assert text_kind("Trần") == "name"
    assert text_kind("1001") == "cccd"


def _plan(store: Store, query: Any) -> str:
    sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
    return "\n".join(row[-1] for row in rows)


def _code_index(store: Store) -> str:
    with store.engine.connect() as connection:
        for row in connection.exec_driver_sql("PRAGMA index_list(dossier)"):
            columns = connection.exec_driver_sql(f"PRAGMA index_info({row[1]})").all()
            if [c[2] for c in columns] == ["code"]:
                return str(row[1])
    raise AssertionError("no index on dossier.code")


@pytest.mark.slow
def test_queries_use_the_indexes_they_were_written_for(big: tuple[Store, list[Planted]]) -> None:
    store, _ = big

    def prepared(**kwargs: Any) -> Any:
        with store.read() as session:
            return prepare(session, DossierFilter(**kwargs), BIG_NOW)

    everything = prepared()
    assert "COVERING INDEX ix_dossier_received_at" in _plan(store, everything.count_query())
    walk = _plan(store, everything.key_query())
    assert "COVERING INDEX ix_dossier_received_at" in walk and "TEMP B-TREE" not in walk
    assert "COVERING INDEX ix_dossier_received_at" in _plan(store, everything.key_query(skip=5000))

    overdue = prepared(overdue_only=True)
    assert "COVERING INDEX ix_dossier_status_due" in _plan(store, overdue.count_query())
    assert not overdue.walks(0, 200, matches=overdue.sizes["status"])
    assert "ix_dossier_status_due" in _plan(store, overdue.key_query(walk=False))

    # "Returned" is most of the store: walk the time index, test the status row by row,
    # and count the few other rows instead of the many.
    returned = prepared(statuses=frozenset({Status.RETURNED}))
    assert returned.walks(0, 200, matches=90_000) and returned.complement
    walk = _plan(store, returned.key_query())
    assert "ix_dossier_received_at" in walk and "TEMP B-TREE" not in walk

    by_procedure = prepared(procedure_code="1.001193")
    assert "COVERING INDEX ix_dossier_procedure_received" in _plan(
        store, by_procedure.count_query()
    )
    walk = _plan(store, by_procedure.key_query())
    assert "ix_dossier_procedure_received" in walk and "TEMP B-TREE" not in walk
    both = prepared(procedure_code="1.001193", statuses=frozenset({Status.RETURNED}))
    assert "ix_dossier_procedure_received" in _plan(store, both.count_query())
    assert "ix_dossier_procedure_received" in _plan(store, both.key_query())

    by_code = prepared(text=f"{UNIT_CODE}-2610")
    assert _code_index(store) in _plan(store, by_code.count_query())
    by_name = prepared(text="Trần Thị Mai")
    assert not by_name.walks(0, 200, matches=50)
    assert "ix_dossier_applicant_id" in _plan(store, by_name.key_query(walk=False))


@pytest.mark.slow
def test_a_search_naming_too_many_people_asks_for_more(big: tuple[Store, list[Planted]]) -> None:
    store, planted = big
    assert sum(p.applicant_name.startswith("Trần") for p in planted) > APPLICANT_LIMIT
    with store.read() as session, pytest.raises(SearchTooBroad, match="hãy gõ đầy đủ họ tên"):
        prepare(session, DossierFilter(text="Trần"), BIG_NOW).count(session)
    pages = DossierPages(store.read, DossierFilter(text="038"), BIG_NOW)
    assert pages.total == 0 and pages.problem and "hãy gõ thêm chữ số" in pages.problem


@pytest.mark.slow
def test_a_code_prefix_of_too_many_dossiers_asks_for_more(
    big: tuple[Store, list[Planted]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, planted = big
    monkeypatch.setattr(dossier_query, "CODE_LIMIT", 20_000)
    year = f"{UNIT_CODE}-26"
    assert sum(p.code.startswith(year) for p in planted) > 20_000
    with store.read() as session, pytest.raises(SearchTooBroad, match="hãy gõ thêm các số"):
        prepare(session, DossierFilter(text=year.lower()), BIG_NOW).count(session)
    month = f"{UNIT_CODE}-2610"
    with store.read() as session:
        assert prepare(session, DossierFilter(text=month), BIG_NOW).count(session) == sum(
            p.code.startswith(month) for p in planted
        )


def test_bulk_loader_writes_what_it_reports(tmp_path: Path) -> None:
    store = open_counter(tmp_path / "small")
    try:
        planted = plant(store, 600)
        with store.read() as session:
            assert prepare(session, DossierFilter(), MONDAY_MORNING).count(session) == 600
            assert len({p.code for p in planted}) == 600
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "flt",
    [
        DossierFilter(),
        DossierFilter(statuses=frozenset({Status.RETURNED, Status.REJECTED})),
        DossierFilter(procedure_code="1.001193", statuses=frozenset({Status.RETURNED})),
        DossierFilter(statuses=frozenset({Status.RESULT_READY}), received_to=dt.date(2026, 10, 1)),
    ],
    ids=["everything", "most-statuses", "procedure-and-status", "a-rare-status-until-a-day"],
)
def test_a_jump_through_the_day_counts_reads_what_an_offset_reads(
    big: tuple[Store, list[Planted]], flt: DossierFilter
) -> None:
    """Row N found from its day's count is row N of OFFSET N, and only its day is read."""
    store, planted = big
    expected = [p.code for p in newest_first([p for p in planted if _match(flt, BIG_NOW)(p)])]
    rng = random.Random(5)
    with store.read() as session:
        prepared = prepare(session, flt, BIG_NOW)
        assert prepared.countable() and prepared.count(session) == len(expected)
        probes = [0, len(expected) // 2, len(expected) - 1, *rng.sample(range(len(expected)), 8)]
        for index in probes:
            located = prepared.locate(session, index)
            assert located is not None
            anchor, skip = located
            assert skip < 250, "no more than the rows of one day (the plant's 250) are skipped"
            offset = prepare(session, flt, BIG_NOW).fetch(session, skip=index, limit=3).rows
            jumped = prepared.fetch(session, anchor=anchor, skip=skip, limit=3).rows
            assert [r.code for r in jumped] == [r.code for r in offset] == expected[index:][:3]
        assert prepared.locate(session, len(expected)) is None
    pages = DossierPages(store.read, flt, BIG_NOW, page_size=100)
    middle = pages.row(len(expected) // 2 + 17)
    assert middle is not None and middle.code == expected[len(expected) // 2 + 17]
    assert pages.rows_fetched == 100, "one page read, nothing walked to reach it"


def test_counts_stay_equal_to_a_count_of_the_rows(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    """Whatever writes the dossiers (a bulk load, the services, SQL), the day counts follow."""
    plant(store, 600, now=clock.now())
    reception = ReceptionService(store, clock)
    events = DossierService(store, clock)
    # A name none of the planted people's words start like.
    kiet = applicant(
        full_name="Quách Tuấn Kiệt",
        cccd="038095001122",
        date_of_birth=dt.date(1995, 5, 5),
        sex="male",
    )
    first = reception.receive(request(store, applicant=kiet), clerk)
    events.record(first.code, "processing_started", clerk)
    reception.save_draft(request(store), clerk)
    with store.engine.begin() as connection:
        for statement in (
            "UPDATE dossier SET procedure_code = '1.004194'"
            " WHERE rowid % 7 = 0 AND received_at IS NOT NULL",
            # Three days earlier, the stored form kept ("… 09:00:00.000000").
            "UPDATE dossier SET received_at ="
            " substr(datetime(received_at, '-3 days'), 1, 19) || substr(received_at, 20)"
            " WHERE rowid % 11 = 0",
            "UPDATE dossier SET status = 'returned' WHERE rowid % 5 = 0 AND status != 'draft'",
            "DELETE FROM dossier WHERE rowid % 13 = 0"
            " AND id NOT IN (SELECT dossier_id FROM dossier_document)"
            " AND id NOT IN (SELECT dossier_id FROM dossier_event)",
        ):
            assert connection.execute(text(statement)).rowcount > 0, statement
        actual = connection.execute(
            text(
                "SELECT procedure_code, substr(received_at, 1, 10), status, count(*)"
                " FROM dossier WHERE received_at IS NOT NULL GROUP BY 1, 2, 3"
                " UNION ALL SELECT '', substr(received_at, 1, 10), status, count(*)"
                " FROM dossier WHERE received_at IS NOT NULL GROUP BY 2, 3"
            )
        ).all()
        kept = connection.execute(
            text(
                "SELECT procedure_code, day, status, dossiers FROM dossier_day_count"
                " WHERE dossiers != 0"
            )
        ).all()
    assert sorted(map(tuple, kept)) == sorted(map(tuple, actual))
    now = clock.now()
    day = clock.now().date()
    for flt, where in (
        (DossierFilter(), "received_at IS NOT NULL"),
        (DossierFilter(statuses=frozenset({Status.RETURNED})), "status = 'returned'"),
        (
            DossierFilter(procedure_code="1.004194", received_to=day - dt.timedelta(days=7)),
            f"procedure_code = '1.004194' AND received_at < '{day - dt.timedelta(days=6)}'",
        ),
        (
            DossierFilter(
                statuses=frozenset({Status.IN_PROCESSING, Status.DRAFT}),
                received_from=day - dt.timedelta(days=10),
            ),
            f"status = 'in_processing' AND received_at >= '{day - dt.timedelta(days=10)}'",
        ),
    ):
        with store.read() as session:
            assert prepare(session, flt, now).countable()
            counted = prepare(session, flt, now).count(session)
            assert counted == session.scalar(text(f"SELECT count(*) FROM dossier WHERE {where}"))

    # The name index follows renames and removals, and stays whole.
    def named(words: str) -> int:
        with store.read() as session:
            return prepare(session, DossierFilter(text=words), now).count(session)

    assert named("quach tuan kiet") == named("QUÁCH Tuấn Kiệt") == named("ách tuấn k") == 1
    assert named("Ki") == 1 and named("iệt") == 1 and named("ie") == 0, "two letters: a word start"
    with store.read() as session, pytest.raises(SearchTooBroad, match="ít nhất hai chữ"):
        prepare(session, DossierFilter(text="H"), now).count(session)
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE applicant SET full_name = 'Quách Tuấn Kiên' WHERE cccd = '038095001122'")
        )
        connection.execute(
            text(
                "INSERT INTO applicant (id, full_name, address, created_at, updated_at)"
                " VALUES ('gone', 'Quách Tuấn Kiệt', '', '2026-11-16', '2026-11-16')"
            )
        )
        connection.execute(text("DELETE FROM applicant WHERE id = 'gone'"))
        connection.execute(
            text("INSERT INTO applicant_name (applicant_name, rank) VALUES ('integrity-check', 1)")
        )
    assert named("quach tuan kiet") == 0 and named("Quách Tuấn Kiên") == 1
