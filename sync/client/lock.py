"""One sync at a time per data directory, across processes (DESIGN.md, "One sync at a time").

An OS file lock (``filelock``: ``flock`` on POSIX, ``msvcrt.locking`` on
Windows) rather than a "lock file exists" check: the OS releases it when the
process dies, even by SIGKILL or a power cut, so a crashed sync never leaves
the counter unable to sync again. Two locks on the same file conflict even
within one process, so the window's worker and a ``counter-app sync`` run from
it never both hold it.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from counter_app.paths import SYNC_LOCK_FILE
from counter_app.private import FILE_MODE
from sync.client.errors import SyncBusy

BUSY_MESSAGE = (
    "Một lần đồng bộ khác đang chạy trên thư mục dữ liệu này (cửa sổ chương trình hoặc "
    "dòng lệnh); hãy đợi nó xong."
)


class SyncLock:
    """``with SyncLock(data_dir):`` — raises SyncBusy at once if another sync holds it."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / SYNC_LOCK_FILE
        self._lock = FileLock(self.path, timeout=0, mode=FILE_MODE)

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise SyncBusy(BUSY_MESSAGE) from None

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> SyncLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
