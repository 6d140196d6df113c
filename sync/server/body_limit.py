"""Request bodies bounded before they are read (an ASGI middleware).

A body whose Content-Length is over its route's limit is refused at once, unread;
one sent in chunks is counted as it arrives and refused when it goes over. The
refusal is 413 with the error body every endpoint uses, code ``too_large``.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import protocol

ERR_TOO_LARGE = protocol.ERR_TOO_LARGE


class BodyTooLarge(HTTPException):
    """Raised while a route reads its body; an HTTPException, which FastAPI lets through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))
        self.limit = limit


def too_large_message(limit: int) -> str:
    return f"The request body is larger than this server accepts here ({limit} bytes)."


def too_large_response(limit: int) -> JSONResponse:
    body = protocol.ErrorBody(code=ERR_TOO_LARGE, message=too_large_message(limit))
    return JSONResponse(body.model_dump(), status_code=413, headers={"Connection": "close"})


class BodyLimit:
    """Applies ``limit_of(method, path)`` to every HTTP request's body."""

    def __init__(self, app: ASGIApp, limit_of: Callable[[str, str], int]) -> None:
        self.app = app
        self.limit_of = limit_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await too_large_response(limit)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
