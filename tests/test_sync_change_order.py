"""Pushes number their changes side by side, yet a pull never passes a change still to commit.

On PostgreSQL two write transactions can commit in the opposite order to their
change numbers; a pull in between must stop below the one still open, and once
both have committed the counter gets each change exactly once (changes.py,
docs/protocol.md "The pull cursor"). Real transactions on separate connections,
interleaved step by step, so the race happens every run.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import psycopg
import pytest
from sqlalchemy import func, select

from counter_app.lifecycle import Status
from counter_app.models import Dossier
from sync import protocol
from sync.server import admin, changes
from sync.server.changes import ChangeLog
from sync.server.db import Database, utcnow
from sync.server.models import ChangeRow, ServerDossier, ServerUnit
from sync.server.push import append_event
from tests.support.counter_store import UNIT_CODE
from tests.support.counters import Counter, CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]
pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("PROVINCE_TEST_DATABASE_URL"),
        reason="the race exists on PostgreSQL only (SQLite has one writer)",
    ),
    pytest.mark.parametrize("province_db_url", ["postgresql"], indirect=True),
]

SETTLE_S = 30.0


@pytest.fixture
def database(province_db_url: str) -> Iterator[Database]:
    database = Database.open(province_db_url)
    yield database
    database.close()


def change(log: ChangeLog, name: str) -> changes.Numbered:
    """One change of the unit's, as a write transaction queues it."""
    body = {"seq": 0, "kind": "note", "dossier_id": name}
    return log.add("note", name, [UNIT_CODE], body, [])


def pull(database: Database, since: int) -> tuple[list[int], int]:
    """The numbers a pull after ``since`` returns, and the cursor it hands back."""
    with database.read() as session:
        head = changes.head(session)
        rows = changes.page(session, UNIT_CODE, since, 1000, head)
    return [seq for seq, _ in rows], rows[-1][0] if rows else max(since, head)


def settled_past(database: Database, seq: int) -> None:
    """Wait until ``seq`` is settled: a transaction elsewhere on the cluster may delay it."""
    deadline = time.monotonic() + SETTLE_S
    while True:
        with database.read() as session:
            if changes.head(session) >= seq:
                return
        assert time.monotonic() < deadline, f"change {seq} never settled"
        time.sleep(0.05)


def test_a_change_committed_before_a_lower_number_waits_for_it(database: Database) -> None:
    _, cursor = pull(database, 0)
    with ExitStack() as open_transactions:
        # The later committer begins first, so its transaction id is the older one:
        # a rule on transaction ids alone would hand its change out too early.
        later = open_transactions.enter_context(database.write())
        later.add(ServerUnit(code="000.00.99.H57", name="Đơn vị thử"))
        later.flush()
        with database.write() as first:
            low_log = ChangeLog()
            low = change(low_log, "low")
            low_log.commit(first, utcnow())
            assert low.seq is not None
            # Not committed yet: another push numbers and commits past it, unblocked.
            high_log = ChangeLog()
            high = change(high_log, "high")
            high_log.commit(later, utcnow())
            assert high.seq is not None and high.seq > low.seq
            open_transactions.close()  # the higher number commits first

            seen, between = pull(database, cursor)
            assert seen == []
            assert between < low.seq, "the cursor must not pass a change still to commit"
        settled_past(database, high.seq)

        seen, after = pull(database, between)
        assert seen == [low.seq, high.seq]
        assert pull(database, after)[0] == []


def test_a_second_numbering_in_one_transaction_waits_for_a_writer_in_between(
    database: Database,
) -> None:
    _, cursor = pull(database, 0)
    with ExitStack() as open_transactions:
        twice = open_transactions.enter_context(database.write())
        one_log = ChangeLog()
        one = change(one_log, "one")
        one_log.commit(twice, utcnow())
        with database.write() as between:
            mid_log = ChangeLog()
            mid = change(mid_log, "mid")
            mid_log.commit(between, utcnow())
            two_log = ChangeLog()
            two = change(two_log, "two")
            two_log.commit(twice, utcnow())
            open_transactions.close()
            assert one.seq is not None and mid.seq is not None and two.seq is not None
            assert one.seq < mid.seq < two.seq

            settled_past(database, one.seq)
            seen, cursor = pull(database, cursor)
            assert seen == [one.seq], "the second numbering must wait for the writer between"
            assert cursor < mid.seq
        settled_past(database, two.seq)
        assert pull(database, cursor)[0] == [mid.seq, two.seq]


def test_a_long_transaction_of_other_work_does_not_hold_pulls_back(
    database: Database, province_db_url: str
) -> None:
    _, cursor = pull(database, 0)
    with psycopg.connect(province_db_url) as other:  # not the server: no application_name
        other.execute("SELECT pg_current_xact_id()")  # holds an id, left open
        with database.write() as session:
            log = ChangeLog()
            made = change(log, "made")
            log.commit(session, utcnow())
        assert made.seq is not None
        settled_past(database, made.seq)
        assert pull(database, cursor)[0] == [made.seq]
        other.rollback()


def test_a_rolled_back_number_is_passed_once_its_transaction_ends(database: Database) -> None:
    _, cursor = pull(database, 0)
    with pytest.raises(RuntimeError), database.write() as doomed:
        lost_log = ChangeLog()
        lost = change(lost_log, "lost")
        lost_log.commit(doomed, utcnow())
        with database.write() as session:
            kept_log = ChangeLog()
            kept = change(kept_log, "kept")
            kept_log.commit(session, utcnow())
        assert pull(database, cursor)[0] == []
        raise RuntimeError("the push fails after numbering")
    assert lost.seq is not None and kept.seq is not None and kept.seq > lost.seq
    settled_past(database, kept.seq)
    assert pull(database, cursor)[0] == [kept.seq]


def test_a_counter_pulling_over_http_between_the_commits_gets_each_change_once(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    first, second = counter.receive(2)
    counter.enrol(province)
    counter.sync()
    database = province.database
    with database.read() as session:
        pushed = session.scalar(select(func.max(ChangeRow.seq)))
    assert pushed is not None
    settled_past(database, pushed)  # its own two dossiers, held back while others wrote
    counter.sync()

    with database.write() as session:
        # A province status change that numbers its change and has yet to commit.
        dossier = session.scalar(select(ServerDossier).where(ServerDossier.code == first.code))
        assert dossier is not None
        data = protocol.EventData(
            id=str(uuid.uuid4()),
            dossier_id=dossier.id,
            kind="processing_started",
            status_after="",
            at=utcnow(),
            actor="tinh",
            unit_code=dossier.competent_unit_code,
        )
        log = ChangeLog()
        _, low = append_event(session, log, dossier, data, origin="province")
        log.commit(session, utcnow())
        high = admin.set_status(database, second.code, Status.IN_PROCESSING)
        assert low.seq is not None and high.server_seq is not None
        assert high.server_seq > low.seq

        report = counter.sync()
        assert report.pulled == 0
        assert status_of(counter, second.code) == Status.RECEIVED

    settled_past(database, high.server_seq)
    report = counter.sync()
    assert report.pulled == 2
    assert status_of(counter, first.code) == Status.IN_PROCESSING
    assert status_of(counter, second.code) == Status.IN_PROCESSING
    assert counter.sync().pulled == 0
    with counter.store.read() as session:
        for code in (first.code, second.code):
            found = session.scalar(select(Dossier).where(Dossier.code == code))
            assert found is not None
            assert [e.kind for e in found.events] == ["received", "processing_started"]


def status_of(counter: Counter, code: str) -> str:
    with counter.store.read() as session:
        status = session.scalar(select(Dossier.status).where(Dossier.code == code))
        assert status is not None
        return str(status)
