"""One full sync of a counter with the provincial server.

In this order, each step retried on its own with backoff:
probe (health: epoch, clock, reachability) → for each outbox batch, blobs first
then push → catalog, holidays and units snapshots (ETag) → pull pages of changes →
download the scans that pulled documents name and this counter lacks.

Every database write is a short transaction of its own — the results of one
push batch, one snapshot, one page of changes with its cursor — so the clerk's
receptions carry on between them and a crash loses at most a network round
trip, which the idempotent protocol makes harmless to repeat.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from sqlalchemy import select

from counter_app import blob_receipts, fetched_scans, limits, sync_apply, sync_outbox
from counter_app.changes import Changes
from counter_app.clock import Clock, SystemClock
from counter_app.errors import ValidationError
from counter_app.fetched_scans import FetchedScan
from counter_app.models import SetAsideChange
from counter_app.store import Store
from counter_app.sync_outbox import PushOutcome, SyncProblem
from sync import protocol
from sync.client import collector
from sync.client.backoff import Attempts, RetryPolicy
from sync.client.blobs import BlobUploader
from sync.client.downloads import BlobDownloader
from sync.client.errors import NotTheServer, Transient, Unreachable
from sync.client.http import ServerConnection, not_the_server_message

if TYPE_CHECKING:
    from counter_app.signing import SignatureStatus

PUSH_BATCH = 200
PULL_PAGE = protocol.MAX_PULL_PAGE
CLOCK_SKEW_WARNING = dt.timedelta(minutes=5)


@dataclass
class SyncReport:
    """What one sync did, and what is left for the clerk to see."""

    pushed: int = 0
    duplicates: int = 0
    rejected: int = 0
    pulled: int = 0
    dossiers_added: int = 0
    blobs_uploaded: int = 0
    blob_bytes: int = 0
    fees_added: int = 0
    documents_changed: int = 0
    set_aside: int = 0  # pulled changes this counter could not store (sync_apply)
    set_aside_stored: int = 0  # set aside before, stored now
    scans_downloaded: int = 0
    download_bytes: int = 0
    catalog_version: str | None = None
    holidays_updated: bool = False
    units_added: int = 0
    full_resync: bool = False
    warnings: list[str] = field(default_factory=list)
    waiting: int = 0
    problems: tuple[SyncProblem, ...] = ()
    clock_skew: dt.timedelta | None = None

    def changes(self) -> Changes:
        """What the pull (and the snapshots) stored, for the screens showing it.

        Every pulled change is about a dossier, and may touch its documents and fees.
        """
        pulled = self.pulled > 0 or self.set_aside_stored > 0 or self.full_resync
        return Changes(
            dossiers=pulled or self.dossiers_added > 0,
            documents=pulled or self.documents_changed > 0 or self.scans_downloaded > 0,
            fees=pulled or self.fees_added > 0,
            catalog=self.catalog_version is not None,
            calendar=self.holidays_updated,
            outbox=self.pushed + self.duplicates + self.rejected > 0,
        )

    @property
    def complete(self) -> bool:
        """Everything pushed and nothing refused (the pull always finishes or raises)."""
        return self.waiting == 0 and not self.problems


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _EpochChanged(Exception):
    pass


class _RawPage(BaseModel):
    """A page whose changes are left unread, to read them one by one."""

    server_epoch: str
    changes: list[dict[str, Any]]
    next_cursor: int
    head_seq: int
    has_more: bool


def _read_page(content: bytes) -> tuple[protocol.PullResponse, list[sync_apply.Refused]]:
    """The page, and the changes in it this counter cannot read, with why.

    Read whole first (fast); only a page with a change that does not validate is
    read change by change, so that one bad change is set aside and not the page.
    """
    try:
        return protocol.PullResponse.model_validate_json(content), []
    except PydanticError:
        raw = _RawPage.model_validate_json(content)
    changes: list[protocol.Change] = []
    unreadable: list[sync_apply.Refused] = []
    for item in raw.changes:
        try:
            changes.append(protocol.Change.model_validate(item))
        except PydanticError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            unreadable.append((item, f"Máy này không đọc được thay đổi ({where}: {first['msg']})."))
    page = protocol.PullResponse(
        server_epoch=raw.server_epoch,
        changes=changes,
        next_cursor=raw.next_cursor,
        head_seq=raw.head_seq,
        has_more=raw.has_more,
    )
    return page, unreadable


def _nul_free(content: bytes) -> bool:
    """Whether a page's JSON can hold no NUL: JSON writes one as ``\\u0000`` (or, invalid, raw)."""
    return b"\\u0000" not in content and b"\x00" not in content


def _as_dict(change: protocol.Change) -> dict[str, Any]:
    """A validated change as the plain dict ``counter_app.sync_apply`` takes.

    Event changes — all but a few of a catch-up — are copied field by field:
    five times faster than ``model_dump``, which a 100,000-change catch-up feels.
    """
    event = change.event
    if event is None:
        return change.model_dump()
    return {
        "seq": change.seq,
        "kind": change.kind,
        "dossier_id": change.dossier_id,
        "dossier": None,
        "event": {
            "id": event.id,
            "dossier_id": event.dossier_id,
            "kind": event.kind,
            "status_after": event.status_after,
            "at": event.at,
            "actor": event.actor,
            "unit_code": event.unit_code,
            "device_id": event.device_id,
            "note": event.note,
            "data": event.data,
            "server_seq": event.server_seq,
        },
    }


class SyncEngine:
    """Runs syncs of one store against one server; not thread-safe, one run at a time."""

    def __init__(
        self,
        store: Store,
        connection: ServerConnection,
        *,
        data_dir: Path,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        utc_clock: Callable[[], dt.datetime] = utc_now,
        push_batch: int = PUSH_BATCH,
        pull_page: int = PULL_PAGE,
    ) -> None:
        self.store = store
        self.connection = connection
        self.policy = policy or RetryPolicy()
        self.clock = clock or SystemClock()
        self.utc_clock = utc_clock
        self.push_batch = push_batch
        self.pull_page = pull_page
        self.blobs = BlobUploader(connection, self.policy, data_dir)
        self.downloads = BlobDownloader(connection, self.policy, data_dir)
        self.data_dir = data_dir

    def probe(self) -> protocol.Health:
        """The health request: a server that refuses connections is simply offline.

        So is one behind a gateway answering 502/503/504 or 429: not retried, the
        next sync (the window's worker, with its own backoff) tries again. Only
        the server's own "busy" (its admission turning a request away at opening
        time) is waited out like any step, since the server is there and has
        said when to come back. An answer that is not the server's health at all
        is a captive portal's or a wrong address's.
        """
        attempts = Attempts(self.policy)
        while True:
            try:
                response = self.connection.call("GET", "health", timeout=(3.0, 10.0))
                break
            except Transient as exc:
                if exc.code != protocol.ERR_BUSY:
                    raise Unreachable(str(exc)) from exc
                attempts.wait(exc)
        try:
            return protocol.Health.model_validate_json(response.content)
        except PydanticError as exc:
            raise NotTheServer(not_the_server_message(self.connection.base_url)) from exc

    def run_once(self) -> SyncReport:
        report = SyncReport()
        try:
            for _ in range(2):
                try:
                    self._run(report)
                    break
                except _EpochChanged:
                    report.full_resync = True
        finally:
            self.blobs.close()
        with self.store.write() as session:
            sync_outbox.record_progress(session, self.clock.now())
        with self.store.read() as session:
            state = sync_outbox.state(session)
        report.waiting, report.problems = state.waiting, state.problems
        return report

    def _run(self, report: SyncReport) -> None:
        asked = time.monotonic()
        health = self.probe()
        self._check_clock(health, report, time.monotonic() - asked)
        self._check_epoch(health, report)
        self._push(report, health.server_epoch)
        self._snapshots(report)
        self._pull(report, health.server_epoch)
        self._report_set_aside()
        self._download_scans(report)

    def _check_clock(self, health: protocol.Health, report: SyncReport, latency: float) -> None:
        server_now = health.server_time + dt.timedelta(seconds=latency / 2)
        skew = self.utc_clock() - server_now
        report.clock_skew = skew
        if abs(skew) > CLOCK_SKEW_WARNING:
            minutes = round(abs(skew).total_seconds() / 60)
            direction = "nhanh" if skew > dt.timedelta(0) else "chậm"
            report.warnings.append(
                f"Đồng hồ máy này {direction} hơn máy chủ tỉnh khoảng {minutes} phút; hãy chỉnh "
                "lại giờ hệ thống để giờ tiếp nhận và ngày hẹn trả được tính đúng."
            )

    def _check_epoch(self, health: protocol.Health, report: SyncReport) -> None:
        with self.store.read() as session:
            cursor = sync_apply.cursor(session)
        restored = cursor.value > health.head_seq
        if cursor.epoch is not None and (cursor.epoch != health.server_epoch or restored):
            with self.store.write() as session:
                sync_apply.reset_for_new_epoch(session, health.server_epoch, self.clock.now())
            report.full_resync = True
            report.warnings.append(
                "Máy chủ tỉnh đã được khôi phục hoặc thay mới: máy này gửi lại và nhận lại toàn bộ."
            )

    # Push ---------------------------------------------------------------------

    def _push(self, report: SyncReport, epoch: str) -> None:
        with self.store.read() as session:
            rounds_left = sync_outbox.state(session).waiting // self.push_batch + 5
        while rounds_left > 0:
            rounds_left -= 1
            with self.store.read() as session:
                entries = sync_outbox.next_batch(session, self.push_batch)
                mutations = [
                    protocol.Mutation(
                        mutation_id=e.mutation_id,
                        entity=e.entity,
                        entity_id=e.entity_id,
                        operation=e.operation,
                        schema_version=e.schema_version,
                        payload=e.payload,
                    )
                    for e in entries
                ]
            if not mutations:
                return
            refused = self._upload_blobs(report, [m.payload for m in mutations])
            if refused:
                mutations = self._hold_back(report, mutations, refused)
                if not mutations:
                    continue
            shown = self.blobs.shown(sync_outbox.referenced_blobs([m.payload for m in mutations]))
            body = protocol.PushRequest(mutations=mutations, receipts=shown)
            # Without receipts, the body an older server knows.
            request = body.model_dump(mode="json", exclude=None if shown else {"receipts"})
            response = self.policy.run(partial(self.connection.call, "POST", "push", json=request))
            answer = protocol.PushResponse.model_validate_json(response.content)
            if answer.server_epoch != epoch:
                raise _EpochChanged
            outcomes = [
                PushOutcome(r.mutation_id, r.outcome, r.server_seq, r.reason)
                for r in answer.results
            ]
            with self.store.write() as session:
                counts = sync_outbox.record_push_results(session, outcomes)
                blob_receipts.forget(session, shown)  # the push noted their holder
            self.blobs.forget(list(shown))
            report.pushed += counts["applied"]
            report.duplicates += counts["duplicate"]
            report.rejected += counts["rejected"]

    def _upload_blobs(
        self, report: SyncReport, payloads: list[dict[str, object]]
    ) -> dict[str, str]:
        """Upload what the batch refers to; returns the blobs refused, with the reason."""
        hashes = sync_outbox.referenced_blobs(payloads)
        if not hashes:
            return {}
        with self.store.read() as session:
            self.blobs.remember(blob_receipts.load(session, hashes))
        try:
            stats = self.blobs.upload_missing(hashes)
        finally:  # what went up before a cut is not sent again
            fresh = self.blobs.take_receipts()
            if fresh:
                with self.store.write() as session:
                    blob_receipts.keep(session, fresh, self.clock.now())
        report.blobs_uploaded += stats.uploaded
        report.blob_bytes += stats.bytes_sent
        for sha256 in stats.missing_locally:
            report.warnings.append(
                f"Không tìm thấy tệp đính kèm {sha256[:12]}… trên máy này; hồ sơ dùng tệp này "
                "sẽ bị máy chủ tỉnh từ chối cho tới khi số hóa lại."
            )
        for sha256 in stats.corrupt_locally:
            report.warnings.append(
                f"Tệp đính kèm {sha256[:12]}… trên máy này đã bị hỏng; hãy số hóa lại giấy tờ."
            )
        return stats.refused

    def _hold_back(
        self,
        report: SyncReport,
        mutations: list[protocol.Mutation],
        refused: dict[str, str],
    ) -> list[protocol.Mutation]:
        """Keep the changes whose attachment was refused out of this push; return the rest.

        A change carrying a refused attachment is marked refused, with the reason,
        and that dossier's later changes wait behind it (as behind any refusal) until
        the clerk resends it (``counter-app sync --retry-rejected``) once the cause is
        fixed; the other dossiers of the batch go on.
        """
        outcomes: list[PushOutcome] = []
        held: set[str] = set()
        for mutation in mutations:
            blocking = [h for h in sync_outbox.referenced_blobs([mutation.payload]) if h in refused]
            if blocking:
                reason = (
                    f"Máy chủ tỉnh không nhận tệp đính kèm {blocking[0][:12]}…: "
                    f"{refused[blocking[0]]}"
                )
                outcomes.append(PushOutcome(mutation.mutation_id, "rejected", None, reason))
                held.add(mutation.entity_id)
        with self.store.write() as session:
            sync_outbox.record_push_results(session, outcomes)
        report.rejected += len(outcomes)
        return [m for m in mutations if m.entity_id not in held]

    # Reference data -------------------------------------------------------------

    def _fetch_snapshot(self, name: str) -> tuple[bytes, str] | None:
        with self.store.read() as session:
            etag = sync_apply.snapshot_etag(session, name)
        headers = {"If-None-Match": f'"{etag}"'} if etag else {}
        response = self.policy.run(
            lambda: self.connection.call("GET", name, ok=(304, 404), headers=headers)
        )
        if response.status_code != 200:
            return None
        return response.content, response.headers.get("ETag", "").strip('"')

    def _snapshots(self, report: SyncReport) -> None:
        fetched = self._fetch_snapshot(sync_apply.CATALOG)
        if fetched is not None:
            body, etag = fetched
            try:
                with self.store.write() as session:
                    result = sync_apply.apply_catalog(
                        session, json.loads(body), etag, self.clock.now()
                    )
                report.catalog_version = result.version
            except ValidationError as exc:
                report.warnings.append(f"Danh mục thủ tục của tỉnh không nhập được: {exc}")
        fetched = self._fetch_snapshot(sync_apply.HOLIDAYS)
        if fetched is not None:
            body, etag = fetched
            snapshot = protocol.HolidaysSnapshot.model_validate_json(body)
            with self.store.write() as session:
                sync_apply.apply_holidays(
                    session, [d.model_dump() for d in snapshot.days], etag, self.clock.now()
                )
            report.holidays_updated = True
        fetched = self._fetch_snapshot(sync_apply.UNITS)
        if fetched is not None:
            body, etag = fetched
            units = protocol.UnitsSnapshot.model_validate_json(body)
            with self.store.write() as session:
                report.units_added += sync_apply.apply_units(
                    session, [u.model_dump() for u in units.units], etag, self.clock.now()
                )

    # Pull -----------------------------------------------------------------------

    def _pull(self, report: SyncReport, epoch: str) -> None:
        self._retry_set_aside(report)
        with self.store.read() as session:
            since = sync_apply.cursor(session).value
        while True:
            params = {"since": since, "limit": self.pull_page}
            response = self.policy.run(
                partial(self.connection.call, "GET", "changes", params=params)
            )
            with collector.paused():
                page, unreadable = _read_page(response.content)
                if page.server_epoch != epoch:
                    raise _EpochChanged
                changes = [_as_dict(change) for change in page.changes]
                with self.store.write() as session:
                    applied = sync_apply.apply_changes(
                        session,
                        changes,
                        next_cursor=page.next_cursor,
                        epoch=epoch,
                        at=self.clock.now(),
                        unreadable=unreadable,
                        nul_free=_nul_free(response.content),
                    )
            report.set_aside += applied.set_aside
            report.pulled += len(changes)
            report.dossiers_added += applied.dossiers_added
            report.fees_added += applied.fees_added
            report.documents_changed += applied.documents_changed
            since = page.next_cursor
            if not page.has_more:
                return

    def _retry_set_aside(self, report: SyncReport) -> None:
        """Try the changes set aside by earlier pulls again; those now stored leave the list."""
        with self.store.read() as session:
            # In the province's order: a dossier before the events that follow it.
            query = select(SetAsideChange).order_by(SetAsideChange.seq)
            bodies = [row.body for row in session.scalars(query)]
        readable = []
        for body in bodies:
            try:
                readable.append(_as_dict(protocol.Change.model_validate(body)))
            except PydanticError:
                continue  # still unreadable: it stays set aside with its reason
        if readable:
            with self.store.write() as session:
                report.set_aside_stored += sync_apply.retry_set_aside(
                    session, readable, self.clock.now()
                )

    def _report_set_aside(self) -> None:
        """Tell the province, once, what this counter set aside, so it is put right there."""
        with self.store.read() as session:
            changes = [
                protocol.SetAsideChange(
                    seq=r.seq,
                    kind=r.kind[:16],
                    dossier_id=r.dossier_id[: limits.ID_LENGTH],
                    reason=r.reason[: limits.NOTE].replace("\x00", ""),
                )
                for r in sync_apply.unreported(session, protocol.MAX_PUSH_BATCH)
            ]
        if not changes:
            return
        request = protocol.SetAsideReport(changes=changes)
        body = request.model_dump(mode="json")
        call = partial(self.connection.call, "POST", "set-aside", json=body, ok=(404,))
        if self.policy.run(call).status_code == 404:
            return  # a server older than this report: told when it is updated
        with self.store.write() as session:
            sync_apply.mark_reported(session, [c.seq for c in changes], self.clock.now())

    def _check_signatures(
        self, stored: list[FetchedScan], report: SyncReport
    ) -> dict[str, SignatureStatus]:
        """Each fetched scan that carries a signature, checked; a bad one flagged in the report.

        The scan is kept either way (nothing fetched is thrown away); its status is
        recorded beside it, so a broken signature is never silently accepted.
        """
        from counter_app import signed_copies
        from counter_app.signing import load_signing_settings

        try:
            settings = load_signing_settings(self.data_dir)
        except ValidationError as exc:
            report.warnings.append(
                "Chưa kiểm tra chữ ký số của các tệp vừa tải về: " + " ".join(exc.errors.values())
            )
            return {}
        found = signed_copies.check_fetched(self.downloads.blobs, stored, settings)
        for sha256, status in found.items():
            if status.kind != "valid":
                report.warnings.append(
                    f"Tệp đính kèm {sha256[:12]}… tải từ máy chủ tỉnh: {status.describe()}"
                )
        return found

    def _download_scans(self, report: SyncReport) -> None:
        with self.store.read() as session:
            wanted = fetched_scans.wanted(session)
        if not wanted:
            return
        stats = self.downloads.fetch(wanted)
        if stats.stored:
            # Here, not at the top: the attach path's image libraries load only for a download.
            from counter_app import signed_copies

            signatures = self._check_signatures(stats.stored, report)
            with self.store.write() as session:
                report.scans_downloaded += fetched_scans.record(
                    session, stats.stored, self.clock.now()
                )
                signed_copies.record_all(session, signatures, self.clock.now())
        report.download_bytes += stats.bytes_received
        for sha256 in stats.unavailable + stats.damaged:
            report.warnings.append(
                f"Chưa tải được tệp đính kèm {sha256[:12]}… từ máy chủ tỉnh; "
                "lần đồng bộ sau sẽ thử lại."
            )
