"""Signed application updates for enrolled counters: the TUF repository's files, read-only.

The province publishes a new counter version with ``province-server updates
publish`` (``update_repo.py``), which writes a TUF repository: signed metadata
under ``metadata/`` and the bundles (``ward-counter-X.Y.Z.tar.gz``) under
``targets/``. These routes hand those files out as they are, to enrolled
counters only (the bearer token of sync): the server signs nothing and checks
nothing about them, because the counter trusts the signatures, not the server.
A file the server does not hold is 404; names are single path segments, so no
request reaches outside the repository.

The repository's directory is ``PROVINCE_UPDATES_DIR`` (``serve --updates-dir``
sets it, and every worker process inherits it), ``updates`` in the current
directory otherwise; it is read at each request, so a publish needs no restart.
"""

from __future__ import annotations

import os
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Response
from fastapi.responses import FileResponse, JSONResponse

from sync import protocol
from sync.server.routes.caller import Device
from sync.server.settings import DEFAULT_UPDATES_DIR, ENV_UPDATES_DIR

METADATA_DIR = "metadata"
TARGETS_DIR = "targets"
# One path segment: letters, digits, dots, dashes, underscores, plus; never starting with a dot.
NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9._+-]{0,200}$"


def repository_dir() -> FilePath:
    return FilePath(os.environ.get(ENV_UPDATES_DIR) or DEFAULT_UPDATES_DIR)


# The same check as every sync endpoint (a valid device token, rate-limited).
Enrolled = Device
FileName = Annotated[str, Path(pattern=NAME_PATTERN)]
router = APIRouter(prefix=protocol.path("updates"), tags=["updates"])
NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": protocol.ErrorBody, "description": "No such file in the update repository."}
}


def _serve(folder: str, name: str, media_type: str, cache: str) -> Response:
    path = repository_dir() / folder / name
    if not path.is_file():
        body = protocol.ErrorBody(
            code="not_found", message=f"Máy chủ tỉnh không có tệp cập nhật {folder}/{name}."
        )
        return JSONResponse(body.model_dump(), status_code=404)
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": cache})


@router.get("/metadata/{name}", responses=NOT_FOUND)
def update_metadata(name: FileName, _device: Enrolled) -> Response:
    """A TUF metadata file (``root.json``, ``2.root.json``, ``timestamp.json``, …)."""
    # timestamp.json changes at every publish: never from a cache.
    return _serve(METADATA_DIR, name, "application/json", "no-store")


@router.get("/targets/{name}", responses=NOT_FOUND)
def update_target(name: FileName, _device: Enrolled) -> Response:
    """A published bundle; the counter checks its length and hashes against the metadata."""
    return _serve(TARGETS_DIR, name, "application/octet-stream", "no-cache")
