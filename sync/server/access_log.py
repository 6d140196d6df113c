"""One JSON line per request, with the request's id and, once it is known, its device.

A province's IT staff follow a counter's complaint ("sync failed at 9:12") to the
server's log by unit and device, and a request through the reverse proxy by its
id: ``X-Request-ID`` is taken from the request when it carries a sane one (nginx
sets it, see ``deploy/nginx-province-server.conf``) and made up otherwise, and is
echoed on the answer either way. The device is noted by the authentication
(``note_device``) in the request's ASGI state, which this middleware, outermost,
reads when the answer has gone: a refused token logs no device.

The lines go to the ``sync.server.access`` logger at INFO; ``province-server
serve`` sends it to stderr (the journal, under systemd) through uvicorn's logging
configuration, in every worker process. Where nobody listens (the tests, the
benchmarks) the line is never built.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import os
import re
import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.devices import DeviceIdentity
from sync.server.error_answers import error

LOGGER = "sync.server.access"
REQUEST_ID = "X-Request-ID"
_REQUEST_ID = REQUEST_ID.lower().encode()
# What a proxy's id looks like (nginx's $request_id is 32 hex digits, others use UUIDs);
# anything else is replaced, so a client cannot write what it likes into the log.
_SANE_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
_DEVICE = "device"
CLIENT_CLOSED = 499  # nginx's status for a request whose client left before the answer
# A made-up id is 32 hex digits: 80 random bits drawn once per process, then a count,
# unique across processes and restarts without a system call per request.
_PROCESS_ID = secrets.token_hex(10)
_COUNT = itertools.count()


def _new_process_id() -> None:
    global _PROCESS_ID, _COUNT
    _PROCESS_ID, _COUNT = secrets.token_hex(10), itertools.count()


os.register_at_fork(after_in_child=_new_process_id)  # a forked worker draws its own

log = logging.getLogger(LOGGER)


def note_device(request: Request, device: DeviceIdentity) -> None:
    """Record the authenticated caller for the request's log line."""
    request.state.device = device


def request_id_of(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == _REQUEST_ID and _SANE_ID.fullmatch(value):
            return bytes(value).decode()
    return f"{_PROCESS_ID}{next(_COUNT) % 16**12:012x}"


class AccessLog:
    """The ASGI middleware: request id in and out, and the line when the answer has gone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_of(scope)
        header = (_REQUEST_ID, request_id.encode())
        state: dict[str, Any] = scope.setdefault("state", {})
        status = CLIENT_CLOSED

        answering = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, answering
            if message["type"] == "http.response.start":
                status, answering = message["status"], True
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            status = 500
            if not answering:
                # Answered here, not by Starlette outside us, so that it carries the id the
                # clerk reads out and the line in this log has; the traceback is still logged.
                await internal_error(request_id)(scope, receive, send_with_id)
            raise
        except BaseException:
            status = 500
            raise
        finally:
            if log.isEnabledFor(logging.INFO):
                device = state.get(_DEVICE)
                log.info(line(scope, request_id, status, started, device))


def internal_error(request_id: str) -> Response:
    """The answer to a request the server failed on: retried by the counter, like any 500."""
    return error(
        500,
        "internal_error",
        f"Máy chủ tỉnh gặp lỗi không lường trước (mã yêu cầu {request_id}); "
        "máy quầy sẽ thử lại, nếu lỗi còn hãy báo quản trị của tỉnh kèm mã này.",
    )


def line(
    scope: Scope, request_id: str, status: int, started: float, device: DeviceIdentity | None
) -> str:
    client = scope.get("client")
    entry = {
        "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "request_id": request_id,
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "client": client[0] if client else None,
        "device_id": device.id if device else None,
        "unit_code": device.unit_code if device else None,
        "device_slot": device.slot if device else None,
    }
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def logging_config(level: str, *, access_log: bool = True) -> dict[str, Any]:
    """uvicorn's logging configuration with the access lines, bare JSON, on stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(levelprefix)s %(message)s",
            },
            "json": {"format": "%(message)s"},
        },
        "handlers": {
            "default": {
                "formatter": "default",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "formatter": "json",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            LOGGER: {
                "handlers": ["access"],
                "level": "INFO" if access_log else "CRITICAL",
                "propagate": False,
            },
        },
    }
