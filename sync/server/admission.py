"""Admission: a process serves a few database requests at once and turns the rest away early.

At opening time, or when a province's link comes back, hundreds of counters
push and pull within the same second. Served all at once they share the cores
and the database's connections, so every one of them is slow (200 counters
at once: pushes of 2–3 s at the 99th percentile on two cores) and a counter on
a weak link may give up on a request that was in fact applied. So each server
process lets at most ``slots`` of the requests that work the database run at
once; the others wait their turn in arrival order, at most ``wait_s``, and a
request whose turn does not come by then is answered at once: 503 ``busy``,
with a ``Retry-After`` saying when this process expects to have room for it.
A request's body is read before it waits for its turn (the body limit applies
as it arrives), and its place is given back as soon as the answer starts (the
database work of every counted route is done by then), so a counter on a weak
link holds no place while it sends a push or receives a page of changes.

That expectation is a schedule: every request turned away takes the next free
place after those turned away before it, each place as long as a request takes
on average divided by the slots (measured here, as a moving average). So a
thousand counters turned away in the same second are told 1, 2, … seconds,
spread over the time the process needs for all of them, instead of all coming
back together; the counter adds up to a second of its own (``backoff.py``) so
that those told the same second do not arrive in the same instant.

Uploads and downloads of scans (``/blobs/{sha256}``) are not counted: they
stream for as long as the link takes and touch the database once; neither are
the signed update files, nor the supervisor's ``/healthz`` and ``/readyz``. The
counter's own ``/api/v1/health`` is: it reads the change head.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import math
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import protocol
from sync.server.body_limit import BodyTooLarge, too_large_response
from sync.server.error_answers import error

P = protocol.API_PREFIX
BUSY_MESSAGE = "Máy chủ tỉnh đang bận; sẽ thử lại."
# The longest Retry-After given: a counter asks again within a minute whatever the queue.
MAX_RETRY_AFTER_S = 60
# The moving average starts at a push's time on a loaded server, and follows what is seen.
FIRST_ESTIMATE_S = 0.05
SMOOTHING = 0.1


def counted(method: str, path: str) -> bool:
    """Whether a request takes a slot: the API's database work (its ``health`` reads the
    change head), not scans or update files; ``/healthz`` and ``/readyz`` are outside it."""
    if not path.startswith(f"{P}/"):
        return False
    if path.startswith(f"{P}/updates/"):
        return False
    return not (path.startswith(f"{P}/blobs/") and path != f"{P}/blobs/query")


class Slots:
    """``slots`` places handed out first come, first served; a waiter may give up."""

    def __init__(self, slots: int) -> None:
        self.free = slots
        self.waiting: collections.deque[asyncio.Future[None]] = collections.deque()

    async def take(self, wait_s: float) -> bool:
        if self.free > 0 and not self.waiting:
            self.free -= 1
            return True
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await asyncio.wait_for(asyncio.shield(turn), wait_s)
            return True
        except TimeoutError:
            if turn.done():  # handed a place just as the wait ran out: keep it
                return True
            self._forget(turn)
            return False
        except BaseException:  # the client left while waiting: pass on a place handed over
            if turn.done():
                self.give_back()
            else:
                self._forget(turn)
            raise

    def give_back(self) -> None:
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # the place passes straight to the next in line
                return
        self.free += 1

    def _forget(self, turn: asyncio.Future[None]) -> None:
        turn.cancel()
        with contextlib.suppress(ValueError):
            self.waiting.remove(turn)


class Admission:
    """The ASGI middleware: a slot for each counted request, or 503 with a Retry-After.

    ``slots`` 0 turns it off (``ServerLimits.admission_slots``).
    """

    def __init__(
        self,
        app: ASGIApp,
        slots: int,
        wait_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.size = slots
        self.wait_s = wait_s
        self.clock = clock
        self.slots = Slots(slots)
        self.average_s = FIRST_ESTIMATE_S
        self.next_free = 0.0  # when the last request turned away is expected to find room

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.size <= 0 or not counted(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        try:
            body = await _whole_body(receive)
        except BodyTooLarge as exc:
            await too_large_response(exc.limit)(scope, receive, send)
            return
        if body is None:
            return  # the client left before it had sent its request
        if not await self.slots.take(self.wait_s):
            later = {"Retry-After": str(self.retry_after())}
            answer = error(503, protocol.ERR_BUSY, BUSY_MESSAGE, later)
            await answer(scope, receive, send)
            return
        started = self.clock()
        unread = held = True

        async def replay() -> Message:
            nonlocal unread
            if not unread:
                return await receive()
            unread = False
            return {"type": "http.request", "body": body, "more_body": False}

        def leave() -> None:
            nonlocal held
            if held:
                held = False
                self.slots.give_back()
                took = self.clock() - started
                self.average_s += SMOOTHING * (took - self.average_s)

        async def answering(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Every counted route has done its database work once it answers: the
                # place goes to the next in line while a slow link takes the body.
                leave()
            await send(message)

        try:
            await self.app(scope, replay, answering)
        finally:
            leave()

    def retry_after(self) -> int:
        """Whole seconds until this process expects room for one more request turned away."""
        now = self.clock()
        place = self.average_s / self.size
        self.next_free = min(max(self.next_free, now) + place, now + MAX_RETRY_AFTER_S)
        return max(1, math.ceil(self.next_free - now))


async def _whole_body(receive: Receive) -> bytes | None:
    """The request's body, or None if the client disconnected first."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
