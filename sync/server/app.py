"""The provincial server's HTTP API (FastAPI), everything under ``/api/v1``.

Endpoints that touch the database are plain functions FastAPI runs in its thread
pool; the blob endpoints are async because they stream the request body to the
blob store as it arrives. Blobs live in the blob store (a directory or a bucket,
``blobs.open_blob_store``); the blob endpoints go to the database only for the
caller's token, for the upload's lock, to note who uploaded a blob, and to ask
whether the caller's unit holds a blob already stored. Nothing an upload needs
stays in the process between requests, so any number of processes can serve.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Coroutine
from functools import partial
from pathlib import Path as FilePath
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from sync import protocol
from sync.server import changes, devices, records, updates
from sync.server.access_log import AccessLog, note_device
from sync.server.blob_files import DirectoryBlobs
from sync.server.blobs import BlobError, BlobStore, Holder, UploadState, is_sha256, open_blob_store
from sync.server.body_limit import ERR_TOO_LARGE, BodyLimit, BodyTooLarge
from sync.server.changes import ChangeLog
from sync.server.db import Database, utcnow
from sync.server.devices import DeviceError, DeviceIdentity
from sync.server.health import (
    ReadinessCheck,
    add_health_routes,
    directory_probe,
    store_probe,
)
from sync.server.models import Snapshot
from sync.server.push_guard import GuardedPushBatch
from sync.server.rate_limit import DeviceRateLimit, RateLimited, rate_limited_response
from sync.server.settings import ServerLimits
from sync.server.upload_locks import LockBusy

P = protocol.API_PREFIX
SNAPSHOT: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified since the ETag sent."},
    404: {"model": protocol.ErrorBody, "description": "Not published yet."},
}
TUS_HEADERS = {protocol.TUS_RESUMABLE: protocol.TUS_VERSION, "Cache-Control": "no-store"}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = protocol.ErrorBody(code=code, message=message).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


async def current_device(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> DeviceIdentity:
    """The enrolled device behind the request's bearer token; 401 otherwise.

    Read from the database on every request, so a revoked token is refused at once
    (see devices.py). Each request spends one of the device's tokens (rate_limit.py).
    """
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    tokens: devices.TokenCheck = request.app.state.tokens
    identity = await tokens.identity(token)
    note_device(request, identity)
    rate_limit: DeviceRateLimit = request.app.state.rate_limit
    rate_limit.take(identity.id)
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


def body_limit(limits: ServerLimits, method: str, path: str) -> int:
    """The largest body a request to ``path`` may carry."""
    if path == f"{P}/enrol":
        return limits.enrol_bytes
    if path == f"{P}/push":
        return limits.push_bytes
    if method in ("POST", "PATCH") and path.startswith(f"{P}/blobs/"):
        return limits.other_bytes if path == f"{P}/blobs/query" else limits.blob_bytes
    return limits.other_bytes


def create_app(
    database: Database, blob_store: FilePath | str, limits: ServerLimits | None = None
) -> FastAPI:
    """The API on ``database`` with blobs in ``blob_store`` (a directory or ``s3://bucket``).

    The caller owns the database; the app's blob store is closed by ``app.state.blobs.close()``.
    """
    limits = limits or ServerLimits()
    app = FastAPI(
        title="Máy chủ tỉnh — đồng bộ quầy một cửa",
        version=str(protocol.PROTOCOL_VERSION),
        openapi_url=f"{P}/openapi.json",
        docs_url=f"{P}/docs",
        redoc_url=None,
        responses={
            401: {"model": protocol.ErrorBody, "description": "No valid device token."},
            413: {"model": protocol.ErrorBody, "description": "A body over the server's limit."},
            429: {
                "model": protocol.ErrorBody,
                "description": "Too many requests from this device; retry after Retry-After.",
            },
            503: {"model": protocol.ErrorBody, "description": "Busy; retry after Retry-After."},
        },
    )
    app.state.database = database
    app.state.limits = limits
    app.state.tokens = devices.TokenCheck(database.engine)
    app.state.rate_limit = DeviceRateLimit(limits.device_rate, limits.device_burst)
    files: BlobStore = open_blob_store(blob_store, database.engine, limits.upload_max_age)
    app.state.blobs = files

    def write_holders(holders: list[Holder]) -> None:
        with database.write() as session:
            records.record_uploads(session, holders, utcnow())

    holder_log = app.state.holders = records.HolderLog(database.engine, write_holders)

    probe = directory_probe(files.root) if isinstance(files, DirectoryBlobs) else store_probe(files)
    add_health_routes(app, ReadinessCheck(database, probe))
    app.include_router(updates.router)  # signed application updates (updates.py)

    def record_holder(holder: Holder) -> None:
        """Before the answer, so the push that names the blob finds it, on any process."""
        holder_log.note(holder, utcnow())

    held = records.blobs_held
    app.add_middleware(BodyLimit, limit_of=lambda method, path: body_limit(limits, method, path))
    app.add_middleware(AccessLog)  # outermost: it sees every answer, a 413 too

    @app.exception_handler(RateLimited)
    async def _rate_limited(_request: Request, exc: RateLimited) -> Response:
        return rate_limited_response(exc)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(_request: Request, exc: BodyTooLarge) -> Response:
        return _error(413, ERR_TOO_LARGE, exc.detail, {"Connection": "close"})

    @app.exception_handler(HTTPException)
    async def _unparsable(request: Request, exc: HTTPException) -> Response:
        # A body that is no JSON at all (not UTF-8, say): FastAPI answers 400 in a shape of
        # its own, documented nowhere; it is an invalid request like any other, so 422.
        if exc.status_code == 400:
            detail = [{"type": "json_invalid", "loc": ["body"], "msg": str(exc.detail)}]
            return JSONResponse({"detail": detail}, status_code=422)
        return await http_exception_handler(request, exc)

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
    app.add_exception_handler(LockBusy, _busy)
    for unavailable in files.unavailable:
        app.add_exception_handler(unavailable, _busy)
    app.add_exception_handler(IntegrityError, _busy)

    @app.exception_handler(DataError)
    async def _unstorable(_request: Request, _exc: DataError) -> Response:
        # A value the database refuses (PostgreSQL: a text longer than its column):
        # the same request will never succeed, so it is the request that is wrong.
        return _error(422, "invalid_request", "The request holds a value the server cannot store.")

    @app.get(f"{P}/health")
    def health() -> protocol.Health:
        with database.read() as session:
            head = changes.head(session)
        return protocol.Health(
            server_epoch=database.epoch(), server_time=dt.datetime.now(dt.UTC), head_seq=head
        )

    @app.post(
        f"{P}/enrol",
        responses={
            400: {"model": protocol.ErrorBody, "description": "A code not (or no longer) valid."}
        },
    )
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
        answer.server_epoch = database.epoch()
        return answer

    @app.post(f"{P}/push")
    def push(request: protocol.PushRequest, caller: Device) -> protocol.PushResponse:
        now = utcnow()
        with database.write() as session:
            log = ChangeLog()
            nameable = records.nameable_blob(
                session, caller.unit_code, request.mutations, files.durable, held
            )
            batch = GuardedPushBatch(session, caller, log, now, nameable)
            batch.apply(request.mutations)
            devices.touch(session, caller.id)
            log.commit(session, now)
            results = batch.finish()
        return protocol.PushResponse(server_epoch=database.epoch(), results=results)

    @app.get(f"{P}/changes")
    def pull(
        caller: Device,
        since: Annotated[int, Query(ge=0, le=protocol.MAX_INT)] = 0,
        limit: Annotated[int, Query(ge=1, le=protocol.MAX_PULL_PAGE)] = 1000,
    ) -> Response:
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

    @app.get(f"{P}/catalog", responses={200: {"description": "the catalog JSON"}, **SNAPSHOT})
    def catalog(_caller: Device, if_none_match: Annotated[str | None, Header()] = None) -> Response:
        return snapshot("catalog", if_none_match)

    @app.get(f"{P}/holidays", responses={200: {"model": protocol.HolidaysSnapshot}, **SNAPSHOT})
    def holidays(
        _caller: Device, if_none_match: Annotated[str | None, Header()] = None
    ) -> Response:
        return snapshot("holidays", if_none_match)

    @app.get(f"{P}/units", responses={200: {"model": protocol.UnitsSnapshot}, **SNAPSHOT})
    def units(_caller: Device, if_none_match: Annotated[str | None, Header()] = None) -> Response:
        return snapshot("units", if_none_match)

    # Blobs ---------------------------------------------------------------------

    @app.post(f"{P}/blobs/query")
    def blobs_query(query: protocol.BlobQuery, caller: Device) -> protocol.BlobQueryResponse:
        """What the caller's unit still has to upload: a blob stored for another unit counts."""
        missing, offsets = [], {}
        states = {sha256: files.state(sha256) for sha256 in query.sha256}  # a worker thread
        stored = [sha256 for sha256, state in states.items() if state and state.complete]
        with database.read() as session:
            holding = held(session, stored, caller.unit_code) if stored else set()
        for sha256 in query.sha256:
            state = states[sha256]
            if state is not None and state.complete and sha256 not in holding:
                state = files.state(sha256, stored=False)
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
        if not is_sha256(sha256):
            raise invalid("The path does not end in a SHA-256 (64 lowercase hex digits).")
        return sha256

    def header_int(request: Request, name: str, default: int | None = None) -> int:
        value = request.headers.get(name)
        if value is None and default is not None:
            return default
        if value is None or not value.isdigit() or not value.isascii():
            raise invalid(f"Header {name} must be a non-negative integer.")
        return int(value)

    async def authorize(request: Request) -> DeviceIdentity:
        return await current_device(request, request.headers.get("authorization"))

    async def unit_holds(caller: DeviceIdentity, sha256: str) -> bool:
        def look_up() -> bool:
            with database.read() as session:
                return bool(records.blobs_held(session, [sha256], caller.unit_code))

        return await to_thread.run_sync(look_up)

    async def state_for(caller: DeviceIdentity, sha256: str) -> UploadState | None:
        """``files.state`` as the caller may see it: a stored blob its unit does not hold is not."""
        state = await files.call(files.state, sha256)
        if state is not None and state.complete and not await unit_holds(caller, sha256):
            return await files.call(files.state, sha256, stored=False)
        return state

    async def blob_create(request: Request) -> Response:
        """tus creation, with the first bytes in the same request ("creation-with-upload").

        A blob stored already answers 200 only to a unit that holds it; any other
        uploads it again, proving it has the bytes. An empty upload is checked like
        any other: only the SHA-256 of no bytes at all is stored empty.
        """
        caller = await authorize(request)
        sha256 = blob_of(request)
        upload_length = header_int(request, protocol.UPLOAD_LENGTH)
        content_length = header_int(request, "content-length", 0)
        if upload_length > limits.blob_bytes:
            largest = limits.blob_bytes
            raise BlobError(413, ERR_TOO_LARGE, f"A blob may have at most {largest} bytes.")
        if content_length > upload_length:
            raise BlobError(400, "too_long", "More bytes than declared.")
        async with files.lock(sha256):
            if await files.call(files.has, sha256) and await unit_holds(caller, sha256):
                return tus(UploadState(upload_length, upload_length), 200)
            empty = not content_length and upload_length > 0
            state = await files.call(files.create, sha256, upload_length, empty=empty, stored=False)
            if state.offset:
                if not content_length:
                    return tus(state, 201, Location=f"{P}/blobs/{sha256}")
                raise BlobError(
                    409, "offset_mismatch", "An upload is under way; PATCH at its offset.",
                    offset=state.offset,
                )  # fmt: skip
            if content_length or not upload_length:
                state = await files.receive(
                    sha256, upload_length, 0, request.stream(), creating=True,
                    verified=partial(record_holder, (sha256, caller.id, caller.unit_code)),
                )  # fmt: skip
        return tus(state, 201, Location=f"{P}/blobs/{sha256}")

    async def blob_head(request: Request) -> Response:
        """Where an upload stands (Upload-Offset of Upload-Length); 404 if none (or expired)."""
        caller = await authorize(request)
        state = await state_for(caller, blob_of(request))
        if state is None:
            return Response(status_code=404, headers=TUS_HEADERS)
        return tus(
            state, 200, **{protocol.UPLOAD_LENGTH: str(state.length), "Cache-Control": "no-store"}
        )

    async def blob_patch(request: Request) -> Response:
        """The next bytes of an upload, at the offset the server has."""
        caller = await authorize(request)
        sha256 = blob_of(request)
        upload_offset = header_int(request, protocol.UPLOAD_OFFSET)
        if request.headers.get("content-type", "") != protocol.OFFSET_CONTENT_TYPE:
            return _error(415, "bad_content_type", f"Use {protocol.OFFSET_CONTENT_TYPE}.")
        async with files.lock(sha256):
            # Not resumed however old: HEAD would have said 404.
            await files.call(files.expire, sha256)
            state = await state_for(caller, sha256)
            if state is None:
                raise files.no_upload()
            if state.complete:
                return tus(state)
            rest = state.length - state.offset
            if upload_offset == state.offset and header_int(request, "content-length", 0) > rest:
                raise BlobError(400, "too_long", "More bytes than declared.", state.offset)
            state = await files.receive(
                sha256, state.length, upload_offset, request.stream(),
                verified=partial(record_holder, (sha256, caller.id, caller.unit_code)),
            )  # fmt: skip
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
            responses={
                **responses,
                400: {"description": "More bytes than the upload's length."},
                413: {"description": "Longer than the server accepts."},
                422: {"description": "A malformed hash or header."},
            },
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
        {
            404: {"description": "No upload of this blob (or it expired): create it again."},
            409: {"description": "Not at the server's offset."},
            415: {"description": "Not application/offset+octet-stream."},
            **checksum,
        },
        protocol.UPLOAD_OFFSET,
    )

    @app.get(
        f"{P}/blobs/{{sha256}}",
        responses={
            200: {"content": {"application/pdf": {}}, "description": "the scan"},
            404: {"model": protocol.ErrorBody, "description": "No such scan for this unit."},
        },
    )
    def blob_download(sha256: Sha256, caller: Device) -> Response:
        """A scan named by a dossier the caller's unit sees; 404 for any other hash."""
        with database.read() as session:
            allowed = records.unit_may_read_blob(session, sha256, caller.unit_code)
        if not allowed or not files.durable(sha256):
            return _error(404, "no_blob", "No such scan for this unit.")
        return files.response(sha256)

    return app
