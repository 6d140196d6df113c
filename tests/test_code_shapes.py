"""Both unit-identifier shapes and the central systems' dossier codes, end to end.

Unit identifiers come as ``000.00.11.H57`` (Circular 01/2018/TT-VPCP) or, level-1
group first, as ``H55.242`` / ``H57.123.45`` (Decision 20/2020/QĐ-TTg); both are
accepted wherever a unit code is typed, synced or parsed (LEGAL-2025.md, [S]).
Dossiers of centrally run procedures carry ``MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX``
(Circular 04/2025/TT-VPCP art. 13(3), in force 25/01/2026, [P]).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from counter_app.dossier_query import DossierFilter, find_dossier_code, prepare
from counter_app.dossier_view import load_dossier_view
from counter_app.models import Dossier, OutboxEntry, Unit
from sync.server import admin
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]

DECISION_20_UNIT = "H57.123.45"
DECISION_20_NEIGHBOUR = "H55.242"
# A dossier of a centrally run procedure: agency H57.123.45, 16/11/2026, system 01, number 0001.
CENTRAL_CODE = f"{DECISION_20_UNIT}-261116-010001"


def test_a_counter_initialised_and_enrolled_with_a_decision_20_unit_code_receives(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a", unit_code=DECISION_20_UNIT)
    counter.enrol(province)
    [receipt] = counter.receive(1)
    assert receipt.code == f"{DECISION_20_UNIT}-261116-1001", "the counter's own format"
    assert counter.sync().complete
    [listed] = admin.list_dossiers(province.database)
    assert listed["code"] == receipt.code


def test_a_units_snapshot_with_both_shapes_reaches_the_competent_unit_choice(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    admin.publish_units(
        province.database,
        {
            "units": [
                {"code": DECISION_20_NEIGHBOUR, "name": "UBND xã Tân Lập"},
                {"code": "000.00.14.H57", "name": "UBND phường Đông Sơn"},
            ]
        },
    )
    counter = make_counter("a")
    counter.enrol(province)
    assert counter.sync().units_added == 2
    assert DECISION_20_NEIGHBOUR in dict(counter.reception.units())
    [receipt] = counter.receive(1, competent_unit_code=DECISION_20_NEIGHBOUR)
    assert counter.sync().complete
    [listed] = admin.list_dossiers(province.database)
    assert (listed["code"], listed["competent_unit"]) == (receipt.code, DECISION_20_NEIGHBOUR)
    with counter.store.read() as session:
        assert session.get(Unit, DECISION_20_NEIGHBOUR) is not None


def test_a_central_dossier_code_is_pulled_found_and_shown(
    province: ThreadedServer, make_counter: CounterFactory, tmp_path: Path
) -> None:
    # The resolving agency's first counter holds a dossier handed over from a central system
    # under its Circular 04/2025 code; the unit's second counter pulls it.
    first = make_counter("a", unit_code=DECISION_20_UNIT, slot=1)
    second = make_counter("b", unit_code=DECISION_20_UNIT, slot=2)
    first.enrol(province)
    second.enrol(province)
    [receipt] = first.receive(1)
    with first.store.write() as session:
        session.execute(
            update(Dossier).where(Dossier.code == receipt.code).values(code=CENTRAL_CODE)
        )
        for entry in session.scalars(select(OutboxEntry)):
            if entry.payload.get("code") == receipt.code:
                entry.payload = {**entry.payload, "code": CENTRAL_CODE}
    assert first.sync().complete
    assert second.sync().complete

    with second.store.read() as session:
        assert find_dossier_code(session, f" {CENTRAL_CODE.lower()}\r\n") == CENTRAL_CODE
        view = load_dossier_view(session, CENTRAL_CODE)
        assert view.code == CENTRAL_CODE
        assert view.book_entry == 1, "the central system's number of the day"
        page = prepare(session, DossierFilter(text="h57.123.45-2611"), first.clock.now()).fetch(
            session
        )
        assert [row.code for row in page.rows] == [CENTRAL_CODE]
