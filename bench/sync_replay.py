"""Opening time in a province: many counters sync at once with ``serve --workers 2`` on PostgreSQL.

``bench.sync_concurrency`` runs a full Python counter per simulated counter; on
the two cores the server shares, 200 of them starve the server they measure. So
this records what a real counter sends instead, and replays it from light
counters:

1. *Record* (not timed): a real counter with ``--dossiers`` receptions waiting
   (received through the real service) enrols and runs one real sync
   (``SyncEngine.run_once``) against the server; every request it makes is kept
   (method, path, query, headers, JSON body).
2. *Personalise* (not timed): each simulated counter gets a device of its own
   (enrolled over HTTP, eight a unit) and its own copy of the recorded requests:
   its unit code, fresh UUIDs for every id, dossier codes of its own, bodies
   serialised once beforehand.
3. *Replay* (timed): every simulated counter opens its own keep-alive connection
   and sends its requests one after another, all counters starting together, on
   asyncio with a minimal HTTP/1.1 client (a few tens of microseconds of client
   CPU a request). Pulls follow the server's ``next_cursor``/``has_more``, as the
   real client does; a ``503`` and a broken connection are tried again as the
   real client's step policy does (``WorkerSettings().step_policy``: full-jitter
   backoff, Retry-After obeyed, 30 s a step), counted as retries, not errors; a
   step still failing at its deadline is an error, as is any other unexpected
   answer and a mutation the server does not answer ``applied``.

After each step the benchmark checks in PostgreSQL that every dossier sent is
stored exactly once, and prints request latency (p50/p95/p99/max, by endpoint;
every answer counts, a 503 of the server's admission too, since the counter
waits for it), then the served requests alone, the ones turned away, and each
counter's whole sync (first request to last answer, the waits the real
client's policy makes between tries included), errors, retries, the workers'
CPU time (a figure the machine's load does not inflate: what the two workers
spent, per request) and their memory (RSS now and peak, from /proc). Steps
are 1, 25, 100, 200 and 1,000 counters by default, each with counters of its
own on the same server and database (earlier steps' data stays, as in a day).

Included: the server's whole request handling, two uvicorn workers, PostgreSQL
commits. Left out: the counter's own work (reading its store, applying pulls,
writing its cursor) and TLS. The floor is one counter alone (the first step).
The load of the machine is printed: the server, PostgreSQL and this client
share its cores.

Run: ``.venv/bin/python -m bench.sync_replay [--steps 1,25,100,200,1000]
[--dossiers 5] [--workers 2] [--max-concurrent N] [--queue-wait-ms MS]
[--database-url URL]`` (the admission options go to ``serve``; its defaults
otherwise). The default URL is
PROVINCE_BENCH_DATABASE_URL, else PROVINCE_TEST_DATABASE_URL, else the local
PostgreSQL; each run works in a schema of its own, dropped after. Exit status 0
when every step had no error and every dossier once, else 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from sqlalchemy import text

from bench.sync_common import enrol, free_port, new_counter, percentile, receive, scratch_schema
from sync import protocol
from sync.client import credentials
from sync.client.engine import SyncEngine
from sync.client.http import ServerConnection, retry_after
from sync.client.worker import WorkerSettings
from sync.server import admin
from sync.server.db import Database

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
SLOTS = 8
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_UNIT = "000.00.11.H57"
START_TIMEOUT_S = 120.0


@dataclass
class Recorded:
    method: str
    name: str
    params: dict[str, Any] | None
    headers: dict[str, str]
    body: Any


class RecordingConnection(ServerConnection):
    """The real client's connection, keeping every request it sends."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorded: list[Recorded] = []

    def call(self, method: str, name: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.get("headers") or {})
        self.recorded.append(
            Recorded(method, name, kwargs.get("params"), headers, kwargs.get("json"))
        )
        return super().call(method, name, **kwargs)


@dataclass
class Request:
    """One request of a simulated counter, ready to send (the body serialised)."""

    label: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    pull: bool = False
    pushes: int = 0  # mutations in a push: each must come back applied


@dataclass
class Outcome:
    latencies: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    busy: list[float] = field(default_factory=list)  # the 503s' answer times
    broken: list[str] = field(default_factory=list)  # connections that broke, tried again
    sync_s: float = 0.0  # first request sent to last answer, waits between tries included


def unit_of(index: int) -> tuple[str, int]:
    """Unit code and slot of simulated counter ``index``: eight counters a unit."""
    unit = index // SLOTS
    return f"{unit // 100:03d}.{unit % 100:02d}.{70 + unit // 10000:02d}.H57", index % SLOTS + 1


def personalise(value: Any, mapping: dict[str, str]) -> Any:
    """``value`` with every mapped string replaced and every other UUID made fresh."""
    if isinstance(value, dict):
        return {key: personalise(item, mapping) for key, item in value.items()}
    if isinstance(value, list):
        return [personalise(item, mapping) for item in value]
    if isinstance(value, str):
        if value in mapping:
            return mapping[value]
        if UUID.match(value):
            mapping[value] = str(uuid.uuid4())
            return mapping[value]
    return value


def script_for(
    recorded: list[Recorded], codes: list[str], unit_code: str, slot: int, token: str
) -> tuple[list[Request], list[str]]:
    """The recorded requests as counter (``unit_code``, ``slot``) sends them; its dossier ids."""
    mapping = {TEMPLATE_UNIT: unit_code}
    for code in codes:
        mapping[code] = f"{code.replace(TEMPLATE_UNIT, unit_code)}-{slot}"
    script, dossiers = [], []
    for item in recorded:
        path = protocol.path(item.name)
        headers = {"Authorization": f"Bearer {token}", **item.headers}
        body = b""
        pushes = 0
        if item.body is not None:
            payload = personalise(item.body, mapping)
            if item.name == "push":
                pushes = len(payload["mutations"])
                dossiers += [
                    m["entity_id"]
                    for m in payload["mutations"]
                    if (m["entity"], m["operation"]) == ("dossier", "receive")
                ]
            body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        pull = item.name == "changes"
        if pull:
            if script and script[-1].pull:
                continue  # the replay pages on for itself, from the server's answers
            path += "?" + urlencode({"since": 0, "limit": (item.params or {}).get("limit", 1000)})
        elif item.params:
            path += "?" + urlencode(item.params)
        label = f"{item.method} {item.name.split('/')[0]}"
        script.append(Request(label, item.method, path, headers, body, pull, pushes))
    return script, dossiers


class Http:
    """A minimal HTTP/1.1 keep-alive client on one asyncio connection (Content-Length only)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if self.reader is not None and self.reader.at_eof():
            await self.close()  # the server closed it while idle (keep-alive timeout), as urllib3
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        answer: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            answer[name.strip().lower()] = value.strip()
        content = await self.reader.readexactly(int(answer.get("content-length", "0")))
        if answer.get("connection", "").lower() == "close":
            await self.close()
        return status, answer, content

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def replay_one(script: list[Request], host: str, port: int, start_at: float) -> Outcome:
    """One counter's sync; a 503 is tried again as the real client does (its step policy)."""
    outcome = Outcome()
    http = Http(host, port)
    settings = WorkerSettings()
    policy, cycle = settings.step_policy, settings.failure_policy
    await asyncio.sleep(max(0.0, start_at - time.time()))
    began = time.perf_counter()
    try:
        for request in script:
            path = request.path
            tries = 0
            step_began = time.perf_counter()
            while True:
                try:
                    status, headers, content = await timed(http, request, path, outcome)
                except (OSError, asyncio.IncompleteReadError) as exc:
                    # What the real client's requests raises as a NetworkError: tried again.
                    await http.close()
                    outcome.broken.append(f"{type(exc).__name__}: {exc}")
                    status, headers, content = 0, {}, b""
                if status in (0, 503):
                    if status == 503:
                        outcome.busy.append(outcome.latencies.pop()[1])
                    # The real probe waits out only the server's own busy; any other failure
                    # of the health request fails the cycle, which the worker tries again
                    # after its failure backoff: the first request again, as here.
                    again = cycle if status == 0 and request is script[0] else policy
                    wait = again.delay(tries, retry_after(headers.get("retry-after")))
                    if time.perf_counter() - step_began + wait > policy.deadline_s:
                        outcome.errors.append(f"{request.label}: gave up at the step's deadline")
                        return outcome
                    tries += 1
                    outcome.retries += 1
                    await asyncio.sleep(wait)
                    continue
                if not (200 <= status < 300 or (status in (304, 404) and request.method == "GET")):
                    outcome.errors.append(f"{request.label} → {status} {content[:200]!r}")
                    return outcome
                if request.pushes:
                    results = json.loads(content)["results"]
                    refused = [r for r in results if r["outcome"] != "applied"]
                    if len(results) != request.pushes or refused:
                        outcome.errors.append(f"push answered {refused[:2]}")
                if not request.pull:
                    break
                page = json.loads(content)
                if not page["has_more"]:
                    break
                base = request.path.split("?")[0]
                limit = request.path.rsplit("limit=", 1)[1]
                path = f"{base}?since={page['next_cursor']}&limit={limit}"
                tries, step_began = 0, time.perf_counter()
    except ValueError as exc:
        outcome.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        outcome.sync_s = time.perf_counter() - began
        await http.close()
    return outcome


async def timed(
    http: Http, request: Request, path: str, outcome: Outcome
) -> tuple[int, dict[str, str], bytes]:
    started = time.perf_counter()
    answer = await http.send(request.method, path, request.headers, request.body)
    outcome.latencies.append((request.label, time.perf_counter() - started))
    return answer


async def replay(scripts: list[list[Request]], url: str) -> tuple[list[Outcome], float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    start_at = time.time() + 1.0
    outcomes = await asyncio.gather(*(replay_one(s, host, port, start_at) for s in scripts))
    return list(outcomes), time.time() - start_at


class WorkersServer:
    """``province-server serve --workers N`` as a child process, as a province runs it."""

    def __init__(
        self, url: str, blob_dir: Path, workers: int, pool_size: int, admission: list[str]
    ) -> None:
        self.port = free_port()
        self.log = blob_dir.parent / "server.log"
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "sync.server.cli", "serve",
                "--database-url", url, "--blob-dir", str(blob_dir),
                "--port", str(self.port), "--log-level", "warning",
                "--workers", str(workers), "--db-pool-size", str(pool_size), *admission,
            ],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stderr=self.log.open("wb"),  # the access log: a line a request
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                with requests.get(f"{self.url}/api/v1/health", timeout=1) as answer:
                    if answer.ok and len(self.workers()) == workers:
                        return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("province-server serve --workers did not start")

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [
            int(c)
            for c in children
            if Path(f"/proc/{c}").exists()
            and b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()
        ]

    def memory(self) -> str:
        """Each worker's resident memory now and at its peak (VmRSS, VmHWM)."""
        parts = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024  # type: ignore[union-attr]
            peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024  # type: ignore[union-attr]
            parts.append(f"{rss} MB (peak {peak} MB)")
        return ", ".join(parts)

    def cpu_seconds(self) -> float:
        """User and system CPU the workers have used so far (/proc/PID/stat)."""
        ticks = 0
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(60)


def record(
    database: Database, root: Path, server_url: str, dossiers: int
) -> tuple[list[Recorded], list[str]]:
    """One real counter's sync with ``dossiers`` receptions waiting: its requests and codes."""
    data_dir = root / "template"
    store = new_counter(data_dir, unit_code=TEMPLATE_UNIT, slot=1)
    try:
        codes = receive(store, dossiers, seed=0)
        enrol(database, data_dir, server_url, unit_code=TEMPLATE_UNIT, slot=1)
        enrolment = credentials.load(data_dir)
        assert enrolment is not None
        with RecordingConnection(enrolment.server_url, enrolment.device_token) as connection:
            report = SyncEngine(store, connection, data_dir=data_dir).run_once()
            assert report.complete, report
            return connection.recorded, codes
    finally:
        store.close()


async def enrol_many(database: Database, server_url: str, first: int, count: int) -> list[str]:
    """Tokens of ``count`` new devices (counters ``first``…), each enrolled over HTTP."""
    parts = urlsplit(server_url)
    gate = asyncio.Semaphore(8)
    requests_ = []
    for index in range(first, first + count):  # one at a time: a new unit is inserted once
        unit_code, slot = unit_of(index)
        code = admin.enrol(
            database, unit_code=unit_code, unit_name=f"Đơn vị {unit_code}", slot=slot
        )
        requests_.append(
            {
                "code": code,
                "unit_code": unit_code,
                "device_slot": slot,
                "device_id": str(uuid.uuid4()),
            }
        )

    async def one(request: dict[str, Any]) -> str:
        body = json.dumps(request).encode()
        async with gate:
            http = Http(parts.hostname or "127.0.0.1", parts.port or 80)
            try:
                status, _, content = await http.send(
                    "POST", protocol.path("enrol"), {"Content-Type": "application/json"}, body
                )
            finally:
                await http.close()
        if status != 200:
            raise RuntimeError(f"enrolment failed: {status} {content[:200]!r}")
        token: str = json.loads(content)["device_token"]
        return token

    return list(await asyncio.gather(*(one(r) for r in requests_)))


def stored_once(database: Database, ids: list[str]) -> tuple[int, int]:
    """(rows, distinct ids) of the dossiers ``ids`` on the server."""
    with database.read() as session:
        row = session.execute(
            text("SELECT count(*), count(DISTINCT id) FROM dossier WHERE id = ANY(:ids)"),
            {"ids": ids},
        ).one()
    return int(row[0]), int(row[1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="1,25,100,200,1000", help="counters per step")
    parser.add_argument("--dossiers", type=int, default=5, help="dossiers waiting per counter")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--pool-size", type=int, default=20, help="database connections a worker")
    parser.add_argument(
        "--max-concurrent", type=int, help="serve --max-concurrent (default: the server's)"
    )
    parser.add_argument("--queue-wait-ms", type=int, help="serve --queue-wait-ms")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "PROVINCE_BENCH_DATABASE_URL", os.environ.get("PROVINCE_TEST_DATABASE_URL", DEFAULT_URL)
        ),
    )
    args = parser.parse_args(argv)
    steps = [int(n) for n in args.steps.split(",")]
    root = Path(tempfile.mkdtemp(prefix="sync-replay-"))
    url, drop = scratch_schema(args.database_url)
    database = Database.open(url, pool_size=4, max_overflow=4)
    admission = [
        f"--{name.replace('_', '-')}={value}"
        for name, value in (
            ("max_concurrent", args.max_concurrent),
            ("queue_wait_ms", args.queue_wait_ms),
        )
        if value is not None
    ]
    server = WorkersServer(url, root / "blobs", args.workers, args.pool_size, admission)
    failed = False
    try:
        recorded, codes = record(database, root, server.url, args.dossiers)
        labels = ", ".join(f"{r.method} {r.name.split('/')[0]}" for r in recorded)
        print(
            f"recorded: one real counter's sync with {args.dossiers} dossiers waiting, "
            f"{len(recorded)} requests ({labels})"
        )
        print(
            f"server: province-server serve --workers {args.workers} on PostgreSQL, "
            f"{args.pool_size} connections a worker, {' '.join(admission) or 'default admission'}; "
            f"{os.cpu_count()} cores shared with this "
            f"client and PostgreSQL, load average {os.getloadavg()[0]:.1f} at start"
        )
        first = 0
        for count in steps:
            tokens = asyncio.run(enrol_many(database, server.url, first, count))
            scripts, expected = [], []
            for offset, token in enumerate(tokens):
                unit_code, slot = unit_of(first + offset)
                script, ids = script_for(recorded, codes, unit_code, slot, token)
                scripts.append(script)
                expected += ids
            first += count
            load = os.getloadavg()[0]
            cpu = server.cpu_seconds()
            outcomes, wall = asyncio.run(replay(scripts, server.url))
            cpu = server.cpu_seconds() - cpu
            served = [s for o in outcomes for _, s in o.latencies]
            busy = [s for o in outcomes for s in o.busy]
            latencies = served + busy
            errors = [e for o in outcomes for e in o.errors]
            retries = sum(o.retries for o in outcomes)
            syncs = [o.sync_s for o in outcomes]
            rows, distinct = stored_once(database, expected)
            once = rows == distinct == len(expected)
            failed = failed or bool(errors) or not once
            print(
                f"{count:>5} counters: {len(latencies):>5} requests in {wall:5.1f} s; "
                f"p50 {percentile(latencies, 50) * 1000:4.0f} ms, "
                f"p95 {percentile(latencies, 95) * 1000:5.0f} ms, "
                f"p99 {percentile(latencies, 99) * 1000:5.0f} ms, "
                f"max {max(latencies) * 1000:5.0f} ms; errors {len(errors)}, "
                f"retries {retries}; dossiers {distinct:,}/{len(expected):,} stored, "
                f"{'each once' if once else f'{rows:,} rows'} (load {load:.1f} before)"
            )
            print(
                f"        served: p99 {percentile(served, 99) * 1000:.0f} ms; "
                f"turned away (503 busy): {len(busy)}"
                + (f", answered in p99 {percentile(busy, 99) * 1000:.0f} ms" if busy else "")
                + f"; connections broken and tried again: {sum(len(o.broken) for o in outcomes)}"
                + f"; whole sync a counter (retries and their waits included): "
                f"p50 {percentile(syncs, 50):.1f} s, p99 {percentile(syncs, 99):.1f} s, "
                f"max {max(syncs):.1f} s"
            )
            by_label: dict[str, list[float]] = {}
            for outcome in outcomes:
                for label, seconds in outcome.latencies:
                    by_label.setdefault(label, []).append(seconds)
            print(
                "        by endpoint: "
                + "; ".join(
                    f"{label} p99 {percentile(s, 99) * 1000:.0f} ms"
                    for label, s in sorted(by_label.items())
                )
            )
            per_request = cpu / len(latencies) * 1000
            print(
                f"        workers' CPU: {cpu:.1f} s, {per_request:.1f} ms a request "
                f"({cpu / wall:.2f} of a core over the step); memory: {server.memory()}"
            )
            for error in errors[:5]:
                print(f"        error: {error}", file=sys.stderr)
    finally:
        server.stop()
        database.close()
        drop()
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
