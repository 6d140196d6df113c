"""What the province publishes whole: the catalog, the holidays, the units (with ETags)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from sqlalchemy import select

from sync import protocol
from sync.server.error_answers import error
from sync.server.models import Snapshot
from sync.server.routes.caller import Device, database_of

router = APIRouter(prefix=protocol.API_PREFIX)

SNAPSHOT: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified since the ETag sent."},
    404: {"model": protocol.ErrorBody, "description": "Not published yet."},
}


def snapshot(http: Request, name: str, if_none_match: str | None) -> Response:
    with database_of(http).read() as session:
        row = session.execute(
            select(Snapshot.etag, Snapshot.body).where(Snapshot.name == name)
        ).first()
    if row is None:
        return error(404, "not_published", "Tỉnh chưa công bố dữ liệu này.")
    etag = f'"{row.etag}"'
    if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(row.body.encode(), media_type="application/json", headers={"ETag": etag})


@router.get("/catalog", responses={200: {"description": "the catalog JSON"}, **SNAPSHOT})
def catalog(
    _caller: Device, http: Request, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    return snapshot(http, "catalog", if_none_match)


@router.get("/holidays", responses={200: {"model": protocol.HolidaysSnapshot}, **SNAPSHOT})
def holidays(
    _caller: Device, http: Request, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    return snapshot(http, "holidays", if_none_match)


@router.get("/units", responses={200: {"model": protocol.UnitsSnapshot}, **SNAPSHOT})
def units(
    _caller: Device, http: Request, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    return snapshot(http, "units", if_none_match)
