"""A scanned stack filed at its separator sheets: the real ``counter-app scan-batch`` command.

Run: ``python -m bench.scan_batch [--pages 100] [--separators 10] [--also 300]``.

Made first, not timed: a demo data directory (``counter-app demo``), one
separator sheet per received dossier (``counter-app print separator``, drawn
to pixels by pdfium as a scanner would see it), and the stack as the scanner
saves it: one PDF of 200 dpi greyscale JPEG pages, a separator before every
tenth page, text pages between them, every third text page followed by a
blank back. Timed: ``counter-app scan-batch`` from process start to exit, the
wait a postal agent has after the scanner stops — it includes the interpreter,
looking at every page (pdfium at 150 dpi, zxing-cpp), assembling each
document's PDF, storing it (fsync) and recording the attachment; it leaves out
the scanner itself. Peak memory is the child's own maximum resident set
(``wait4``), printed for each batch size so growth with the batch shows; a
larger batch comes as several scanner PDFs (``--per-file``, an ADF's load),
since one file is held to the digitizing limits (50 MB, 300 pages).

Targets (issue 18): 100 pages with 10 separators filed in < 20 s; memory under
500 MB whatever the batch size.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import img2pdf
import pypdfium2
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from sqlalchemy import select

from counter_app.lifecycle import Status
from counter_app.models import Dossier
from counter_app.store import Store

TARGET_S = 20.0
MEMORY_MB = 500.0
A4_200DPI = (1654, 2339)
COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
ENV = {"COUNTER_USER": "lan.nt", "COUNTER_PASSWORD": "demo1234"}
TEXT = (
    "cộng hòa xã hội chủ nghĩa việt nam độc lập tự do hạnh phúc giấy khai sinh họ và tên "
    "ngày tháng năm sinh giới tính dân tộc quốc tịch nơi sinh quê quán nơi cư trú"
)


def counter_app(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COUNTER_APP, *args], capture_output=True, text=True, check=False,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def text_page(seed: int, font: ImageFont.FreeTypeFont) -> bytes:
    rnd = random.Random(seed)
    words = TEXT.split()
    page = Image.new("L", A4_200DPI, 238)
    draw = ImageDraw.Draw(page)
    y = 200
    while y < A4_200DPI[1] - 200:
        line = " ".join(rnd.choice(words) for _ in range(rnd.randint(6, 12)))
        draw.text((170, y), line, fill=rnd.randint(20, 60), font=font)
        y += rnd.choice((48, 48, 96))
    noisy = ImageChops.add(
        page.filter(ImageFilter.GaussianBlur(0.6)), Image.effect_noise(A4_200DPI, 5), 1.0, -128
    )
    return jpeg(noisy)


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("L").save(out, "JPEG", quality=80, dpi=(200, 200))
    return out.getvalue()


def blank_back(seed: int) -> bytes:
    return jpeg(ImageChops.add(Image.new("L", A4_200DPI, 246), Image.effect_noise(A4_200DPI, 4),
                               1.0, -128))  # fmt: skip


@dataclass
class Outcome:
    pages: int
    seconds: float
    peak_mb: float
    filed: int
    stdout: str


def separators(data_dir: Path, work: Path, count: int) -> list[bytes]:
    store = Store.open(data_dir, create=False)
    with store.read() as session:
        codes = session.scalars(
            select(Dossier.code)
            .where(Dossier.status == Status.RECEIVED.value, Dossier.code.is_not(None))
            .order_by(Dossier.code)
            .limit(count)
        ).all()
    store.close()
    if len(codes) < count:
        raise SystemExit(f"the demo has {len(codes)} received dossiers, {count} wanted")
    sheets = []
    for code in codes:
        out = work / f"separator-{code}.pdf"
        done = counter_app(
            "print", "separator", str(code), "--document", "1", "--out", str(out),
            "--data-dir", str(data_dir),
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        document = pypdfium2.PdfDocument(out.read_bytes())
        sheets.append(jpeg(document[0].render(scale=200 / 72, grayscale=True).to_pil()))
        document.close()
    return sheets


def stack(sheets: list[bytes], pages: int, font: ImageFont.FreeTypeFont) -> list[bytes]:
    """``pages`` scanned pages: each separator, then text pages (every third one's blank back)."""
    per_part = pages // len(sheets)
    made: list[bytes] = []
    seed = 0
    for sheet in sheets:
        made.append(sheet)
        while len(made) % per_part:
            seed += 1
            made.append(blank_back(seed) if seed % 3 == 0 else text_page(seed, font))
    while len(made) < pages:
        seed += 1
        made.append(text_page(seed, font))
    return made


def file_batch(demo: Path, work: Path, pages: list[bytes], per_file: int) -> Outcome:
    """File ``pages`` as the scanner saved them: PDFs of at most ``per_file`` pages each."""
    data_dir = work / f"data-{len(pages)}"
    shutil.copytree(demo, data_dir)
    files = []
    for first in range(0, len(pages), per_file):
        batch = work / f"stack-{len(pages)}-{first // per_file + 1:02d}.pdf"
        batch.write_bytes(img2pdf.convert(pages[first : first + per_file]))
        files.append(str(batch))
    start = time.perf_counter()
    child = subprocess.Popen(
        [COUNTER_APP, "scan-batch", *files, "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **ENV},
    )  # fmt: skip
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"scan-batch failed ({child.returncode}): {err}")
    filed = sum(1 for line in out.splitlines() if line.startswith("Đã đính kèm"))
    return Outcome(len(pages), seconds, usage.ru_maxrss / 1024, filed, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--separators", type=int, default=10)
    parser.add_argument("--also", type=int, nargs="*", default=[300], help="larger batches")
    parser.add_argument(
        "--per-file", type=int, default=100, help="pages per PDF the scanner saves (its ADF load)"
    )
    args = parser.parse_args(argv)
    font_file = resources.files("resources").joinpath("fonts").joinpath("Tinos-Regular.ttf")
    with resources.as_file(font_file) as font_path:
        font = ImageFont.truetype(font_path, 30)
    with tempfile.TemporaryDirectory(prefix="bench-scan-batch-") as folder:
        work = Path(folder)
        demo = work / "demo"
        done = counter_app("demo", "--data-dir", str(demo))
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        sheets = separators(demo, work, args.separators)
        print(
            f"counter-app scan-batch, {args.separators} separators, 200 dpi greyscale JPEG "
            f"pages, at most {args.per_file} pages per scanner PDF"
        )
        print("includes: process start, every page looked at, PDFs assembled, stored (fsync), "
              "attached; leaves out: the scanner")  # fmt: skip
        ok = True
        for count in (args.pages, *args.also):
            outcome = file_batch(demo, work, stack(sheets, count, font), args.per_file)
            per_page = outcome.seconds / outcome.pages * 1000
            line = (
                f"{outcome.pages:4d} pages: {outcome.seconds:6.1f} s ({per_page:.0f} ms/page), "
                f"{outcome.filed} documents filed, peak memory {outcome.peak_mb:.0f} MB"
            )
            if count == args.pages:
                fast = outcome.seconds < TARGET_S
                line += f"  [target < {TARGET_S:.0f} s: {'met' if fast else 'MISSED'}]"
                ok &= fast
            small = outcome.peak_mb < MEMORY_MB
            line += f"  [memory < {MEMORY_MB:.0f} MB: {'met' if small else 'MISSED'}]"
            ok &= small and outcome.filed == args.separators
            print(line, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
