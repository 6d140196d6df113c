"""Vietnamese OCR of digitized pages, only to help find a document by its words.

Optional by design: it needs the ``tesseract`` program with its ``vie``
language data, which many counter PCs lack. ``find_engine`` returns None then,
and the screen hides the feature instead of offering something that fails.
The recognised text is kept beside the blob store (``ocr/<sha256>.txt``),
never inside the PDF, so the stored document stays exactly what was scanned.
It is read by the dossier list's "Trên bản quét" search: the hashes whose text
holds the words become a ``DossierFilter.scan_hashes`` condition, so only the
documents that still name a scan find their dossier; ``gc-blobs`` deletes the
text with the blob.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from counter_app.assembly import PageRef
from counter_app.blobs import check_sha256
from counter_app.text import fold, nfc

LANGUAGE = "vie"
OCR_DIR = "ocr"
_TIMEOUT_S = 120


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
        return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else ""

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
    """Recognised text by blob hash, searched with diacritics and case folded."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / OCR_DIR

    def save(self, sha256: str, text: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"{check_sha256(sha256)}.txt"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)

    def forget(self, sha256: str) -> None:
        """Drop a blob's text with the blob: words of a deleted scan must find nothing."""
        (self.root / f"{check_sha256(sha256)}.txt").unlink(missing_ok=True)

    def search(self, words: str) -> list[str]:
        """Hashes of the documents whose text has every word of ``words``."""
        wanted = fold(words).split()
        if not wanted or not self.root.is_dir():
            return []
        hits = []
        for path in sorted(self.root.glob("*.txt")):
            text = fold(path.read_text(encoding="utf-8"))
            if all(word in text for word in wanted):
                hits.append(path.stem)
        return hits
