"""English through Qt's translation system, and Qt's own strings in Vietnamese.

Each catalogue is complete, compiled from its source, and shown.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.store import Store
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices
from ui.translations import catalogue_path, install_translator, qt_catalogue_path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "resources" / "i18n" / "ward_counter_en.ts"
QT_CATALOGUE = ROOT / "resources" / "i18n" / "qtbase_vi.ts"


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} comes with PySide6"
    return found


def _messages(ts: Path) -> dict[tuple[str, str], ElementTree.Element]:
    root = ElementTree.parse(ts).getroot()
    return {
        (context.findtext("name", ""), message.findtext("source", "")): message
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_every_string_of_the_window_has_an_english_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    ui_files = sorted(str(p) for p in (ROOT / "ui").glob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *ui_files, "-ts", str(fresh)], check=True,
                   capture_output=True)  # fmt: skip
    wanted = set(_messages(fresh))
    have = _messages(CATALOGUE)
    assert wanted - set(have) == set(), "run pyside6-lupdate and translate the new strings"
    unfinished = [key for key in wanted if have[key].find("translation").get("type")]  # type: ignore[union-attr]
    assert unfinished == []


@pytest.mark.parametrize(
    ("source", "compiled"),
    [(CATALOGUE, catalogue_path("en")), (QT_CATALOGUE, qt_catalogue_path("vi"))],
    ids=["window-en", "qt-vi"],
)
def test_compiled_catalogue_matches_its_source(tmp_path: Path, source: Path, compiled: str) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(source), "-qm", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert fresh.read_bytes() == Path(compiled).read_bytes(), (
        f"run pyside6-lrelease on resources/i18n/{source.name}"
    )


def test_every_qt_string_of_the_vietnamese_catalogue_is_translated() -> None:
    unfinished = [key for key, message in _messages(QT_CATALOGUE).items()
                  if message.find("translation").get("type") or not message.findtext("translation")]  # type: ignore[union-attr]  # fmt: skip
    assert unfinished == []


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    translator = install_translator(qapp, "en")
    assert translator is not None
    yield
    qapp.removeTranslator(translator)


def test_the_reception_screen_speaks_english_when_asked(
    qtbot: QtBot, english: None, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services = CounterServices.open(store, clock)
    services.user = clerk
    screen = ReceptionScreen(services)
    qtbot.addWidget(screen)
    assert screen.submit_button.text() == "Receive and print (Ctrl+Enter)"
    screen.form.picker.choose_code("1.001193", "1.001193  ·  Đăng ký khai sinh")
    assert screen.appointment.text() == "Result due: 17:00, 16/11/2026"
