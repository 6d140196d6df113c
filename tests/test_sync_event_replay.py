"""An event pushed again under another mutation id is stored once.

The server skips a mutation id it has applied (``applied_mutation``); an event
id it holds already is the second line of defence, for the same event sent
under a new mutation id (an outbox entry made again, say after a restore from a
backup taken before the first push was acknowledged). Over HTTP on loopback,
against the real server.
"""

from __future__ import annotations

import uuid
from typing import Any

import requests
from sqlalchemy import func, select

from counter_app import sync_outbox
from sync import protocol
from sync.server.models import ServerEvent
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer
from tests.support.sync_blobs import headers

pytest_plugins = ["tests.support.sync_fixtures"]


def push(province: ThreadedServer, token: dict[str, str], mutation: dict[str, Any]) -> Any:
    answer = requests.post(
        f"{province.url}/api/v1/push", json={"mutations": [mutation]}, headers=token, timeout=10
    )
    assert answer.status_code == 200, answer.text
    [result] = protocol.PushResponse.model_validate(answer.json()).results
    return result


def test_an_event_replayed_under_a_new_mutation_id_is_not_applied_twice(
    province: ThreadedServer, make_counter: CounterFactory
) -> None:
    counter = make_counter("a")
    [receipt] = counter.receive(1)
    counter.enrol(province)
    assert counter.sync().complete
    counter.record(receipt.code, "supplement_requested")
    with counter.store.read() as session:
        [entry] = sync_outbox.next_batch(session, 10)
        assert (entry.entity, entry.operation) == ("dossier_event", "append_event")
        mutation = {
            "mutation_id": entry.mutation_id,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "operation": entry.operation,
            "schema_version": entry.schema_version,
            "payload": dict(entry.payload),
        }
    event_id = mutation["payload"]["id"]
    token = headers(counter)

    first = push(province, token, mutation)
    same_key = push(province, token, mutation)
    new_key = push(province, token, {**mutation, "mutation_id": str(uuid.uuid4())})

    assert first.outcome == "applied" and first.server_seq is not None
    assert (same_key.outcome, same_key.server_seq) == ("duplicate", first.server_seq)
    # The event-id path: a mutation id never seen, an event the server holds.
    assert (new_key.outcome, new_key.server_seq) == ("applied", first.server_seq)
    with province.database.read() as session:
        stored = session.scalar(
            select(func.count()).select_from(ServerEvent).where(ServerEvent.id == event_id)
        )
    assert stored == 1
    changes = requests.get(
        f"{province.url}/api/v1/changes", params={"since": 0}, headers=token, timeout=10
    ).json()["changes"]
    assert [c["seq"] for c in changes if (c.get("event") or {}).get("id") == event_id] == [
        first.server_seq
    ]
    # The counter's own push of the entry finds it applied and stores nothing more.
    assert counter.sync().complete
    with counter.store.read() as session:
        assert sync_outbox.next_batch(session, 10) == []
