"""Noticing finished files in a scanner's output folder, never a half-written one.

Scanners write a file over several seconds and some first create it empty.
A file is taken only when its size and modification time were the same on
two polls in a row, at least ``settle_s`` apart (a folder-change signal may
trigger a poll just after the timer's), and it can be opened for reading (on
Windows a file still held by the scanner cannot). Files already there when
the watch starts are old scans, not new ones, and are left alone. No Qt here:
the screen decides when to poll (a folder-change signal plus a timer), this
decides what is ready.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
