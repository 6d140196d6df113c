"""Whether the fonts the forms are printed in load and hold every Vietnamese letter.

For the preflight check (``counter_app.doctor``): a frozen build missing a font
file, or a damaged one, would otherwise show only when the first receipt fails
to print. The faces are parsed as ``printing.fonts`` parses them, with reportlab.
"""

from __future__ import annotations

from importlib import resources

from counter_app.doctor import Finding, Level
from printing.fonts import _FACES

# Letters whose tone marks a font without full Vietnamese coverage lacks.
VIETNAMESE_SAMPLE = "ệ ữ ỹ đ Đ ặ ở Ư ơ"


def missing_letters(path: str, sample: str = VIETNAMESE_SAMPLE) -> str:
    """The letters of ``sample`` the TrueType file at ``path`` has no glyph for."""
    from reportlab.pdfbase.ttfonts import TTFont

    covered = TTFont("preflight", path).face.charToGlyph
    return "".join(c for c in sample if not c.isspace() and ord(c) not in covered)


def check_print_fonts() -> Finding:
    key, title = "print_fonts", "Phông chữ in phiếu (Tinos)"
    fix = "Cài lại chương trình (thư mục resources/fonts của bản cài thiếu hoặc hỏng tệp phông)."
    folder = resources.files("resources").joinpath("fonts")
    problems = []
    for face, _bold, _italic in _FACES:
        entry = folder.joinpath(f"{face}.ttf")
        try:
            with resources.as_file(entry) as path:
                missing = missing_letters(str(path))
        except Exception as exc:  # reportlab raises its own TTFError and OSErrors alike
            problems.append(f"{face}.ttf không đọc được ({exc})")
            continue
        if missing:
            problems.append(f"{face}.ttf thiếu các chữ {' '.join(missing)}")
    if problems:
        return Finding(key, title, Level.FAIL, "; ".join(problems) + ".", fix)
    return Finding(
        key,
        title,
        Level.OK,
        f"{len(_FACES)} kiểu chữ Tinos đọc được, đủ chữ tiếng Việt ({VIETNAMESE_SAMPLE}).",
    )
