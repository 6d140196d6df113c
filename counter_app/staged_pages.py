"""Pages staged in Số hóa belong to one dossier, and wait for it when the person moves on.

The tray of the digitizing screen holds pages gathered for the dossier (or
draft) that is open. Opening another one must never carry them along
silently: a citizen's birth form once ended up attached to another citizen's
death-registration draft that way. So the tray has an owner, and when pages
are on it and a different dossier is opened, the person chooses: attach them
to the owner's document, keep them for later under the owner's name, or
discard them (or stay). Pages kept for later are written beside the store
(``staged/<dossier id>/``: the source files as they came, and the page order
and turns in ``pages.json``, written last and renamed into place), so they
come back when that dossier is opened again, after a screen switch, a change
of user or a restart.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from counter_app.assembly import PageRef
from counter_app.errors import CounterError
from counter_app.intake import IncomingFile
from counter_app.os_errors import os_reason

STAGED_DIR = "staged"
MANIFEST = "pages.json"


class TrayChoice(Enum):
    """What the person decides for staged pages when opening another dossier."""

    ATTACH = "attach"  # to the owner's current document, then open the other one
    KEEP = "keep"  # held under the owner's name until it is opened again
    DISCARD = "discard"
    STAY = "stay"  # do not open the other one


def must_ask(owner_id: str | None, staged: int, opening_id: str) -> bool:
    """Whether opening ``opening_id`` needs the person's decision on the staged pages.

    Pages gathered before any dossier was opened have no owner yet and go to
    the first one opened: that is how a scan-first clerk works.
    """
    return staged > 0 and owner_id is not None and owner_id != opening_id


def choices(can_attach: bool) -> tuple[TrayChoice, ...]:
    """The answers offered: attaching needs a document of the owner to attach to."""
    every = (TrayChoice.ATTACH, TrayChoice.KEEP, TrayChoice.DISCARD, TrayChoice.STAY)
    return every if can_attach else every[1:]


@dataclass(frozen=True)
class HeldFile:
    name: str
    content: bytes


@dataclass(frozen=True)
class HeldPage:
    file: int  # index into HeldPages.files
    index: int  # page of that file
    rotation: int


@dataclass(frozen=True)
class HeldPages:
    """Pages kept for a dossier, in the order and turns the person left them."""

    target_id: str
    label: str
    applicant_name: str
    held_by: str
    held_at: dt.datetime
    files: tuple[HeldFile, ...]
    pages: tuple[HeldPage, ...]

    def page_refs(self, sources: Sequence[IncomingFile]) -> list[PageRef]:
        """The pages again, over ``sources``: the files checked anew, in ``files`` order."""
        return [PageRef(sources[p.file], p.index, p.rotation) for p in self.pages]


def hold(
    target_id: str,
    label: str,
    applicant_name: str,
    pages: Sequence[PageRef],
    held_by: str,
    at: dt.datetime,
) -> HeldPages:
    """The staged pages as they are kept: each source file once, pages pointing into them."""
    files: list[HeldFile] = []
    index_of: dict[int, int] = {}
    held: list[HeldPage] = []
    for page in pages:
        key = id(page.source)
        if key not in index_of:
            index_of[key] = len(files)
            files.append(HeldFile(page.source.name, page.source.content))
        held.append(HeldPage(index_of[key], page.index, page.rotation))
    return HeldPages(target_id, label, applicant_name, held_by, at, tuple(files), tuple(held))


class HeldPageStore:
    """Pages kept for later, one folder per dossier; in memory when there is no data directory."""

    def __init__(self, data_dir: Path | None) -> None:
        self.root = data_dir / STAGED_DIR if data_dir is not None else None
        self._memory: dict[str, HeldPages] = {}

    def _folder(self, target_id: str) -> Path:
        assert self.root is not None
        if not target_id or "/" in target_id or "\\" in target_id or target_id.startswith("."):
            raise CounterError(f"Mã hồ sơ không hợp lệ để giữ trang: {target_id!r}.")
        return self.root / target_id

    def put(self, held: HeldPages) -> None:
        """Keep ``held``, added after any pages already kept for the same dossier."""
        earlier = self.get(held.target_id)
        if earlier is not None:
            shift = len(earlier.files)
            moved = tuple(HeldPage(p.file + shift, p.index, p.rotation) for p in held.pages)
            held = replace(held, files=earlier.files + held.files, pages=earlier.pages + moved)
        if self.root is None:
            self._memory[held.target_id] = held
            return
        folder = self._folder(held.target_id)
        temporary = self.root / f".tmp-{uuid.uuid4().hex}"
        try:
            temporary.mkdir(parents=True)  # a full or read-only disk: the message below
            names = []
            for number, one in enumerate(held.files):
                name = f"{number:03d}{Path(one.name).suffix.lower()}"
                (temporary / name).write_bytes(one.content)
                names.append({"stored": name, "name": one.name})
            manifest = {
                "target_id": held.target_id,
                "label": held.label,
                "applicant_name": held.applicant_name,
                "held_by": held.held_by,
                "held_at": held.held_at.isoformat(),
                "files": names,
                "pages": [[p.file, p.index, p.rotation] for p in held.pages],
            }
            text = json.dumps(manifest, ensure_ascii=False, indent=1)
            (temporary / MANIFEST).write_text(text, encoding="utf-8")
            if folder.exists():
                old = self.root / f".old-{uuid.uuid4().hex}"
                os.replace(folder, old)
                os.replace(temporary, folder)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(temporary, folder)
        except OSError as exc:
            shutil.rmtree(temporary, ignore_errors=True)
            raise CounterError(
                f"Không giữ lại được các trang cho {held.label} ({os_reason(exc)}); "
                "các trang vẫn còn trên màn hình, hãy thử lại."
            ) from None

    def get(self, target_id: str) -> HeldPages | None:
        """The pages kept for this dossier, or None."""
        if self.root is None:
            return self._memory.get(target_id)
        folder = self._folder(target_id)
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            files = tuple(
                HeldFile(str(f["name"]), (folder / str(f["stored"])).read_bytes())
                for f in manifest["files"]
            )
            pages = tuple(HeldPage(int(f), int(i), int(r)) for f, i, r in manifest["pages"])
            return HeldPages(
                str(manifest["target_id"]),
                str(manifest["label"]),
                str(manifest["applicant_name"]),
                str(manifest["held_by"]),
                dt.datetime.fromisoformat(str(manifest["held_at"])),
                files,
                pages,
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CounterError(
                f"Các trang giữ lại cho hồ sơ này đọc không được ({exc}); tệp gốc vẫn ở {folder}."
            ) from None

    def release(self, target_id: str) -> None:
        """Forget the pages kept for this dossier (they are back on the tray, or discarded)."""
        if self.root is None:
            self._memory.pop(target_id, None)
            return
        folder = self._folder(target_id)
        if folder.exists():
            gone = self.root / f".old-{uuid.uuid4().hex}"
            os.replace(folder, gone)
            shutil.rmtree(gone, ignore_errors=True)
