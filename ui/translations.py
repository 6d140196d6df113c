"""The window's language through Qt's translation system.

Source strings are Vietnamese, the counter's working language, so Vietnamese
needs no catalogue of the window's own; English comes from
``resources/i18n/ward_counter_en.qm``, compiled from the ``.ts`` file beside it
with ``pyside6-lrelease``.

Qt's own strings (file dialog, standard buttons, the line edit's context menu,
the print dialog) are English in Qt and Qt ships no Vietnamese ``qtbase``
catalogue, so ``resources/i18n/qtbase_vi.ts`` holds the ones the window can
show and is installed whenever the window speaks Vietnamese.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

CATALOGUE = "ward_counter_{language}.qm"
QT_CATALOGUE = "qtbase_{language}.qm"
LOCALES = {
    "vi": QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}
# Marks the translator installed here, so a second call replaces it instead of stacking.
INSTALLED = "counter-language"


def catalogue_path(language: str) -> str:
    return _i18n(CATALOGUE.format(language=language))


def qt_catalogue_path(language: str) -> str:
    return _i18n(QT_CATALOGUE.format(language=language))


def _i18n(name: str) -> str:
    # One step at a time: Python 3.11's MultiplexedPath (a frozen build's) takes one child.
    return str(resources.files("resources").joinpath("i18n").joinpath(name))


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Install the catalogue for ``language`` in place of any installed before.

    Vietnamese gets Qt's own strings in Vietnamese; English gets the window's
    strings in English (Qt's are English already). The default locale follows,
    so the calendar's month and day names are in the same language. None when
    the catalogue is missing.
    """
    if language in LOCALES:
        QLocale.setDefault(LOCALES[language])
    for earlier in app.findChildren(QTranslator, INSTALLED):
        app.removeTranslator(earlier)
        earlier.setObjectName("")
        earlier.deleteLater()
    path = qt_catalogue_path(language) if language == "vi" else catalogue_path(language)
    translator = QTranslator(app)
    if not translator.load(path):
        translator.deleteLater()
        return None
    translator.setObjectName(INSTALLED)
    app.installTranslator(translator)
    return translator
