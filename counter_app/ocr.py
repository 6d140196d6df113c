"""Vietnamese OCR of digitized pages, only to help find a document by its words.

Optional by design: it needs the ``tesseract`` program with its ``vie``
language data, which many counter PCs lack. ``find_engine`` returns None then,
and the screen hides the feature instead of offering something that fails.
The recognised text is kept beside the blob store (``ocr/<sha256>.txt``),
never inside the PDF, so the stored document stays exactly what was scanned.
Its folded words are indexed in SQLite FTS5 (``scan_text``) for the dossier
list's "Tìm theo chữ trên bản quét" search: the hashes whose text holds the
words become a ``DossierFilter.scan_hashes`` condition, so only the
documents that still name a scan find their dossier; ``gc-blobs`` deletes the
text with the blob.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from counter_app.assembly import PageRef
from counter_app.blobs import check_sha256
from counter_app.models import SCAN_TEXT
from counter_app.store import Store
from counter_app.text import fold, nfc

LANGUAGE = "vie"
OCR_DIR = "ocr"
_TIMEOUT_S = 120
log = logging.getLogger(__name__)


def tesseract_languages(program: str) -> set[str]:
    try:
        done = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return {line.strip() for line in lines if line.strip() and " " not in line.strip()}


@dataclass(frozen=True)
class OcrEngine:
    program: str

    def recognise(self, image: bytes) -> str:
        done = subprocess.run(
            [self.program, "stdin", "stdout", "-l", LANGUAGE],
            input=image,
            capture_output=True,
            timeout=_TIMEOUT_S,
            check=False,
        )
        if done.returncode != 0:
            log.warning(
                "OCR: %s trả mã %d: %s",
                self.program,
                done.returncode,
                done.stderr.decode("utf-8", errors="replace").strip()[-500:],
            )
            return ""
        return done.stdout.decode("utf-8", errors="replace")

    def recognise_pages(self, pages: Sequence[PageRef]) -> str:
        """Text of the image pages, each turned upright first; PDF pages already carry text."""
        texts = []
        for ref in pages:
            if ref.source.kind == "pdf":
                continue
            with Image.open(io.BytesIO(ref.source.content)) as image:
                image.seek(ref.index)
                frame = image.copy()
            turn = (ref.rotation + ref.info.rotation) % 360
            if turn:
                frame = frame.rotate(-turn, expand=True)
            out = io.BytesIO()
            frame.save(out, "PNG")
            texts.append(self.recognise(out.getvalue()))
        return nfc("\n".join(texts))


def find_engine(program: str = "tesseract") -> OcrEngine | None:
    """The OCR engine when tesseract with Vietnamese is installed, else None."""
    found = shutil.which(program)
    if found is None or LANGUAGE not in tesseract_languages(found):
        return None
    return OcrEngine(found)


class OcrIndex:
    """Recognised text by blob hash: a file beside the blob, and its words in FTS5.

    The file is the text as read; the index (``scan_text``) holds it folded
    (``counter_app.text.fold``: FTS5's ``remove_diacritics`` keeps "đ", so "duc"
    would not find "Đức") and answers the dossier list's search from its inverted
    index instead of reading every file at each keystroke.
    """

    def __init__(self, store: Store) -> None:
        assert store.data_dir is not None, "the store was opened without a data directory"
        self.store = store
        self.root = store.data_dir / OCR_DIR

    def save(self, sha256: str, text: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"{check_sha256(sha256)}.txt"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
        with self.store.write() as session:
            session.execute(sql(f"DELETE FROM {SCAN_TEXT} WHERE sha256 = :sha"), {"sha": sha256})
            session.execute(
                sql(f"INSERT INTO {SCAN_TEXT} (sha256, body) VALUES (:sha, :body)"),
                {"sha": sha256, "body": fold(text)},
            )

    def carry_over(self, source: str, copy: str) -> None:
        """Give ``copy`` the text read from ``source``: the same pages under another hash
        (a copy signed here), so a search still finds the dossier that now names the copy."""
        path = self.root / f"{check_sha256(source)}.txt"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        self.save(copy, text)

    def forget(self, session: Session, sha256: str) -> None:
        """Drop a blob's text with the blob, in the caller's transaction."""
        session.execute(sql(f"DELETE FROM {SCAN_TEXT} WHERE sha256 = :sha"), {"sha": sha256})
        (self.root / f"{check_sha256(sha256)}.txt").unlink(missing_ok=True)

    def search(self, words: str) -> list[str]:
        """Hashes of the scans whose text has every word of ``words`` (each a prefix)."""
        wanted = [word.replace('"', "") for word in fold(words).split()]
        query = " ".join(f'"{word}"*' for word in wanted if word)
        if not query:
            return []
        with self.store.read() as session:
            rows = session.execute(
                sql(f"SELECT sha256 FROM {SCAN_TEXT} WHERE {SCAN_TEXT} MATCH :q ORDER BY sha256"),
                {"q": query},
            )
            return [str(row[0]) for row in rows]
