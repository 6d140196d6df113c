"""One sync at a time per data directory, across processes (DESIGN.md, "One sync at a time").

An OS file lock rather than a "lock file exists" check: the OS releases it
when the process dies, even by SIGKILL or a power cut, so a crashed sync never
leaves the counter unable to sync again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from counter_app.paths import SYNC_LOCK_FILE
from sync.client.errors import SyncBusy

BUSY_MESSAGE = (
    "Một lần đồng bộ khác đang chạy trên thư mục dữ liệu này (cửa sổ chương trình hoặc "
    "dòng lệnh); hãy đợi nó xong."
)


class SyncLock:
    """``with SyncLock(data_dir):`` — raises SyncBusy at once if another sync holds it."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / SYNC_LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise SyncBusy(BUSY_MESSAGE) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)

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
