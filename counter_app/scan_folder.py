"""Noticing finished files in a scanner's output folder, never a half-written one.

Scanners write a file over several seconds and some first create it empty.
A file is taken only when its size and modification time were the same on
two polls in a row, at least ``settle_s`` apart (a folder-change signal may
trigger a poll just after the timer's), and it can be opened for reading (on
Windows a file still held by the scanner cannot). Files already there when
the watch starts are old scans, not new ones, and are left alone. No Qt here:
the screen decides when to poll (a folder-change signal plus a timer), this
decides what is ready.

Once a document made from the scanner's files is attached, those files are
deleted from the folder (``release_originals``), because the stored PDF is
the record and a copy of a citizen's papers left in a shared folder is one
more copy of personal data to lose; the postal agent expects the folder to
hold only what is still to be filed. Never before the PDF is verified: it is
read back from the blob store and must match its SHA-256 and hold every page,
and a file is deleted only while it still holds the bytes that went into the
PDF (a scanner that reuses a name may have written a new scan over it).
Whatever is not deleted stays, with the reason; ``keep_scanner_files`` in
``digitize.json`` keeps them all. A stack filed at its separator sheets
(``release_batch``) goes the same way once every PDF it made reads back, except
a file with a page that was set aside: that file stays where the person looks.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from counter_app.errors import CounterError

if TYPE_CHECKING:
    from counter_app.blobs import BlobStore
    from counter_app.intake import IncomingFile

# Names scanner drivers and browsers use while a file is still being written.
_TEMPORARY_SUFFIXES = frozenset({".tmp", ".part", ".partial", ".crdownload", ".download", ".lock"})

Signature = tuple[int, int]


def is_temporary(name: str) -> bool:
    return name.startswith((".", "~")) or Path(name).suffix.lower() in _TEMPORARY_SUFFIXES


def _can_open(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError:
        return False
    return True


@dataclass
class FolderWatch:
    """Call ``poll`` every half second or so; it returns the files that just became ready."""

    folder: Path
    stable_polls: int = 2
    settle_s: float = 0.4
    clock: Callable[[], float] = time.monotonic
    _pending: dict[str, tuple[Signature, float, int]] = field(default_factory=dict, init=False)
    _taken: dict[str, Signature] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._taken = dict(self._scan())

    def _scan(self) -> dict[str, Signature]:
        found: dict[str, Signature] = {}
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return found
        for entry in entries:
            if is_temporary(entry.name):
                continue
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:
                continue
            found[entry.name] = (stat.st_size, stat.st_mtime_ns)
        return found

    def poll(self) -> list[Path]:
        ready: list[Path] = []
        now = self.clock()
        current = self._scan()
        for name in list(self._pending):
            if name not in current:
                del self._pending[name]
        for name, signature in sorted(current.items()):
            if self._taken.get(name) == signature:
                continue
            previous, since, seen = self._pending.get(name, (None, now, 0))
            if previous != signature:
                since, seen = now, 0
            seen += 1
            self._pending[name] = (signature, since, seen)
            settled = seen >= self.stable_polls and now - since >= self.settle_s
            if settled and signature[0] > 0 and _can_open(self.folder / name):
                del self._pending[name]
                self._taken[name] = signature
                ready.append(self.folder / name)
        return ready

    @property
    def waiting(self) -> list[str]:
        """Files seen but not yet finished, for the screen to say "đang nhận…"."""
        return sorted(self._pending)


@dataclass(frozen=True)
class Released:
    """What became of the scanner's files after a PDF made from them was stored."""

    removed: tuple[Path, ...]
    kept: tuple[tuple[Path, str], ...]  # each file kept, and why


def from_folder(sources: Sequence[IncomingFile], folder: Path) -> list[IncomingFile]:
    """The distinct files among ``sources`` that were read from ``folder`` itself."""
    found: dict[int, IncomingFile] = {}
    for source in sources:
        if source.origin is not None and source.origin.parent == folder:
            found.setdefault(id(source), source)
    return list(found.values())


def release_originals(
    sources: Sequence[IncomingFile], blobs: BlobStore, sha256: str, page_count: int
) -> Released:
    """Delete ``sources`` from disk once the stored PDF ``sha256`` reads back whole."""
    try:
        _verify(blobs, sha256, page_count)
    except CounterError as exc:
        return Released((), tuple((s.origin, str(exc)) for s in sources if s.origin))
    return _remove(sources)


def release_batch(
    sources: Sequence[IncomingFile],
    blobs: BlobStore,
    stored: Sequence[tuple[str, int]],
    set_aside: Collection[str],
) -> Released:
    """Delete the files of a stack filed at its separators, once every PDF reads back whole.

    ``stored`` holds each filed PDF's SHA-256 and page count; a file named in
    ``set_aside`` (a page of it could not be filed) stays in the folder, where
    the person looks for it, whatever became of its other pages.
    """
    for sha256, page_count in stored:
        try:
            _verify(blobs, sha256, page_count)
        except CounterError as exc:
            return Released((), tuple((s.origin, str(exc)) for s in sources if s.origin))
    kept = tuple(
        (s.origin, f"Tệp «{s.name}» có trang để riêng; giữ lại trong thư mục máy scan.")
        for s in sources
        if s.origin is not None and s.name in set_aside
    )
    released = _remove([s for s in sources if s.name not in set_aside])
    return Released(released.removed, kept + released.kept)


def _remove(sources: Sequence[IncomingFile]) -> Released:
    """Delete each source's file while it still holds the bytes that were read from it."""
    removed: list[Path] = []
    kept: list[tuple[Path, str]] = []
    for source in sources:
        path = source.origin
        if path is None:
            continue
        try:
            if path.read_bytes() != source.content:
                kept.append((path, f"Tệp «{path.name}» đã đổi từ lúc lấy vào; giữ lại."))
                continue
            path.unlink()
        except FileNotFoundError:
            removed.append(path)  # someone removed it already: nothing left to keep
        except OSError as exc:
            kept.append((path, f"Không xóa được tệp «{path.name}» ({exc.strerror or exc})."))
        else:
            removed.append(path)
    return Released(tuple(removed), tuple(kept))


def _verify(blobs: BlobStore, sha256: str, page_count: int) -> None:
    """The PDF as stored on disk: its hash, and a PDF of the right number of pages."""
    import io
    import warnings

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    content = blobs.read(sha256)  # read again from disk, checked against the hash
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            count = len(PdfReader(io.BytesIO(content)).pages)
    except (PyPdfError, ValueError, OSError) as exc:
        raise CounterError(f"Bản PDF vừa lưu không đọc lại được ({exc}).") from None
    if count != page_count:
        raise CounterError(f"Bản PDF vừa lưu có {count} trang thay vì {page_count}.")
