"""How the server answers a request that failed: one ``ErrorBody`` shape for every error.

Each exception a route (or its dependencies) may raise is mapped here, once for
the whole app, so a router raises and never formats an error answer itself.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from sync import protocol
from sync.server.blobs import BlobError
from sync.server.body_limit import ERR_TOO_LARGE, BodyTooLarge
from sync.server.devices import DeviceError
from sync.server.rate_limit import RateLimited, rate_limited_response
from sync.server.upload_locks import LockBusy

# What every tus answer carries, an error included.
TUS_HEADERS = {protocol.TUS_RESUMABLE: protocol.TUS_VERSION, "Cache-Control": "no-store"}


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = protocol.ErrorBody(code=code, message=message).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


async def _rate_limited(_request: Request, exc: RateLimited) -> Response:
    return rate_limited_response(exc)


async def _too_large(_request: Request, exc: BodyTooLarge) -> Response:
    return error(413, ERR_TOO_LARGE, exc.detail, {"Connection": "close"})


async def _unparsable(request: Request, exc: HTTPException) -> Response:
    # A body that is no JSON at all (not UTF-8, say): FastAPI answers 400 in a shape of
    # its own, documented nowhere; it is an invalid request like any other, so 422.
    if exc.status_code == 400:
        detail = [{"type": "json_invalid", "loc": ["body"], "msg": str(exc.detail)}]
        return JSONResponse({"detail": detail}, status_code=422)
    return await http_exception_handler(request, exc)


async def _device_error(_request: Request, exc: DeviceError) -> Response:
    return error(exc.status, exc.code, exc.message)


async def _blob_error(_request: Request, exc: BlobError) -> Response:
    headers = dict(TUS_HEADERS)
    if exc.offset is not None:
        headers[protocol.UPLOAD_OFFSET] = str(exc.offset)
    return error(exc.status, exc.code, exc.message, headers)


async def _busy(_request: Request, exc: Exception) -> Response:
    # A lock timeout, a lost database connection, or a concurrent insert of the
    # same row: the same request again will find the other transaction
    # committed (or the database back), so the client retries.
    code = "conflict" if isinstance(exc, IntegrityError) else protocol.ERR_BUSY
    message = "Máy chủ tỉnh đang bận; sẽ thử lại."
    return error(503, code, message, {"Retry-After": "1"})


async def _unstorable(_request: Request, _exc: Exception) -> Response:
    # A value the database refuses (PostgreSQL: a text longer than its column):
    # the same request will never succeed, so it is the request that is wrong.
    return error(422, "invalid_request", "The request holds a value the server cannot store.")


def add_error_answers(app: FastAPI, unavailable: tuple[type[Exception], ...]) -> None:
    """Map every error to its answer; ``unavailable``: the blob store's "try again" errors."""
    app.exception_handler(RateLimited)(_rate_limited)
    app.exception_handler(BodyTooLarge)(_too_large)
    app.exception_handler(HTTPException)(_unparsable)
    app.exception_handler(DeviceError)(_device_error)
    app.exception_handler(BlobError)(_blob_error)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(LockBusy, _busy)
    for each in unavailable:
        app.add_exception_handler(each, _busy)
    app.add_exception_handler(IntegrityError, _busy)
    app.add_exception_handler(DataError, _unstorable)
