"""The window's language through Qt's translation system.

Source strings are Vietnamese, the counter's working language, so Vietnamese
needs no catalogue; English comes from ``resources/i18n/ward_counter_en.qm``,
compiled from the ``.ts`` file beside it with ``pyside6-lrelease``.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QTranslator

CATALOGUE = "ward_counter_{language}.qm"


def catalogue_path(language: str) -> str:
    return str(resources.files("resources").joinpath("i18n", CATALOGUE.format(language=language)))


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Install the catalogue for ``language``; None for Vietnamese or a missing catalogue."""
    if language == "vi":
        return None
    translator = QTranslator(app)
    if not translator.load(catalogue_path(language)):
        return None
    app.installTranslator(translator)
    return translator
