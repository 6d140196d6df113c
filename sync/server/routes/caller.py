"""What every router takes from a request: the calling device, and the app's shared parts.

The parts (database, blob store, limits, upload holders) are built once by
``app.create_app`` and kept in ``app.state``; a route reads them from its request,
so a router module holds no state of its own and one router serves every app.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Request

from sync import protocol
from sync.server import devices, records
from sync.server.access_log import note_device
from sync.server.blobs import BlobStore
from sync.server.db import Database
from sync.server.devices import DeviceIdentity
from sync.server.rate_limit import DeviceRateLimit
from sync.server.receipts import ReceiptBook
from sync.server.settings import ServerLimits


async def current_device(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> DeviceIdentity:
    """The enrolled device behind the request's bearer token; 401 otherwise.

    Read from the database on every request, so a revoked token is refused at once
    (see devices.py). Each request spends one of the device's tokens (rate_limit.py).
    """
    tokens: devices.TokenCheck = request.app.state.tokens
    identity = await tokens.identity(bearer(authorization))
    return admitted(request, identity)


async def uploading_device(request: Request) -> DeviceIdentity:
    """``current_device`` for a request carrying a scan's bytes: a recent check may serve.

    A revoked device is refused within ``devices.UPLOAD_TOKEN_REUSE_S`` (see devices.py).
    """
    tokens: devices.TokenCheck = request.app.state.tokens
    identity = await tokens.recent_identity(bearer(request.headers.get("authorization")))
    return admitted(request, identity)


def bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def admitted(request: Request, identity: DeviceIdentity) -> DeviceIdentity:
    """The caller, noted for the access log and charged one request of its rate."""
    note_device(request, identity)
    rate_limit: DeviceRateLimit = request.app.state.rate_limit
    rate_limit.take(identity.id)
    return identity


# Module level, because FastAPI resolves the (string) annotations in the route's module.
Device = Annotated[DeviceIdentity, Depends(current_device)]
Sha256 = Annotated[str, Path(pattern=protocol.SHA256_PATTERN)]


def database_of(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def blobs_of(request: Request) -> BlobStore:
    files: BlobStore = request.app.state.blobs
    return files


def limits_of(request: Request) -> ServerLimits:
    limits: ServerLimits = request.app.state.limits
    return limits


def holders_of(request: Request) -> records.HolderLog:
    holders: records.HolderLog = request.app.state.holders
    return holders


def receipts_of(request: Request) -> ReceiptBook:
    book: ReceiptBook = request.app.state.receipts
    return book
