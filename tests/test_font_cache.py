"""The parsed Tinos faces kept between processes: the same font as a fresh parse, or none."""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from printing.font_cache import cache_path, load_font

FONTS = Path(__file__).resolve().parents[1] / "resources" / "fonts"
TEXT = "Nguyễn Thị Ánh — 09 giờ 00 phút, ngày 16/11/2026 (Bản sao có chứng thực)"


@pytest.fixture
def font_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    copy = tmp_path / "Tinos-Regular.ttf"
    shutil.copyfile(FONTS / "Tinos-Regular.ttf", copy)
    return copy


def state(font: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    own = {k: v for k, v in vars(font).items() if k not in ("face", "state")}
    own["encoding"] = vars(own["encoding"])  # compared by its contents, not its identity
    face = {k: v for k, v in vars(font.face).items() if k != "_pdfScale"}
    return own, face


def pdf_in(font: Any, name: str) -> bytes:
    font.fontName = name
    pdfmetrics.registerFont(font)
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont(name, 12)
    canvas.drawString(20, 700, TEXT)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_the_kept_face_is_the_parsed_face_and_sets_the_same_pdf(font_file: Path) -> None:
    parsed = load_font("Tinos-Regular", font_file)
    assert cache_path(font_file) == font_file.parent / "__pycache__" / (
        "Tinos-Regular.reportlab.pickle"
    )
    assert cache_path(font_file).is_file()
    kept = load_font("Tinos-Regular", font_file)

    assert kept is not parsed and kept.face is not parsed.face
    assert state(kept) == state(parsed)
    assert [kept.face._pdfScale(x) for x in (1, 777, 2048)] == [
        parsed.face._pdfScale(x) for x in (1, 777, 2048)
    ]
    assert kept.stringWidth(TEXT, 10) == parsed.stringWidth(TEXT, 10)
    assert pdf_in(kept, "CacheProbeKept") == pdf_in(parsed, "CacheProbeParsed")


def test_a_changed_font_file_is_parsed_again(font_file: Path) -> None:
    load_font("Tinos-Regular", font_file)
    kept = cache_path(font_file).read_bytes()
    shutil.copyfile(FONTS / "Tinos-Bold.ttf", font_file)
    os.utime(font_file, ns=(1, 1))
    bold = load_font("Tinos-Regular", font_file)
    assert bold.face.name == b"Tinos-Bold"
    assert cache_path(font_file).read_bytes() != kept


def test_a_damaged_cache_is_no_cache(font_file: Path) -> None:
    load_font("Tinos-Regular", font_file)
    cache_path(font_file).write_bytes(b"\x80\x05not a pickle at all")
    assert load_font("Tinos-Regular", font_file).face.name == b"Tinos"


def test_nothing_is_written_where_python_writes_no_bytecode(
    font_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert load_font("Tinos-Regular", font_file).face.name == b"Tinos"
    assert not cache_path(font_file).parent.exists()


def test_under_a_pycache_prefix_the_cache_goes_there(
    font_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "prefix"))
    load_font("Tinos-Regular", font_file)
    assert cache_path(font_file).is_relative_to(tmp_path / "prefix")
    assert cache_path(font_file).is_file()
    assert not (font_file.parent / "__pycache__").exists()
