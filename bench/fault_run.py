"""A fault run: counters syncing through kills, network faults and a hostile device.

The acceptance of "nothing lost, nobody let in": the real provincial server as a
process on loopback (killed with SIGKILL mid-push and restarted), three counters
in data directories of their own (two of one unit, one of another) receiving
dossiers with scans and syncing with ``counter-app sync`` as a child process
(killed with SIGKILL mid-sync at random), all through a proxy that cuts
uploads, stalls, answers 503 and tells the client 504 after the server applied
a push. A hostile device of a third unit pushes what issue 14 lists: a document
id another unit's dossier has, a forged ``status_after``, an over-long
username, a NUL in a name, and another unit's scan named as its own.

After the rounds the faults stop and every counter syncs until its outbox is
empty; then the run prints and checks: every dossier received at a counter is
on the server exactly once, each counter holds each code at most once, the
other unit received every dossier sent to it, the hostile changes were refused
(not stored), every scan is on the server, and no captured stderr holds a
traceback. Exit status 1 if any check fails.

    python -m bench.fault_run [--rounds N] [--database-url URL] [--seed S]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter as Tally
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from counter_app.auth import Role, StaffIdentity
from counter_app.models import Dossier, DossierDocument, OutboxEntry
from counter_app.reception import ReceptionRequest, ReceptionService
from sync import protocol
from sync.client.http import ServerConnection
from sync.server.db import Database
from sync.server.models import ServerDossier, ServerEvent
from tests.support.counter_store import UNIT_CODE, applicant
from tests.support.counters import BIRTH_REGISTRATION, OTHER_UNIT, Counter, write_blob
from tests.support.fault_proxy import Fault, FaultProxy
from tests.support.server import ServerProcess

from .sync_common import scratch_schema

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_UNIT = "000.00.13.H57"
SYNC_TIMEOUT_S = 90.0
Payload = dict[str, Any]


def receive_with_scan(counter: Counter, seed: int, competent: str | None) -> str:
    """A draft whose first document gets a scan (its own bytes), then received."""
    request = ReceptionRequest(BIRTH_REGISTRATION, applicant(), counter.checklist())
    draft_id = counter.reception.save_draft(request, counter.clerk)
    with counter.store.write() as session:
        document = session.scalars(
            select(DossierDocument)
            .where(DossierDocument.dossier_id == draft_id)
            .order_by(DossierDocument.position)
        ).first()
        assert document is not None
        scan = b"%PDF-1.4 scan " + f"{counter.data_dir.name}-{seed}".encode() + os.urandom(2048)
        document.attachment_sha256 = write_blob(counter, session, scan)
    final = ReceptionRequest(
        BIRTH_REGISTRATION,
        applicant(),
        counter.checklist(),
        competent_unit_code=competent,
        draft_id=draft_id,
    )
    receipt = counter.reception.receive(final, counter.clerk)
    counter.clock.advance(minutes=3)
    return receipt.code


def sync_process(counter: Counter, logs: Path, label: str) -> subprocess.Popen[bytes]:
    stderr = (logs / f"sync-{label}.stderr").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "counter_app.cli", "sync", "--data-dir", str(counter.data_dir)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def random_faults(proxy: FaultProxy, rng: random.Random) -> None:
    """A few faults on the way, each firing once, at points the round does not choose."""
    push, blobs, changes = (protocol.path(name) for name in ("push", "blobs/", "changes"))
    menu: list[Callable[[], Fault]] = [
        lambda: Fault("POST", push, "gateway_timeout"),
        lambda: Fault("POST", push, "reset_request", n_bytes=rng.randint(1, 400)),
        lambda: Fault("POST", push, "stall", seconds=rng.uniform(0.2, 1.0)),
        lambda: Fault("POST", blobs, "reset_request", n_bytes=rng.randint(1, 1500)),
        lambda: Fault("PATCH", blobs, "reset_request", n_bytes=rng.randint(1, 1500)),
        lambda: Fault(
            "GET", changes, "respond", status=503, headers={"Retry-After": "0"}, body=b"{}"
        ),
        lambda: Fault("GET", changes, "refuse"),
        lambda: Fault("POST", push, "respond", status=502, body=b"<html>Bad Gateway</html>"),
    ]
    for _ in range(rng.randint(1, 3)):
        fault = rng.choice(menu)()
        fault.skip = rng.randint(0, 2)
        proxy.add(fault)


def outbox_payloads(counter: Counter, code: str) -> Payload:
    with counter.store.read() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == code))
        entry = session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.entity_id == dossier_id, OutboxEntry.operation == "receive")
            .order_by(OutboxEntry.id.desc())
        ).first()
        assert entry is not None
        return {
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "operation": entry.operation,
            "payload": entry.payload,
        }


def hostile_pushes(
    hostile: Counter, victim_payload: Payload, server_url: str
) -> tuple[list[str], list[str]]:
    """Pushes issue 14's bad mutations; returns (codes that must be refused, problems).

    ``victim_payload`` is another unit's dossier, already on the server.
    """
    victim_document = victim_payload["documents"][0]
    victim_scan = next(
        d["attachment_sha256"] for d in victim_payload["documents"] if d.get("attachment_sha256")
    )
    long_clerk = StaffIdentity("hostile." + "x" * 60, "Kẻ gian", Role.CLERK, hostile.unit_code)
    request = ReceptionRequest(BIRTH_REGISTRATION, applicant(), hostile.checklist())
    by_long_name = ReceptionService(hostile.store, hostile.clock).receive(request, long_clerk).code
    shared, hacked, with_nul, stolen_scan = (r.code for r in hostile.receive(4))

    def share(p: Payload) -> None:
        p["documents"][0]["id"] = victim_document["id"]

    def hack(p: Payload) -> None:
        p["events"][0]["status_after"] = "hacked"

    def nul(p: Payload) -> None:
        p["applicant"]["full_name"] = "Kẻ\x00Gian"

    def steal(p: Payload) -> None:
        p["documents"][0]["attachment_sha256"] = victim_scan

    refused = {shared: share, with_nul: nul, stolen_scan: steal, by_long_name: None}
    problems: list[str] = []
    mutations = []
    for code, change in [*refused.items(), (hacked, hack)]:
        entry = outbox_payloads(hostile, code)
        payload = copy.deepcopy(entry["payload"])
        if change is not None:
            change(payload)
        mutations.append(
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": entry["entity"],
                "entity_id": entry["entity_id"],
                "operation": entry["operation"],
                "payload": payload,
            }
        )
    with ServerConnection(server_url, hostile_token(hostile)) as connection:
        answer = connection.call("POST", "push", json={"mutations": mutations})
    outcomes = [r["outcome"] for r in answer.json()["results"]]
    for (code, _), outcome in zip([*refused.items()], outcomes, strict=False):
        if outcome != "rejected":
            problems.append(f"hostile {code}: {outcome}, not rejected")
    return [*refused], problems


def hostile_token(counter: Counter) -> str:
    from sync.client import credentials

    enrolment = credentials.load(counter.data_dir)
    assert enrolment is not None
    return enrolment.device_token


def codes_of(counter: Counter) -> list[str]:
    with counter.store.read() as session:
        return [c for c in session.scalars(select(Dossier.code)) if c]


def pending(counter: Counter) -> int:
    with counter.store.read() as session:
        count = session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "pending")
        )
        return int(count or 0)


def scans_of(counter: Counter, codes: set[str]) -> set[str]:
    with counter.store.read() as session:
        rows = session.scalars(
            select(DossierDocument.attachment_sha256)
            .join(Dossier, Dossier.id == DossierDocument.dossier_id)
            .where(Dossier.code.in_(codes), DossierDocument.attachment_sha256.is_not(None))
        )
        return {sha for sha in rows if sha}


def victim_on_server(database: Database, payload: Payload) -> bool:
    with database.read() as session:
        code = payload.get("code")
        return bool(session.scalar(select(ServerDossier.id).where(ServerDossier.code == code)))


def settle(logs: Path, counters: tuple[Counter, ...], label: str) -> None:
    """Sync every counter, fault-free, until none has a change left to send (bounded)."""
    for attempt in range(4):
        for counter in counters:
            child = sync_process(counter, logs, f"{counter.data_dir.name}-{label}-{attempt}")
            child.wait(timeout=SYNC_TIMEOUT_S)
        if not any(pending(c) for c in counters):
            # one more pass so every counter pulls what the last pushes sent
            for counter in counters:
                child = sync_process(counter, logs, f"{counter.data_dir.name}-{label}-pull")
                child.wait(timeout=SYNC_TIMEOUT_S)
            return


def run(rounds: int, database_url: str | None, seed: int, work: Path) -> int:
    rng = random.Random(seed)
    logs = work / "logs"
    logs.mkdir(parents=True)
    drop: Callable[[], None] | None = None
    if database_url:
        url, drop = scratch_schema(database_url)
    else:
        url = f"sqlite:///{work / 'province.sqlite3'}"
    database = Database.open(url)
    server = ServerProcess(url, work / "province-blobs", logs=logs)
    proxy: FaultProxy | None = None
    counters: list[Counter] = []
    try:
        server.start()
        proxy = FaultProxy(server.port)
        a1 = Counter(work / "counter-a1", UNIT_CODE, "UBND phường Hạc Thành", 1)
        a2 = Counter(work / "counter-a2", UNIT_CODE, "UBND phường Hạc Thành", 2)
        b1 = Counter(work / "counter-b1", OTHER_UNIT, "UBND phường Quảng Phú", 1)
        hostile = Counter(work / "counter-h", HOSTILE_UNIT, "UBND phường Giả", 1)
        counters = [a1, a2, b1, hostile]
        with contextlib.redirect_stdout(io.StringIO()):
            for counter in (a1, a2, b1):
                counter.enrol_at(database, proxy.url)
            hostile.enrol_at(database, server.url)

        received: dict[str, list[str]] = {c.data_dir.name: [] for c in (a1, a2, b1)}
        sent_to_b: list[str] = []
        kills = {"client": 0, "server": 0}
        hostile_codes: list[str] = []
        problems: list[str] = []
        victim: Payload | None = None
        hostile_done = False
        for n in range(rounds):
            for counter in (a1, a2, b1):
                for k in range(2):
                    competent = OTHER_UNIT if counter is not b1 and k == 1 else None
                    code = receive_with_scan(counter, n * 10 + k, competent)
                    received[counter.data_dir.name].append(code)
                    if competent:
                        sent_to_b.append(code)
                    if victim is None:
                        victim = outbox_payloads(counter, code)["payload"]
            random_faults(proxy, rng)
            children = [(c, sync_process(c, logs, f"{c.data_dir.name}-{n}")) for c in (a1, a2, b1)]
            if n % 2 == 0:  # the server dies mid-push, and comes back on the same port
                time.sleep(rng.uniform(0.2, 1.0))
                server.kill()
                kills["server"] += 1
                server.start()
            for _counter, child in children:
                if rng.random() < 0.4:
                    time.sleep(rng.uniform(0.05, 0.8))
                    if child.poll() is None:
                        child.send_signal(signal.SIGKILL)
                        kills["client"] += 1
            for _counter, child in children:
                child.wait(timeout=SYNC_TIMEOUT_S)
            if not hostile_done and victim is not None and victim_on_server(database, victim):
                codes, found = hostile_pushes(hostile, victim, server.url)
                hostile_codes += codes
                problems += found
                hostile_done = True

        # The faults stop; every counter syncs until nothing is left to send.
        proxy.faults.clear()
        settle(logs, (a1, a2, b1), "final")
        if not hostile_done and victim is not None:
            codes, found = hostile_pushes(hostile, victim, server.url)
            hostile_codes += codes
            problems += found
        # After the hostile pushes, each unit's counters still send and receive.
        for counter in (a1, a2, b1):
            competent = OTHER_UNIT if counter is not b1 else None
            code = receive_with_scan(counter, 9999, competent)
            received[counter.data_dir.name].append(code)
            if competent:
                sent_to_b.append(code)
        settle(logs, (a1, a2, b1), "after-hostile")

        with database.read() as session:
            on_server = Tally(session.scalars(select(ServerDossier.code)))
            # A push applied twice would show as a second reception event of one dossier.
            receptions = Tally(
                session.scalars(
                    select(ServerEvent.dossier_id).where(ServerEvent.kind == "received")
                )
            )
            forged = session.scalar(
                select(func.count())
                .select_from(ServerEvent)
                .where(ServerEvent.status_after == "hacked")
            )
        ours = Tally({c: n for c, n in on_server.items() if not c.startswith(HOSTILE_UNIT)})
        pushed_hostile = len(hostile_codes) + 1 if hostile_codes else 0
        all_received = [code for codes in received.values() for code in codes]
        lost = [code for code in all_received if code not in on_server]
        duplicated = [code for code, times in on_server.items() if times > 1]
        duplicated += [f"dossier {d}: received {n} times" for d, n in receptions.items() if n > 1]
        at_counters = {c.data_dir.name: Tally(codes_of(c)) for c in (a1, a2, b1)}
        twice_at_counter = [
            f"{name}:{code}" for name, tally in at_counters.items() for code, n in tally.items()
            if n > 1
        ]  # fmt: skip
        missing_at_b = [code for code in sent_to_b if code not in at_counters["counter-b1"]]
        hostile_stored = [code for code in hostile_codes if code in on_server]
        hostile_seen = [
            code for code in hostile_codes for tally in at_counters.values() if code in tally
        ]
        scans = set()
        for counter in (a1, a2, b1):
            scans |= scans_of(counter, set(received[counter.data_dir.name]))
        scans_missing = [s for s in scans if not (server.blob_dir / s[:2] / s).exists()]
        still_pending = {c.data_dir.name: pending(c) for c in (a1, a2, b1)}
    finally:
        server.stop()
        if proxy is not None:
            proxy.close()
        for counter in counters:
            counter.close()
        database.close()
        if drop is not None:
            drop()

    tracebacks = {
        path.name: path.read_text(errors="replace").count("Traceback")
        for path in sorted(logs.iterdir())
    }
    figures = [
        ("rounds", rounds, True),
        ("client syncs killed with SIGKILL", kills["client"], True),
        ("server processes killed with SIGKILL", kills["server"], True),
        ("dossiers received at the counters", len(all_received), True),
        ("dossiers on the server from the three counters", sum(ours.values()), True),
        ("hostile mutations pushed", pushed_hostile, pushed_hostile > 0),
        ("lost (received, not on the server)", len(lost), not lost),
        ("duplicated on the server", len(duplicated), not duplicated),
        ("held twice at a counter", len(twice_at_counter), not twice_at_counter),
        ("sent to the other unit, not pulled there", len(missing_at_b), not missing_at_b),
        ("changes still pending at the counters", sum(still_pending.values()),
         not any(still_pending.values())),
        ("scans received, not on the server", len(scans_missing), not scans_missing),
        ("hostile mutations not refused", len(problems), not problems),
        ("hostile dossiers stored / seen at a counter", len(hostile_stored) + len(hostile_seen),
         not hostile_stored and not hostile_seen),
        ("forged 'hacked' statuses stored", forged or 0, not forged),
        ("stderr files captured", len(tracebacks), True),
        ("tracebacks in captured stderr", sum(tracebacks.values()),
         not any(tracebacks.values())),
    ]  # fmt: skip
    failed = False
    for label, value, ok in figures:
        failed |= not ok
        print(f"{label:<48} {value:>6}  {'ok' if ok else 'FAIL'}")
    for detail in (*problems, *lost, *duplicated, *twice_at_counter, *missing_at_b):
        print(f"  {detail}")
    for name, count in tracebacks.items():
        if count:
            print(f"  traceback in {name}:\n{(logs / name).read_text(errors='replace')[-3000:]}")
    print("FAULT RUN FAILED" if failed else "fault run: all checks passed")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url", help="PostgreSQL base URL (a scratch schema is used)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--work-dir", help="keep the data directories and logs here")
    args = parser.parse_args(argv)
    if args.work_dir:
        return run(args.rounds, args.database_url, args.seed, Path(args.work_dir))
    with tempfile.TemporaryDirectory(prefix="fault-run-") as work:
        return run(args.rounds, args.database_url, args.seed, Path(work))


if __name__ == "__main__":
    raise SystemExit(main())
