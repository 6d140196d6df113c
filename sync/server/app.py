"""The provincial server's HTTP API (FastAPI), everything under ``/api/v1``.

``create_app`` builds what the routes share (database, blob store, limits, the
token check, the upload holders) into ``app.state``, puts the middleware and the
error answers around them, and mounts the routers of ``sync/server/routes/``, one
per concern. Endpoints that touch the database are plain functions FastAPI runs
in its thread pool; the upload endpoints are async (``routes/uploads.py``).
"""

from __future__ import annotations

from pathlib import Path as FilePath

from fastapi import FastAPI

from sync import protocol
from sync.server import devices, receipts, records, updates
from sync.server.access_log import AccessLog
from sync.server.admission import Admission
from sync.server.blob_files import DirectoryBlobs
from sync.server.blobs import BlobStore, Holder, open_blob_store
from sync.server.body_limit import BodyLimit
from sync.server.db import Database, utcnow
from sync.server.error_answers import add_error_answers
from sync.server.health import ReadinessCheck, add_health_routes, directory_probe, store_probe
from sync.server.rate_limit import DeviceRateLimit
from sync.server.routes import blobs, changes, enrolment, snapshots, uploads
from sync.server.settings import ServerLimits

P = protocol.API_PREFIX


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

    app.state.holders = records.HolderLog(database.engine, write_holders)
    app.state.receipts = receipts.open_book(database)

    # Inside the body limit (it reads the body it admits) and the access log (which
    # logs a request it turns away).
    app.add_middleware(Admission, slots=limits.admission_slots, wait_s=limits.admission_wait_s)
    app.add_middleware(BodyLimit, limit_of=lambda method, path: body_limit(limits, method, path))
    app.add_middleware(AccessLog)  # outermost: it sees every answer, a 413 too
    add_error_answers(app, files.unavailable)

    probe = directory_probe(files.root) if isinstance(files, DirectoryBlobs) else store_probe(files)
    add_health_routes(app, ReadinessCheck(database, probe))
    # The API's routers, one per concern (sync/server/routes/); a new one is one line here.
    # blobs before uploads: POST /blobs/query must match before POST /blobs/{sha256}.
    app.include_router(changes.router)
    app.include_router(enrolment.router)
    app.include_router(snapshots.router)
    app.include_router(blobs.router)
    app.include_router(uploads.router)
    app.include_router(updates.router)  # signed application updates (updates.py)
    return app
