"""The numbered changes: the server's head, a counter's push, its pull, what it set aside."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from sync import protocol
from sync.server import changes, devices, records
from sync.server.changes import ChangeLog
from sync.server.db import utcnow
from sync.server.push_guard import GuardedPushBatch
from sync.server.routes.caller import Device, blobs_of, database_of, receipts_of

router = APIRouter(prefix=protocol.API_PREFIX)


@router.get("/health")
def health(http: Request) -> protocol.Health:
    database = database_of(http)
    with database.read() as session:
        head = changes.head(session)
    return protocol.Health(
        server_epoch=database.epoch(), server_time=dt.datetime.now(dt.UTC), head_seq=head
    )


@router.post("/push")
def push(request: protocol.PushRequest, caller: Device, http: Request) -> protocol.PushResponse:
    # One write transaction: every mutation's rows, the change log, the applied keys.
    database, files = database_of(http), blobs_of(http)
    now = utcnow()
    shown = receipts_of(http).vouched(request.receipts, caller.id, caller.unit_code)
    with database.write() as session:
        log = ChangeLog()
        if shown:  # the holder rows the uploads left to the push (receipts.py)
            named = sorted(shown & records.named_blobs(request.mutations))
            records.record_uploads(session, [(h, caller.id, caller.unit_code) for h in named], now)
        nameable = records.nameable_blob(
            session, caller.unit_code, request.mutations, files.durable, records.blobs_held
        )
        batch = GuardedPushBatch(session, caller, log, now, nameable)
        batch.apply(request.mutations)
        devices.touch(session, caller.id)
        log.commit(session, now)
        results = batch.finish()
    return protocol.PushResponse(server_epoch=database.epoch(), results=results)


@router.get("/changes")
def pull(
    caller: Device,
    http: Request,
    since: Annotated[int, Query(ge=0, le=protocol.MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_PAGE)] = 1000,
) -> Response:
    # The page's body is written by hand: the changes are stored as JSON already.
    database = database_of(http)
    with database.read() as session:
        head = changes.head(session)
        rows = changes.page(session, caller.unit_code, since, limit, head)
    next_cursor = rows[-1][0] if rows else max(since, head)
    body = (
        f'{{"server_epoch":{json.dumps(database.epoch())},'
        f'"changes":[{",".join(b for _, b in rows)}],'
        f'"next_cursor":{next_cursor},"head_seq":{max(head, next_cursor)},'
        f'"has_more":{"true" if len(rows) == limit else "false"}}}'
    )
    return Response(body.encode(), media_type="application/json")


@router.post("/set-aside", status_code=204)
def set_aside(report: protocol.SetAsideReport, caller: Device, http: Request) -> Response:
    """Changes the caller pulled but could not store (each kept once per device)."""
    with database_of(http).write() as session:
        records.record_set_aside(session, caller, report.changes, utcnow())
    return Response(status_code=204)
