"""What the access log and the per-device rate limit cost the server per request.

Run: ``python -m bench.server_overhead [--requests N]``. The real app
(``create_app`` on a SQLite file) is called in-process through ASGI, with no
network and no client, so only server-side work is timed: an authenticated
``HEAD /api/v1/blobs/{sha256}`` of an upload that does not exist (token check,
inline on SQLite; the blob store asked; 404), all on the event loop, N times,

- with the access log disabled (the logger off, as in the tests and benchmarks),
- with the access log on, each line formatted and written to /dev/null (as under
  ``province-server serve``, whose lines go to stderr),
- and with the rate limit on (a bucket large enough never to refuse),

against the floor: the same app with the two middlewares' work removed (the
access log taken out of the middleware stack, the bucket off). Leaves out the
network, uvicorn's HTTP parsing and the journal. Prints microseconds per request,
the median of 5 rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message

from sync import protocol
from sync.server import admin, devices
from sync.server.access_log import LOGGER, AccessLog
from sync.server.app import create_app
from sync.server.db import Database, utcnow
from sync.server.rate_limit import DeviceRateLimit

UNIT = "000.00.11.H57"
ROUNDS = 5
BLOB_PATH = f"{protocol.API_PREFIX}/blobs/{'ab' * 32}"


def token_for(database: Database) -> str:
    code = admin.enrol(database, unit_code=UNIT, unit_name="UBND phường X", slot=1)
    request = protocol.EnrolRequest(code=code, unit_code=UNIT, device_slot=1, device_id="bench")
    with database.write() as session:
        token, _device, _unit = devices.redeem(session, request, utcnow())
    return token


def without_access_log(app: Any) -> None:
    app.user_middleware = [m for m in app.user_middleware if m.cls is not AccessLog]
    app.middleware_stack = None


async def call(app: ASGIApp, scope: dict[str, Any]) -> int:
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(dict(scope), receive, send)
    return status


async def per_request_us(app: ASGIApp, scope: dict[str, Any], requests: int) -> float:
    started = time.perf_counter()
    for _ in range(requests):
        await call(app, scope)
    return (time.perf_counter() - started) / requests * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        database = Database.open(f"sqlite:///{root / 'province.sqlite3'}")
        token = token_for(database)
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "HEAD",
            "scheme": "http",
            "path": BLOB_PATH,
            "raw_path": BLOB_PATH.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8080),
        }
        access = logging.getLogger(LOGGER)
        level, propagate = access.level, access.propagate
        access.propagate = False
        sink = open(os.devnull, "w")  # noqa: SIM115 - closed below, with the handler
        null = logging.StreamHandler(sink)
        apps = [create_app(database, root / "blobs") for _ in range(2)]
        floor_app, app = apps
        without_access_log(floor_app)

        unlimited = app.state.rate_limit
        bucket = DeviceRateLimit(rate=1e9, burst=10**9)  # never refuses; its cost only

        def configure(target: Any, log: bool, rate: bool) -> Any:
            access.setLevel(logging.INFO if log else logging.WARNING)
            app.state.rate_limit = bucket if rate else unlimited
            return target

        setups = {
            "floor: no access log, no rate limit": lambda: configure(floor_app, False, False),
            "access log, logger off": lambda: configure(app, False, False),
            "access log on (to /dev/null)": lambda: configure(app, True, False),
            "access log on + rate limit": lambda: configure(app, True, True),
        }
        access.addHandler(null)
        try:
            for setup in setups.values():  # warm up, and check the answer is the expected one
                status = asyncio.run(call(setup(), scope))
                assert status == 404, status
            rounds: dict[str, list[float]] = {label: [] for label in setups}
            for _ in range(ROUNDS):  # interleaved, so a busy moment hits every setup alike
                for label, setup in setups.items():
                    target = setup()
                    rounds[label].append(asyncio.run(per_request_us(target, scope, args.requests)))
            figures = [(label, statistics.median(values)) for label, values in rounds.items()]
            floor = figures[0][1]
        finally:
            access.removeHandler(null)
            access.setLevel(level)
            access.propagate = propagate
            null.close()
            sink.close()
            for each in apps:
                each.state.tokens.close()
            database.close()
    print(f"server time per authenticated request, {args.requests} requests x {ROUNDS} rounds")
    print("(in-process ASGI: no network, no HTTP parsing; median of the rounds)")
    for label, value in figures:
        print(f"  {label:<40} {value:8.1f} µs   {value - floor:+7.1f} µs over the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
