"""The Tinos faces as reportlab parsed them, kept beside the font files as Python keeps bytecode.

reportlab reads every glyph's metrics out of a TrueType file when the font is
registered; for the four faces that was a tenth of a one-form ``counter-app
print`` command, redone by every process. The parsed face is pickled in a
``__pycache__`` folder beside the font (or under ``sys.pycache_prefix``), and
read back by the next process when reportlab's version, the file's size and
its modification time are still those it was made from. Like bytecode, it is
not written when Python is told not to write bytecode, nor where the program's
folder cannot be written; it is read as bytecode is, from a place only whoever
can change the program can write. Anything unreadable there is ignored: the
file is parsed again.

The two parts of a parsed font that cannot be pickled are made again on
loading, as reportlab makes them: the per-document subset state (empty before
any document) and the scale from font units to thousandths of an em.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

FORMAT = 1
_UNPICKLED_FONT = ("face", "state")
_UNPICKLED_FACE = ("_pdfScale",)


def load_font(name: str, path: Path) -> Any:
    """The TrueType font ``name`` from ``path``: from the cache when it is current."""
    key = _key(name, path)
    cache = cache_path(path)
    cached = _read(cache, key)
    if cached is not None:
        return cached
    font = TTFont(name, str(path))
    if not sys.dont_write_bytecode:
        _write(cache, key, font)
    return font


def cache_path(path: Path) -> Path:
    """Where the parsed ``path`` is kept: where ``importlib.util.cache_from_source`` puts
    a module's bytecode."""
    folder = path.resolve().parent
    if sys.pycache_prefix:
        base = Path(sys.pycache_prefix, *folder.parts[1:])
    else:
        base = folder / "__pycache__"
    return base / f"{path.stem}.reportlab.pickle"


def _key(name: str, path: Path) -> tuple[object, ...]:
    found = path.stat()
    return (FORMAT, reportlab.Version, name, found.st_size, found.st_mtime_ns)


def _read(cache: Path, key: tuple[object, ...]) -> Any:
    try:
        with cache.open("rb") as file:
            stored_key, font_state, face_state = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file is no cache: parse the font again
        return None
    if stored_key != key:
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(face_state)
    face._pdfScale = pdf_scale(face.unitsPerEm)
    font = TTFont.__new__(TTFont)
    font.__dict__.update(font_state)
    font.face = face
    font.state = WeakKeyDictionary()
    return font


def _write(cache: Path, key: tuple[object, ...], font: Any) -> None:
    import tempfile  # only when the cache is made

    font_state = {k: v for k, v in vars(font).items() if k not in _UNPICKLED_FONT}
    face_state = {k: v for k, v in vars(font.face).items() if k not in _UNPICKLED_FACE}
    try:
        data = pickle.dumps((key, font_state, face_state), protocol=pickle.HIGHEST_PROTOCOL)
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as file:
            file.write(data)
        os.replace(file.name, cache)  # whole or not at all, for a process reading it now
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return  # a folder that cannot be written, or a reportlab whose font will not pickle


def pdf_scale(units_per_em: int) -> Callable[[float], float]:
    """Font units to thousandths of an em, as ``TTFontFile.extractInfo`` makes it."""
    if units_per_em == 1000:
        return lambda x: x
    multiplier = 1000 / units_per_em
    return lambda x: x * multiplier
