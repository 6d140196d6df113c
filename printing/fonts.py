"""The serif family every form is set in: Tinos, shipped in ``resources/fonts``.

Tinos is metric-compatible with Times New Roman, the face Vietnamese
administrative documents are set in (Decree 30/2020/NĐ-CP), and covers every
Vietnamese letter with its tone marks; reportlab's built-in Times does not. The
files come with the application (SIL Open Font License, ``resources/fonts/OFL.txt``)
so a counter PC without Times New Roman prints the same forms.

Parsing four TrueType files takes a noticeable fraction of a second, so the
family is registered once per process, on first use, not on import, and the
parsed faces are kept between processes (``printing.font_cache``).
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from printing.font_cache import load_font

FAMILY = "Tinos"
REGULAR = "Tinos-Regular"
BOLD = "Tinos-Bold"
ITALIC = "Tinos-Italic"
BOLD_ITALIC = "Tinos-BoldItalic"

# (face name, bold, italic) — how Paragraph markup <b>/<i> finds the face.
_FACES = ((REGULAR, 0, 0), (BOLD, 1, 0), (ITALIC, 0, 1), (BOLD_ITALIC, 1, 1))
_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the Tinos family with reportlab (once, thread-safe); return the family name.

    Renderers call this before building a document; a second call costs nothing.
    """
    global _registered
    if _registered:
        return FAMILY
    with _lock:
        if not _registered:
            folder = resources.files("resources").joinpath("fonts")
            for face, bold, italic in _FACES:
                file = folder.joinpath(f"{face}.ttf")
                if isinstance(file, Path):  # a folder on disk: the parsed face can be kept
                    pdfmetrics.registerFont(load_font(face, file))
                else:
                    with resources.as_file(file) as path:
                        pdfmetrics.registerFont(TTFont(face, str(path)))
                addMapping(FAMILY, bold, italic, face)
            _registered = True
    return FAMILY


def string_width(text: str, face: str, size: float) -> float:
    """Width of ``text`` set in ``face`` at ``size`` points, for layouts that must fit a line."""
    register_fonts()
    return float(pdfmetrics.stringWidth(text, face, size))
