"""Which scans a unit must still upload, and a scan's download.

The uploads themselves (tus) are in ``uploads.py``; this router is mounted before
it, so ``POST /blobs/query`` is matched before ``POST /blobs/{sha256}``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sync import protocol
from sync.server import records
from sync.server.error_answers import error
from sync.server.routes.caller import Device, Sha256, blobs_of, database_of, receipts_of

router = APIRouter(prefix=protocol.API_PREFIX)


@router.post("/blobs/query")
def blobs_query(
    query: protocol.BlobQuery, caller: Device, http: Request
) -> protocol.BlobQueryResponse:
    """What the caller's unit still has to upload: a blob stored for another unit counts.

    A blob the caller shows its receipt for counts as held (``receipts``): the
    push that names it will note the holder.
    """
    files = blobs_of(http)
    missing, offsets = [], {}
    states = {sha256: files.state(sha256) for sha256 in query.sha256}  # a worker thread
    stored = [sha256 for sha256, state in states.items() if state and state.complete]
    holding = receipts_of(http).vouched(query.receipts, caller.id, caller.unit_code)
    unvouched = [sha256 for sha256 in stored if sha256 not in holding]
    if unvouched:
        with database_of(http).read() as session:
            holding |= records.blobs_held(session, unvouched, caller.unit_code)
    for sha256 in query.sha256:
        state = states[sha256]
        if state is not None and state.complete and sha256 not in holding:
            state = files.state(sha256, stored=False)
        if state is None or not state.complete:
            missing.append(sha256)
            if state is not None and state.offset:
                offsets[sha256] = state.offset
    return protocol.BlobQueryResponse(missing=missing, offsets=offsets)


@router.get(
    "/blobs/{sha256}",
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the scan"},
        404: {"model": protocol.ErrorBody, "description": "No such scan for this unit."},
    },
)
def blob_download(sha256: Sha256, caller: Device, http: Request) -> Response:
    """A scan named by a dossier the caller's unit sees; 404 for any other hash."""
    files = blobs_of(http)
    with database_of(http).read() as session:
        allowed = records.unit_may_read_blob(session, sha256, caller.unit_code)
    if not allowed or not files.durable(sha256):
        return error(404, "no_blob", "No such scan for this unit.")
    return files.response(sha256)
