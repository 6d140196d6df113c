"""The bare main window opens on a real store and tells which counter it is."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.conftest import MONDAY_MORNING, UNIT_CODE, UNIT_NAME
from tests.test_reception import request
from ui.main_window import MainWindow


def test_window_shows_unit_dossiers_and_waiting_changes(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    ReceptionService(store, clock).receive(request(store), clerk)
    window = MainWindow(store, clock)
    qtbot.addWidget(window)
    window.show()
    assert window.headline.text() == UNIT_NAME
    assert "1 hồ sơ" in window.details.text()
    assert "1 thay đổi chờ đồng bộ" in window.statusBar().currentMessage()
    assert UNIT_CODE in window.statusBar().currentMessage()


def test_window_on_an_uninitialised_directory_says_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(Store.open(tmp_path), FixedClock(MONDAY_MORNING))
    qtbot.addWidget(window)
    assert "counter-app init" in window.details.text()
