"""A counter's enrolment: a one-time code redeemed for a device token."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sync import protocol
from sync.server import devices
from sync.server.db import utcnow
from sync.server.routes.caller import database_of

router = APIRouter(prefix=protocol.API_PREFIX)


@router.post(
    "/enrol",
    responses={
        400: {"model": protocol.ErrorBody, "description": "A code not (or no longer) valid."}
    },
)
def enrol(request: protocol.EnrolRequest, http: Request) -> protocol.EnrolResponse:
    database = database_of(http)
    with database.write() as session:
        token, server_device, unit = devices.redeem(session, request, utcnow())
        answer = protocol.EnrolResponse(
            device_token=token,
            unit_code=unit.code,
            unit_name=unit.name,
            device_slot=server_device.slot,
            server_epoch="",
        )
    answer.server_epoch = database.epoch()
    return answer
