"""The background sync worker: a plain thread that syncs now and then and says how it went.

It publishes plain events (``SyncEvent``) to listeners on its own thread; the
GUI's small Qt bridge re-emits them as signals on the GUI thread (no Qt here).
Between cycles it waits the interval, or — after a failure — a full-jitter
backoff that grows with consecutive failures and honours Retry-After, so a
province's worth of counters does not hammer a server that has just come back.
A 401 stops the automatic cycles: only enrolling again can fix it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from counter_app import sync_outbox
from counter_app.store import Store
from counter_app.sync_outbox import SyncProblem
from sync.client import credentials
from sync.client.backoff import RetryPolicy
from sync.client.engine import SyncEngine, SyncReport
from sync.client.errors import AuthRequired, SyncBusy, SyncError, Transient, Unreachable
from sync.client.http import ServerConnection
from sync.client.lock import SyncLock

log = logging.getLogger(__name__)

NOT_ENROLLED = "Máy này chưa đăng ký với máy chủ tỉnh: hãy xin quản trị tỉnh mã đăng ký một lần."


class EventKind(StrEnum):
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    AUTH_REQUIRED = "auth_required"
    SKIPPED = "skipped"  # another sync held the data directory


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows. ``online`` is None until the first attempt."""

    online: bool | None = None
    syncing: bool = False
    waiting: int = 0
    last_success: dt.datetime | None = None
    problems: tuple[SyncProblem, ...] = ()
    warnings: tuple[str, ...] = ()
    last_error: str | None = None
    reenrol_needed: bool = False


@dataclass(frozen=True)
class SyncEvent:
    kind: EventKind
    status: SyncStatus
    report: SyncReport | None = None
    message: str | None = None


Listener = Callable[[SyncEvent], None]


@dataclass
class WorkerSettings:
    interval_s: float = 60.0
    # Backoff between failed cycles; each cycle's own steps use ``step_policy``.
    failure_policy: RetryPolicy = field(
        default_factory=lambda: RetryPolicy(base_s=2.0, cap_s=300.0)
    )
    step_policy: RetryPolicy = field(default_factory=lambda: RetryPolicy(deadline_s=30.0))


class SyncWorker:
    """``start()``, ``sync_now()``, ``stop()``; ``subscribe`` to hear what happens."""

    def __init__(
        self, store: Store, data_dir: Path, settings: WorkerSettings | None = None
    ) -> None:
        self.store = store
        self.data_dir = data_dir
        self.settings = settings or WorkerSettings()
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = self.settings.step_policy.stop
        self._thread: threading.Thread | None = None
        self._status = SyncStatus()
        self._failures = 0
        self._retry_after: float | None = None

    # Public surface -------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event (on the worker's thread); returns an unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def refresh(self) -> SyncStatus:
        """Re-read the outbox (after the clerk received a dossier) without syncing."""
        return self._update(**self._outbox())

    def start(self) -> None:
        if self._thread is not None:
            return
        self.refresh()
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def sync_now(self) -> None:
        """Sync as soon as possible (also after a 401, once the device is enrolled again)."""
        self._update(reenrol_needed=False)
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_cycle(self) -> SyncEvent:
        """One attempt, on the caller's thread: lock, sync, publish what happened."""
        self._update(syncing=True)
        try:
            # Read afresh: a write made since the last refresh (refused changes queued
            # again, say) must not come back into the status bar from an old snapshot.
            self._publish(EventKind.STARTED, self._update(**self._outbox()))
            with SyncLock(self.data_dir):
                report = self._sync()
        except SyncBusy as exc:
            return self._publish(EventKind.SKIPPED, self._update(syncing=False), str(exc))
        except AuthRequired as exc:
            log.warning("Đồng bộ dừng: máy chủ tỉnh không nhận máy này (%s)", exc)
            status = self._update(
                syncing=False, online=True, reenrol_needed=True, last_error=str(exc)
            )
            return self._publish(EventKind.AUTH_REQUIRED, status, str(exc))
        except Unreachable as exc:
            self._failures += 1
            cause = exc.__cause__
            self._retry_after = cause.retry_after if isinstance(cause, Transient) else None
            log.warning("Đồng bộ: không tới được máy chủ tỉnh (lần %d): %s", self._failures, exc)
            status = self._update(syncing=False, online=False, last_error=str(exc))
            return self._publish(EventKind.FAILED, status, str(exc))
        except SyncError as exc:
            self._failures += 1
            log.warning("Đồng bộ không thành công: %s", exc)
            status = self._update(syncing=False, online=True, last_error=str(exc))
            return self._publish(EventKind.FAILED, status, str(exc))
        except Exception as exc:  # a bug must not kill the worker: say it, and go on
            log.exception("sync cycle failed")
            self._failures += 1
            status = self._update(syncing=False, last_error=f"Lỗi đồng bộ không lường trước: {exc}")
            return self._publish(EventKind.FAILED, status, status.last_error)
        self._failures = 0
        log.info(
            "Đồng bộ xong: gửi %d (trùng %d, bị từ chối %d), nhận %d thay đổi, tải lên %d tệp, "
            "tải về %d bản quét, để riêng %d; còn chờ %d",
            report.pushed,
            report.duplicates,
            report.rejected,
            report.pulled,
            report.blobs_uploaded,
            report.scans_downloaded,
            report.set_aside,
            report.waiting,
        )
        for warning in report.warnings:
            log.warning("Đồng bộ: %s", warning)
        status = self._update(
            syncing=False,
            online=True,
            warnings=tuple(report.warnings),
            last_error=None,
            **self._outbox(),
        )
        return self._publish(EventKind.FINISHED, status, report=report)

    # Internals ------------------------------------------------------------------

    def _outbox(self) -> dict[str, object]:
        with self.store.read() as session:
            state = sync_outbox.state(session)
        return {
            "waiting": state.waiting,
            "problems": state.problems,
            "last_success": state.last_success,
        }

    def _sync(self) -> SyncReport:
        enrolment = credentials.load(self.data_dir)
        if enrolment is None:
            raise AuthRequired(NOT_ENROLLED, "not_enrolled")
        with ServerConnection(enrolment.server_url, enrolment.device_token) as connection:
            engine = SyncEngine(
                self.store, connection, data_dir=self.data_dir, policy=self.settings.step_policy
            )
            return engine.run_once()

    def _next_wait(self, event: SyncEvent) -> float | None:
        """Seconds until the next cycle; None to wait for ``sync_now``."""
        if event.kind is EventKind.AUTH_REQUIRED:
            return None
        if event.kind is EventKind.FAILED:
            retry_after, self._retry_after = self._retry_after, None
            return self.settings.failure_policy.delay(self._failures - 1, retry_after)
        return self.settings.interval_s

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            event = self.run_cycle()
            wait = self._next_wait(event)
            self._wake.wait(wait)

    def _update(self, **changes: object) -> SyncStatus:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            return self._status

    def _publish(
        self,
        kind: EventKind,
        status: SyncStatus,
        message: str | None = None,
        report: SyncReport | None = None,
    ) -> SyncEvent:
        event = SyncEvent(kind, status, report, message)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("a sync listener failed")
        return event
