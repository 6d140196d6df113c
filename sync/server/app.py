"""The provincial server's HTTP API (FastAPI), everything under ``/api/v1``.

Endpoints that touch the database are plain functions FastAPI runs in its thread
pool; the blob endpoints are async because they stream the request body to disk
as it arrives, and they never touch the database (blobs live on the filesystem).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Coroutine
from pathlib import Path as FilePath
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from sync import protocol
from sync.server import changes, devices, records
from sync.server.blobs import SHA256_RE, BlobError, BlobFiles, UploadState
from sync.server.changes import ChangeLog
from sync.server.db import Database, utcnow
from sync.server.devices import DeviceError, DeviceIdentity
from sync.server.models import Snapshot
from sync.server.push import PushBatch

P = protocol.API_PREFIX
TUS_HEADERS = {protocol.TUS_RESUMABLE: protocol.TUS_VERSION, "Cache-Control": "no-store"}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = protocol.ErrorBody(code=code, message=message).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


async def current_device(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> DeviceIdentity:
    """The enrolled device behind the request's bearer token; 401 otherwise."""
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    tokens: devices.TokenCache = request.app.state.tokens
    known = tokens.get(token)
    if known is not None:
        return known
    database: Database = request.app.state.database

    def look_up() -> DeviceIdentity:
        with database.read() as session:
            return devices.authenticate(session, token)

    identity = await to_thread.run_sync(look_up)
    tokens.put(token, identity)
    return identity


# Module level, because FastAPI resolves the (string) annotations in this module's globals.
Device = Annotated[DeviceIdentity, Depends(current_device)]
Sha256 = Annotated[str, Path(pattern=protocol.SHA256_PATTERN)]


class BareRoute(APIRoute):
    """A route whose endpoint takes the Request itself and reads its own parameters.

    For the tus endpoints, called once per attachment: FastAPI's solving of the
    device dependency and three validated headers took more server time per
    upload than all the upload's filesystem calls together. What the signature
    would have documented is given as ``openapi_extra`` instead.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint: Callable[[Request], Coroutine[Any, Any, Response]] = self.endpoint
        return endpoint


def tus_parameters(*headers: tuple[str, bool]) -> dict[str, Any]:
    """OpenAPI for a blob route's path, integer ``headers`` (name, required) and token."""
    path = {"type": "string", "pattern": protocol.SHA256_PATTERN}
    integer = {"type": "integer", "minimum": 0}
    token = {"type": "string", "description": "Bearer <device token>"}
    return {
        "parameters": [
            {"name": "sha256", "in": "path", "required": True, "schema": path},
            *(
                {"name": name, "in": "header", "required": required, "schema": integer}
                for name, required in headers
            ),
            {"name": "Authorization", "in": "header", "required": True, "schema": token},
        ]
    }


def create_app(database: Database, blob_dir: FilePath) -> FastAPI:
    """The API on ``database`` with blobs in ``blob_dir``; the caller owns both."""
    app = FastAPI(
        title="Máy chủ tỉnh — đồng bộ quầy một cửa",
        version=str(protocol.PROTOCOL_VERSION),
        openapi_url=f"{P}/openapi.json",
        docs_url=f"{P}/docs",
        redoc_url=None,
    )
    app.state.database = database
    app.state.tokens = devices.TokenCache()
    files = app.state.blobs = BlobFiles(blob_dir)

    @app.exception_handler(DeviceError)
    async def _device_error(_request: Request, exc: DeviceError) -> Response:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(BlobError)
    async def _blob_error(_request: Request, exc: BlobError) -> Response:
        headers = dict(TUS_HEADERS)
        if exc.offset is not None:
            headers[protocol.UPLOAD_OFFSET] = str(exc.offset)
        return _error(exc.status, exc.code, exc.message, headers)

    async def _busy(_request: Request, exc: Exception) -> Response:
        # A lock timeout, a lost database connection, or a concurrent insert of the
        # same row: the same request again will find the other transaction
        # committed (or the database back), so the client retries.
        code = "conflict" if isinstance(exc, IntegrityError) else "busy"
        message = "Máy chủ tỉnh đang bận; sẽ thử lại."
        return _error(503, code, message, {"Retry-After": "1"})

    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(IntegrityError, _busy)

    @app.get(f"{P}/health")
    def health() -> protocol.Health:
        with database.read() as session:
            head = changes.head(session)
        return protocol.Health(
            server_epoch=database.epoch(), server_time=dt.datetime.now(dt.UTC), head_seq=head
        )

    @app.post(f"{P}/enrol")
    def enrol(request: protocol.EnrolRequest) -> protocol.EnrolResponse:
        with database.write() as session:
            token, server_device, unit = devices.redeem(session, request, utcnow())
            answer = protocol.EnrolResponse(
                device_token=token,
                unit_code=unit.code,
                unit_name=unit.name,
                device_slot=server_device.slot,
                server_epoch="",
            )
        app.state.tokens.clear()  # enrolling a slot again revoked the token it replaced
        answer.server_epoch = database.epoch()
        return answer

    @app.post(f"{P}/push")
    def push(request: protocol.PushRequest, caller: Device) -> protocol.PushResponse:
        now = utcnow()
        with database.write() as session:
            log = ChangeLog()
            batch = PushBatch(session, caller, log, now, files.durable)
            batch.apply(request.mutations)
            devices.touch(session, caller.id)
            log.commit(session, now)
            results = batch.finish()
        return protocol.PushResponse(server_epoch=database.epoch(), results=results)

    @app.get(f"{P}/changes")
    def pull(
        caller: Device,
        since: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_PAGE)] = 1000,
    ) -> Response:
        with database.read() as session:
            head = changes.head(session)
            rows = changes.page(session, caller.unit_code, since, limit)
        next_cursor = rows[-1][0] if rows else max(since, head)
        body = (
            f'{{"server_epoch":{json.dumps(database.epoch())},'
            f'"changes":[{",".join(b for _, b in rows)}],'
            f'"next_cursor":{next_cursor},"head_seq":{max(head, next_cursor)},'
            f'"has_more":{"true" if len(rows) == limit else "false"}}}'
        )
        return Response(body.encode(), media_type="application/json")

    @app.post(f"{P}/set-aside", status_code=204)
    def set_aside(report: protocol.SetAsideReport, caller: Device) -> Response:
        """Changes the caller pulled but could not store (each kept once per device)."""
        with database.write() as session:
            records.record_set_aside(session, caller, report.changes, utcnow())
        return Response(status_code=204)

    def snapshot(name: str, if_none_match: str | None) -> Response:
        with database.read() as session:
            row = session.execute(
                select(Snapshot.etag, Snapshot.body).where(Snapshot.name == name)
            ).first()
        if row is None:
            return _error(404, "not_published", "Tỉnh chưa công bố dữ liệu này.")
        etag = f'"{row.etag}"'
        if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(row.body.encode(), media_type="application/json", headers={"ETag": etag})

    @app.get(f"{P}/catalog", responses={200: {"description": "the catalog JSON"}})
    def catalog(_caller: Device, if_none_match: Annotated[str | None, Header()] = None) -> Response:
        return snapshot("catalog", if_none_match)

    @app.get(f"{P}/holidays", responses={200: {"model": protocol.HolidaysSnapshot}})
    def holidays(
        _caller: Device, if_none_match: Annotated[str | None, Header()] = None
    ) -> Response:
        return snapshot("holidays", if_none_match)

    @app.get(f"{P}/units", responses={200: {"model": protocol.UnitsSnapshot}})
    def units(_caller: Device, if_none_match: Annotated[str | None, Header()] = None) -> Response:
        return snapshot("units", if_none_match)

    # Blobs ---------------------------------------------------------------------

    @app.post(f"{P}/blobs/query")
    def blobs_query(query: protocol.BlobQuery, _caller: Device) -> protocol.BlobQueryResponse:
        missing, offsets = [], {}
        for sha256 in query.sha256:
            state = files.state(sha256)
            if state is None or not state.complete:
                missing.append(sha256)
                if state is not None and state.offset:
                    offsets[sha256] = state.offset
        return protocol.BlobQueryResponse(missing=missing, offsets=offsets)

    def tus(state: UploadState, status: int = 204, **extra: str) -> Response:
        """The answer to a tus request: no header more than tus asks (each costs both ends)."""
        headers = {
            protocol.TUS_RESUMABLE: protocol.TUS_VERSION,
            protocol.UPLOAD_OFFSET: str(state.offset),
            **extra,
        }
        return Response(status_code=status, headers=headers)

    def invalid(message: str) -> BlobError:
        return BlobError(422, "invalid_request", message)

    def blob_of(request: Request) -> str:
        sha256: str = request.path_params["sha256"]
        if not SHA256_RE.match(sha256):
            raise invalid("The path does not end in a SHA-256 (64 lowercase hex digits).")
        return sha256

    def header_int(request: Request, name: str, default: int | None = None) -> int:
        value = request.headers.get(name)
        if value is None and default is not None:
            return default
        if value is None or not value.isdigit() or not value.isascii():
            raise invalid(f"Header {name} must be a non-negative integer.")
        return int(value)

    async def authorize(request: Request) -> None:
        await current_device(request, request.headers.get("authorization"))

    async def blob_create(request: Request) -> Response:
        """tus creation, with the first bytes in the same request ("creation-with-upload")."""
        await authorize(request)
        sha256 = blob_of(request)
        upload_length = header_int(request, protocol.UPLOAD_LENGTH)
        content_length = header_int(request, "content-length", 0)
        async with files.lock(sha256):
            state = files.create(sha256, upload_length, empty=not content_length)
            if state.complete or not content_length:
                if state.complete:
                    return tus(state, 200)
                return tus(state, 201, Location=f"{P}/blobs/{sha256}")
            if state.offset:
                raise BlobError(
                    409, "offset_mismatch", "An upload is under way; PATCH at its offset.",
                    offset=state.offset,
                )  # fmt: skip
            state = await files.receive(sha256, upload_length, 0, request.stream(), creating=True)
        return tus(state, 201, Location=f"{P}/blobs/{sha256}")

    async def blob_head(request: Request) -> Response:
        """Where an upload stands (Upload-Offset of Upload-Length); 404 if none."""
        await authorize(request)
        state = files.state(blob_of(request))
        if state is None:
            return Response(status_code=404, headers=TUS_HEADERS)
        return tus(
            state, 200, **{protocol.UPLOAD_LENGTH: str(state.length), "Cache-Control": "no-store"}
        )

    async def blob_patch(request: Request) -> Response:
        """The next bytes of an upload, at the offset the server has."""
        await authorize(request)
        sha256 = blob_of(request)
        upload_offset = header_int(request, protocol.UPLOAD_OFFSET)
        if request.headers.get("content-type", "") != protocol.OFFSET_CONTENT_TYPE:
            return _error(415, "bad_content_type", f"Use {protocol.OFFSET_CONTENT_TYPE}.")
        async with files.lock(sha256):
            state = files.state(sha256)
            if state is None:
                return _error(404, "no_upload", "No upload of this blob; create it first.")
            if state.complete:
                return tus(state)
            state = await files.receive(sha256, state.length, upload_offset, request.stream())
        return tus(state)

    def bare(
        endpoint: Callable[[Request], Coroutine[Any, Any, Response]],
        method: str,
        status: int,
        responses: dict[int | str, dict[str, Any]],
        header: str | None = None,
    ) -> None:
        extra = tus_parameters(*([(header, True)] if header else []))
        if method != "HEAD":
            binary = {"schema": {"type": "string", "format": "binary"}}
            extra["requestBody"] = {
                "required": method == "PATCH",
                "content": {protocol.OFFSET_CONTENT_TYPE: binary},
            }
        app.router.add_api_route(
            f"{P}/blobs/{{sha256}}",
            endpoint,
            methods=[method],
            status_code=status,
            response_class=Response,
            response_description="Upload-Offset: the bytes the server has.",
            responses={**responses, 422: {"description": "A malformed hash or header."}},
            openapi_extra=extra,
            route_class_override=BareRoute,
        )

    checksum: dict[int | str, dict[str, Any]] = {
        460: {"description": "The bytes do not have this SHA-256; sent again."}
    }
    bare(
        blob_create,
        "POST",
        201,
        {200: {"description": "Already stored."}, 409: {"description": "Under way."}, **checksum},
        protocol.UPLOAD_LENGTH,
    )
    bare(blob_head, "HEAD", 200, {404: {"description": "No upload of this blob."}})
    bare(
        blob_patch,
        "PATCH",
        204,
        {409: {"description": "Not at the server's offset."}, **checksum},
        protocol.UPLOAD_OFFSET,
    )

    @app.get(
        f"{P}/blobs/{{sha256}}",
        responses={200: {"content": {"application/pdf": {}}, "description": "the scan"}},
    )
    def blob_download(sha256: Sha256, caller: Device) -> Response:
        """A scan named by a dossier the caller's unit sees; 404 for any other hash."""
        with database.read() as session:
            allowed = records.unit_may_read_blob(session, sha256, caller.unit_code)
        stored = files.final_path(sha256)
        if not allowed or not files.durable(sha256):
            return _error(404, "no_blob", "No such scan for this unit.")
        return FileResponse(
            stored, media_type="application/pdf", headers={"Cache-Control": "no-store"}
        )

    return app
