"""Decompression bombs: a small file that would decode to gigabytes is refused from its headers.

Issue 14 (9): a 1.7 MB PDF made ``counter-app attach`` use 1.86 GB, and large
multi-page TIFFs printed a raw Python warning. Every bomb here is built by the
test; ``attach`` runs as a user runs it, and its peak memory is read from the
operating system by a small parent process that does nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.assembly import DocumentTooLarge, assemble, pages_of
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings
from counter_app.intake import BadFile, inspect_content
from counter_app.models import Attachment
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.cli import COUNTER_APP
from tests.support.counter_store import ADMIN_PASSWORD
from tests.support.reception import request

PEAK_LIMIT_KB = 400 * 1024
# Runs one command as its only child, then reports the child's peak resident memory.
_MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, stdin=subprocess.DEVNULL)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr, "kb": peak}))
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_kb: int


def attach_measured(*args: str) -> Measured:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, COUNTER_APP, "attach", *args],
        # attach changes data, so it runs as a member of staff (counter_app.cli_auth)
        env={**os.environ, "COUNTER_USER": "admin", "COUNTER_PASSWORD": ADMIN_PASSWORD},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
        check=True,
    )
    report = json.loads(done.stdout)
    return Measured(report["code"], report["out"], report["err"], report["kb"])


def received(store: Store, clock: FixedClock, clerk: StaffIdentity) -> str:
    return ReceptionService(store, clock).receive(request(store), clerk).code


def data_dir(store: Store) -> str:
    assert store.data_dir is not None
    return str(store.data_dir)


BOMBS = [
    # The file of the report: 23 pages of page descriptions inflating to 74 MB each.
    ("thong-bao.pdf", files.pdf_content_bomb, "giải nén ra quá 100 MB"),
    # The same, hidden in the object streams that hold the pages' own dictionaries.
    ("doi-tuong.pdf", files.pdf_object_stream_bomb, "giải nén ra quá 100 MB"),
    # One A4 page drawing a 50,000 × 50,000 image: 300 KB that decode to 2.5 billion pixels.
    (
        "ban-ve.pdf",
        files.pdf_image_bomb,
        "Trang 1 của tệp PDF «ban-ve.pdf» chứa ảnh tổng cộng 2.500",
    ),
    # The same image inside the page's own drawing instructions.
    (
        "dong-dau.pdf",
        files.pdf_inline_image_bomb,
        "Trang 1 của tệp PDF «dong-dau.pdf» chứa ảnh tổng cộng 2.500",
    ),
    # The same image inside a form the page draws.
    ("mau.pdf", files.pdf_form_bomb, "Trang 1 của tệp PDF «mau.pdf» chứa ảnh tổng cộng 2.500"),
    # A page 200 inches square, the largest PDF allows.
    ("to-lon.pdf", files.pdf_huge_page, "Trang 1 của tệp PDF «to-lon.pdf» có khổ 5.080 × 5.080 mm"),
    # A real 96-million-pixel PNG of 12 KB: within Pillow's own limit, past ours.
    ("chup.png", lambda: files.png_blank(12_000, 8_000), "quá lớn (12000×8000 điểm ảnh)"),
    # 70 pages of 49 million pixels each: every page is allowed, together they are not.
    ("so-do.tif", lambda: files.tiff_bomb(70, 7_000, 7_000), "tổng cộng 3.430 triệu điểm ảnh"),
]


@pytest.mark.parametrize(("name", "build", "expected"), BOMBS, ids=[b[0] for b in BOMBS])
def test_attach_refuses_a_bomb_by_name_before_decoding_it(
    tmp_path: Path,
    store: Store,
    clock: FixedClock,
    clerk: StaffIdentity,
    name: str,
    build: object,
    expected: str,
) -> None:
    assert callable(build)
    code = received(store, clock, clerk)
    bomb = files.write(tmp_path, name, build())
    assert bomb.stat().st_size < 2 * 1024 * 1024

    done = attach_measured(code, "--document", "1", str(bomb), "--data-dir", data_dir(store))

    assert done.returncode == 2, done.stdout + done.stderr
    assert f"Lỗi: {expected}" in done.stderr or expected in done.stderr, done.stderr
    assert f"«{name}»" in done.stderr and "hãy" in done.stderr
    assert "Chưa lưu gì" in done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr
    assert done.peak_kb < PEAK_LIMIT_KB, f"peak {done.peak_kb // 1024} MB"
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_large_tiff_pages_the_settings_allow_print_no_python_warning(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # An office that receives large drawings raises the page limit; Pillow's own guard
    # (89 million pixels) must not then speak over ours.
    (Path(data_dir(store)) / "digitize.json").write_text(json.dumps({"max_megapixels": 100}))
    code = received(store, clock, clerk)
    scan = files.write(tmp_path, "ban-do.tif", files.tiff_bomb(2, 10_000, 9_500))

    done = attach_measured(code, "--document", "1", str(scan), "--data-dir", data_dir(store))

    assert done.returncode == 0, done.stderr
    assert "2 trang" in done.stdout
    assert "Warning" not in done.stderr and done.stderr == ""


def test_the_pixels_of_one_document_are_bounded_across_its_files() -> None:
    settings = DigitizeSettings(max_megapixels=1, max_document_megapixels=2)
    scans = [
        inspect_content(f"trang{n}.png", files.png_blank(1_000, 900), settings) for n in (1, 2, 3)
    ]
    with pytest.raises(DocumentTooLarge, match="tổng cộng 2,7 triệu điểm ảnh, vượt giới hạn 2 "):
        assemble(pages_of(scans), settings)
    assert assemble(pages_of(scans[:2]), settings).page_count == 2


def test_a_pdf_within_the_limits_is_still_accepted_and_keeps_its_pages() -> None:
    checked = inspect_content("hai-trang.pdf", files.pdf(2), DigitizeSettings())
    assert [(round(page.width), round(page.height)) for page in checked.pages] == [(595, 842)] * 2
    moderate = files.pdf_content_bomb(pages=2, inflated=4_000_000)
    assert len(inspect_content("ve.pdf", moderate, DigitizeSettings()).pages) == 2


# Content is inflated a megabyte at a time, and the last bytes of each are read again with
# the next: a header cut by the boundary, or whole just before it, is counted once.
@pytest.mark.parametrize("before_boundary", [20, 100])
def test_inline_images_count_once_across_the_megabytes_they_are_read_in(
    before_boundary: int,
) -> None:
    offset = (1 << 20) - before_boundary
    one = files.pdf_inline_images(1, 6_000, 5_000, offset=offset)
    assert inspect_content("mot.pdf", one, DigitizeSettings()).pages[0].pixels == 30_000_000
    two = files.pdf_inline_images(2, 6_000, 5_000, offset=offset)
    with pytest.raises(BadFile, match="chứa ảnh tổng cộng 60 triệu điểm ảnh"):
        inspect_content("hai.pdf", two, DigitizeSettings())
