"""The dossier code as a counter scanner reads it: Code 128 bars and a QR code beside them.

The bars are vector rectangles, not a bitmap, so they stay sharp on any printer
and at any zoom; ``printing.code128`` computes the module pattern (digits pack
two to a symbol in code set C). Ten modules of white
on each side are the quiet zone Code 128 needs before a handheld USB scanner will
lock on; the human-readable code sits under the bars. The QR code keeps its four
modules of quiet zone.

Both are painted straight onto the canvas as one filled path each: the
reportlab graphics layer would build and validate a shape object per module,
which made a receipt several times slower to render.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import reportlab.graphics
from reportlab.platypus import Flowable

from printing.code128 import code128_pattern
from printing.fonts import BOLD, REGULAR, string_width

QUIET_MODULES = 10  # Code 128 wants at least ten module widths of white on each side
QR_QUIET_MODULES = 4
MIN_MODULE = 0.5  # points; bars narrower than ~0.18 mm scan badly off office printers
CAPTION_LABEL = "Mã hồ sơ: "


@functools.lru_cache(maxsize=256)
def code128_modules(code: str) -> str:
    """The Code 128 module pattern of ``code`` ("1" bar, "0" space), start to stop symbol."""
    return code128_pattern(code)


@functools.cache
def qrencoder() -> ModuleType:
    """reportlab's QR encoder, loaded from its own file without the package around it.

    ``reportlab.graphics.barcode``'s ``__init__`` registers every barcode widget of
    reportlab on import, and with them the graphics shapes and charts they draw with:
    more than the encoding and the painting of the QR code together, in a one-form
    ``print`` command. ``qrencoder.py`` itself needs only ``re`` and ``itertools``. A
    reportlab that moved it, or a program that has the package loaded already, gets
    the ordinary import.
    """
    name = "reportlab.graphics.barcode.qrencoder"
    if name in sys.modules or "reportlab.graphics.barcode" in sys.modules:
        return importlib.import_module(name)
    source = Path(reportlab.graphics.__file__).with_name("barcode") / "qrencoder.py"
    spec = importlib.util.spec_from_file_location("printing._qrencoder", source)
    if not source.is_file() or spec is None or spec.loader is None:
        return importlib.import_module(name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=256)
def qr_modules(code: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code matrix of ``code`` (error correction M), rows top to bottom."""
    encoder = qrencoder()
    qr = encoder.QRCode(None, encoder.QRErrorCorrectLevel.M)
    qr.addData(code)
    qr.make()
    return tuple(tuple(bool(module) for module in row) for row in qr.modules)


def qr_blocks(matrix: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int, int]]:
    """(column, row, width, height) rectangles covering the dark modules of ``matrix``.

    Runs of a row merge with the same run in the rows below, so the path holds a
    few hundred rectangles rather than one per module.
    """
    blocks: list[tuple[int, int, int, int]] = []
    open_blocks: dict[tuple[int, int], int] = {}  # (column, width) → first row
    for row_index, row in enumerate((*matrix, ())):
        current = set(runs(row))
        for key in list(open_blocks):
            if key not in current:
                first_row = open_blocks.pop(key)
                blocks.append((key[0], first_row, key[1], row_index - first_row))
        for key in sorted(current):  # sorted: the same code always draws the same stream
            open_blocks.setdefault(key, row_index)
    return blocks


def runs(modules: str | tuple[bool, ...]) -> list[tuple[int, int]]:
    """(first module, length) of each dark run: one rectangle per bar, not one per module."""
    found: list[tuple[int, int]] = []
    position = 0
    for dark, group in itertools.groupby(module in ("1", True) for module in modules):
        length = len(list(group))
        if dark:
            found.append((position, length))
        position += length
    return found


class CodeMark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Code 128 of the dossier code with its caption, and the QR code to its right.

    The module width shrinks (never below ``MIN_MODULE``) when the bars would not
    fit the available width beside the QR code.
    """

    def __init__(
        self,
        code: str,
        *,
        module: float,
        bar_height: float,
        qr_size: float,
        caption_size: float,
    ) -> None:
        super().__init__()
        self.code = code
        self.bars = code128_modules(code)
        self.qr = qr_modules(code)
        self.preferred_module = module
        self.bar_height = bar_height
        self.qr_size = qr_size
        self.caption_size = caption_size
        self.gap = qr_size * 0.12
        self.module = module
        self.hAlign = "CENTER"

    @property
    def bars_width(self) -> float:
        return (len(self.bars) + 2 * QUIET_MODULES) * self.module

    @property
    def caption_height(self) -> float:
        return self.caption_size * 1.45

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        span = len(self.bars) + 2 * QUIET_MODULES
        room = (available_width - self.qr_size - self.gap) / span
        self.module = max(MIN_MODULE, min(self.preferred_module, room))
        self.width = self.bars_width + self.gap + self.qr_size
        self.height = max(self.qr_size, self.bar_height + self.caption_height)
        return self.width, self.height

    def draw(self) -> None:
        """Paint the marks once per document as a form XObject; the receipt's second copy
        and any reprint in the same PDF reuse it."""
        canvas: Any = self.canv
        name = f"code-{self.code}-{self.width:.2f}x{self.height:.2f}"
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, self.width, self.height)
            canvas.setFillColorRGB(0, 0, 0)
            bars_bottom = (self.height + self.bar_height + self.caption_height) / 2
            bars_bottom -= self.bar_height
            self._draw_bars(canvas, bars_bottom)
            self._draw_caption(canvas, bars_bottom)
            self._draw_qr(canvas)
            canvas.endForm()
        canvas.doForm(name)

    def _draw_bars(self, canvas: Any, bars_bottom: float) -> None:
        canvas.saveState()
        canvas.translate(QUIET_MODULES * self.module, bars_bottom)
        canvas.scale(self.module, self.bar_height)  # whole-module coordinates below
        path = canvas.beginPath()
        for first, length in runs(self.bars):
            path.rect(first, 0, length, 1)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()

    def _draw_caption(self, canvas: Any, bars_bottom: float) -> None:
        size = self.caption_size
        label_width = string_width(CAPTION_LABEL, REGULAR, size)
        code_width = string_width(self.code, BOLD, size)
        x = max(0.0, (self.bars_width - label_width - code_width) / 2)
        baseline = bars_bottom - size * 1.05
        canvas.setFont(REGULAR, size)
        canvas.drawString(x, baseline, CAPTION_LABEL)
        canvas.setFont(BOLD, size)
        canvas.drawString(x + label_width, baseline, self.code)

    def _draw_qr(self, canvas: Any) -> None:
        count = len(self.qr) + 2 * QR_QUIET_MODULES
        box = self.qr_size / count
        canvas.saveState()
        top = (self.height + self.qr_size) / 2 - QR_QUIET_MODULES * box
        canvas.translate(self.bars_width + self.gap + QR_QUIET_MODULES * box, top)
        canvas.scale(box, -box)  # whole modules, rows counted downwards
        path = canvas.beginPath()
        for column, row, width, height in qr_blocks(self.qr):
            path.rect(column, row, width, height)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
