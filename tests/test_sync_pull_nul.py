"""A pulled change with a NUL in a string is set aside, never stored.

The counter searches a page's strings for NUL only when the page's bytes could
hold one (``\\u0000``); this checks that such a page still has its change refused.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from counter_app.models import SetAsideChange
from sync import protocol
from sync.server.changes import ChangeLog
from sync.server.db import utcnow
from sync.server.models import ServerDossier
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]


def test_a_change_with_a_nul_is_set_aside_and_the_next_one_stored(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    [receipt] = counter.receive(1)
    counter.enrol(province)
    counter.sync()
    with province.database.write() as session:
        dossier = session.scalar(select(ServerDossier).where(ServerDossier.code == receipt.code))
        assert dossier is not None
        log = ChangeLog()
        for note in ("ghi\x00chú", "ghi chú"):
            event = protocol.EventData(
                id=str(uuid.uuid4()),
                dossier_id=dossier.id,
                kind="processing_started",
                status_after="in_processing",
                at=utcnow(),
                actor="tinh",
                unit_code=dossier.competent_unit_code,
                note=note,
            )
            change = protocol.Change(seq=0, kind="event", dossier_id=dossier.id, event=event)
            log.add(
                "event",
                dossier.id,
                [dossier.receiving_unit_code],
                change.model_dump(mode="json"),
                [],
            )
        log.commit(session, utcnow())

    report = counter.sync()

    assert report.pulled == 2
    assert report.set_aside == 1
    with counter.store.read() as session:
        reasons = list(session.scalars(select(SetAsideChange.reason)))
    assert len(reasons) == 1 and "NUL" in reasons[0]
