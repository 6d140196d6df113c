"""The counter's log: a size-limited file in the data directory, stderr with ``--verbose``.

When something fails at a counter, the person called to help is rarely there
when it happened; the log file (``<data dir>/logs/counter.log``, a few old
files kept beside it) says what sync, printing, digitizing and migrations did
and why they failed. It is written only once the data directory holds a store,
so a mistyped ``--data-dir`` leaves nothing behind.

Uncaught exceptions go through ``report_uncaught``: logged with their
traceback, then handed to whatever the running front end shows them with (the
window installs a dialog, see ``ui.crash_dialog``; the CLI prints).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from counter_app import paths, private

LOG_DIR = "logs"
LOG_FILE = "counter.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger(__name__)

# What the front end does with an uncaught error after it is logged: (summary, details).
Show = Callable[[str, str], None]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_DIR / LOG_FILE


class DataDirLogHandler(RotatingFileHandler):
    """A rotating file in ``<data dir>/logs``, made at the first record, never before.

    Records before the data directory holds a store (a first run, a mistyped
    ``--data-dir``) are dropped: a directory never set up is left as it was. A
    log that cannot be written (a read-only disk) goes quiet rather than print
    logging's own traceback under the command's message.
    """

    def __init__(self, data_dir: Path, *, max_bytes: int, backup_count: int) -> None:
        super().__init__(
            log_path(data_dir),
            maxBytes=max_bytes,
            backupCount=backup_count,
            encoding="utf-8",
            delay=True,
        )
        self.data_dir = data_dir
        self.broken = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.broken:
            return
        if self.stream is None:
            if not paths.database_path(self.data_dir).is_file():
                return
            try:
                private.make_dir(self.data_dir / LOG_DIR)
            except OSError:
                self.broken = True
                return
        super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        self.broken = True


def set_up(
    data_dir: Path | None,
    *,
    verbose: bool = False,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path | None:
    """Send the application's records to the data directory's log (and stderr if ``verbose``).

    Called once per process by ``counter-app``; calling again replaces the handlers
    it installed before (tests, a data directory chosen later). Returns the log
    file's path, or None without a data directory.
    """
    root = logging.getLogger()
    reset()
    formatter = logging.Formatter(FORMAT)
    installed: list[logging.Handler] = []
    path = None
    if data_dir is not None:
        path = log_path(data_dir)
        installed.append(
            DataDirLogHandler(data_dir, max_bytes=max_bytes, backup_count=backup_count)
        )
    if verbose:
        installed.append(logging.StreamHandler(sys.stderr))
    for handler in installed:
        handler.setFormatter(formatter)
        handler._counter_app = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if verbose:
        # Library chatter at DEBUG (every SQL statement, every HTTP header) drowns the counter's.
        for noisy in ("urllib3", "PIL", "asyncio", "multipart"):
            logging.getLogger(noisy).setLevel(logging.INFO)
    log.debug("counter-app với Python %s; nhật ký: %s", sys.version.split()[0], path)
    return path


def reset() -> None:
    """Take out what ``set_up`` installed (closing the file), as before it was called."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_counter_app", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.WARNING)


def current_log_file() -> Path | None:
    """The file ``set_up`` sends records to, for the error dialog to point at."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, DataDirLogHandler):
            return Path(handler.baseFilename)
    return None


def report_uncaught(exc_info: ExcInfo, show: Show | None, where: str = "") -> None:
    """Log an exception nothing caught, then show it; never raises itself."""
    kind, value, tb = exc_info
    details = "".join(traceback.format_exception(kind, value, tb))
    log.critical("Lỗi không được xử lý%s", f" ({where})" if where else "", exc_info=exc_info)
    if show is None:
        return
    try:
        show(f"{kind.__name__}: {value}", details)
    except Exception:  # the display failing must not hide the original error
        log.exception("Không hiện được hộp thoại báo lỗi")


def tell_stderr(summary: str, _details: str) -> None:
    """The command line's ``show``: one sentence and where the traceback went, no traceback."""
    where = current_log_file()
    print(
        f"Lỗi không mong đợi: {summary}. "
        + (
            f"Chi tiết đã được ghi vào nhật ký {where}; hãy gửi tệp đó cho quản trị hệ thống."
            if where is not None
            else "Hãy chạy lại với --verbose để xem chi tiết."
        ),
        file=sys.stderr,
    )


def install_hooks(show: Show | None) -> Callable[[], None]:
    """Route uncaught exceptions of every thread through ``report_uncaught``.

    ``show`` is called on the thread that failed; a front end with a GUI thread
    hands it over itself (``ui.crash_dialog`` does). Returns what puts the
    previous hooks back.
    """
    previous = sys.excepthook, threading.excepthook

    def on_main(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        report_uncaught((kind, value, tb), show)

    def on_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        report_uncaught((args.exc_type, args.exc_value, args.exc_traceback), show, f"luồng {name}")

    sys.excepthook = on_main
    threading.excepthook = on_thread

    def restore() -> None:
        sys.excepthook, threading.excepthook = previous

    return restore
