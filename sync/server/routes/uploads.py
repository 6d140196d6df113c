"""A scan's upload, the tus 1.0 way: create (with the first bytes), where it stands, the rest.

These endpoints are async because they stream the request body to the blob store
as it arrives; they go to the database only for the caller's token, for the
upload's lock, to note who uploaded a blob (unless the counter asked for a
receipt, ``receipts``), and to ask whether the caller's unit holds a blob already
stored. Nothing an upload needs stays in the process between requests, so any
number of processes can serve.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from sync import protocol
from sync.server import records
from sync.server.blobs import BlobError, BlobStore, Holder, UploadState, Verified, is_sha256
from sync.server.body_limit import ERR_TOO_LARGE
from sync.server.db import utcnow
from sync.server.devices import DeviceIdentity
from sync.server.error_answers import TUS_HEADERS, error
from sync.server.routes.caller import (
    blobs_of,
    current_device,
    database_of,
    holders_of,
    limits_of,
    receipts_of,
    uploading_device,
)

P = protocol.API_PREFIX
router = APIRouter(prefix=P)


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


def record_holder(holders: records.HolderLog, holder: Holder) -> Callable[[], None]:
    """Before the answer, so the push that names the blob finds it, on any process.

    Returns the wait for the note's commit, which the blob store calls once the
    blob is durable: both are done before the answer.
    """
    return holders.begin(holder, utcnow())


def on_verified(request: Request, caller: DeviceIdentity, sha256: str) -> Verified | None:
    """What the store calls once the bytes matched: note the holder, unless asked for a receipt.

    A counter that asks for a receipt shows it in the push that names the blob,
    which writes the holder row then (``receipts``): no commit on the upload's path.
    """
    if protocol.UPLOAD_RECEIPT in request.headers:
        return None
    holder = (sha256, caller.id, caller.unit_code)
    return partial(record_holder, holders_of(request), holder)


def stored(
    request: Request, caller: DeviceIdentity, sha256: str, state: UploadState, status: int
) -> Response:
    """The answer to the request that received bytes: with the receipt asked for, once stored."""
    extra = {}
    if state.complete and protocol.UPLOAD_RECEIPT in request.headers:
        book = receipts_of(request)
        extra[protocol.UPLOAD_RECEIPT] = book.issue(sha256, caller.id, caller.unit_code)
    if status == 201:
        extra["Location"] = f"{P}/blobs/{sha256}"
    return tus(state, status, **extra)


async def unit_holds(request: Request, caller: DeviceIdentity, sha256: str) -> bool:
    database = database_of(request)

    def look_up() -> bool:
        with database.read() as session:
            return bool(records.blobs_held(session, [sha256], caller.unit_code))

    return await to_thread.run_sync(look_up)


async def state_for(
    request: Request, files: BlobStore, caller: DeviceIdentity, sha256: str
) -> UploadState | None:
    """``files.state`` as the caller may see it: a stored blob its unit does not hold is not."""
    state = await files.call(files.state, sha256)
    if state is not None and state.complete and not await unit_holds(request, caller, sha256):
        return await files.call(files.state, sha256, stored=False)
    return state


async def blob_create(request: Request) -> Response:
    """tus creation, with the first bytes in the same request ("creation-with-upload").

    A blob stored already answers 200 only to a unit that holds it; any other
    uploads it again, proving it has the bytes. An empty upload is checked like
    any other: only the SHA-256 of no bytes at all is stored empty.
    """
    caller = await uploading_device(request)
    files, limits = blobs_of(request), limits_of(request)
    sha256 = blob_of(request)
    upload_length = header_int(request, protocol.UPLOAD_LENGTH)
    content_length = header_int(request, "content-length", 0)
    if upload_length > limits.blob_bytes:
        largest = limits.blob_bytes
        raise BlobError(413, ERR_TOO_LARGE, f"A blob may have at most {largest} bytes.")
    if content_length > upload_length:
        raise BlobError(400, "too_long", "More bytes than declared.")
    async with files.lock(sha256):
        if await files.call(files.has, sha256) and await unit_holds(request, caller, sha256):
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
                verified=on_verified(request, caller, sha256),
            )  # fmt: skip
    return stored(request, caller, sha256, state, 201)


async def blob_head(request: Request) -> Response:
    """Where an upload stands (Upload-Offset of Upload-Length); 404 if none (or expired)."""
    caller = await authorize(request)
    files, sha256 = blobs_of(request), blob_of(request)
    state = await state_for(request, files, caller, sha256)
    if state is None and await files.call(files.unchecked, sha256):
        # A request is receiving it where the blob will be (or died doing so):
        # once it is done, what arrived is an upload under way, the blob, or nothing.
        async with files.lock(sha256):
            await files.call(files.settle, sha256)
            state = await state_for(request, files, caller, sha256)
    if state is None:
        return Response(status_code=404, headers=TUS_HEADERS)
    return tus(
        state, 200, **{protocol.UPLOAD_LENGTH: str(state.length), "Cache-Control": "no-store"}
    )


async def blob_patch(request: Request) -> Response:
    """The next bytes of an upload, at the offset the server has."""
    caller = await uploading_device(request)
    files = blobs_of(request)
    sha256 = blob_of(request)
    upload_offset = header_int(request, protocol.UPLOAD_OFFSET)
    if request.headers.get("content-type", "") != protocol.OFFSET_CONTENT_TYPE:
        return error(415, "bad_content_type", f"Use {protocol.OFFSET_CONTENT_TYPE}.")
    async with files.lock(sha256):
        # Not resumed however old: HEAD would have said 404.
        await files.call(files.expire, sha256)
        state = await state_for(request, files, caller, sha256)
        if state is None:
            raise files.no_upload()
        if state.complete:
            return tus(state)
        rest = state.length - state.offset
        if upload_offset == state.offset and header_int(request, "content-length", 0) > rest:
            raise BlobError(400, "too_long", "More bytes than declared.", state.offset)
        state = await files.receive(
            sha256, state.length, upload_offset, request.stream(),
            verified=on_verified(request, caller, sha256),
        )  # fmt: skip
    return stored(request, caller, sha256, state, 204)


def bare(
    endpoint: Callable[[Request], Coroutine[Any, Any, Response]],
    method: str,
    status: int,
    responses: dict[int | str, dict[str, Any]],
    header: str | None = None,
) -> None:
    extra = tus_parameters(*([(header, True)] if header else []))
    if method != "HEAD":
        extra["parameters"].append(
            {
                "name": protocol.UPLOAD_RECEIPT,
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 8},
                "description": "Any value: the answer that stores the blob carries a receipt "
                "in this header, to show with the hash in the query and the push.",
            }
        )
        binary = {"schema": {"type": "string", "format": "binary"}}
        extra["requestBody"] = {
            "required": method == "PATCH",
            "content": {protocol.OFFSET_CONTENT_TYPE: binary},
        }
    router.add_api_route(
        "/blobs/{sha256}",
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


CHECKSUM: dict[int | str, dict[str, Any]] = {
    460: {"description": "The bytes do not have this SHA-256; sent again."}
}
bare(
    blob_create,
    "POST",
    201,
    {200: {"description": "Already stored."}, 409: {"description": "Under way."}, **CHECKSUM},
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
        **CHECKSUM,
    },
    protocol.UPLOAD_OFFSET,
)
