"""The main window: screens by role and a status bar that tells where the counter stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.errors import NotInitialised
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.conftest import MONDAY_MORNING, UNIT_CODE
from tests.test_reception import request
from ui.main_window import MainWindow
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices


def window_for(qtbot: QtBot, store: Store, clock: FixedClock, who: StaffIdentity) -> MainWindow:
    services = CounterServices.open(store, clock)
    services.user = who
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    return window


def nav_titles(window: MainWindow) -> list[str]:
    return [window.navigation.item(i).text() for i in range(window.navigation.count())]


def test_status_bar_shows_unit_user_connection_and_waiting_changes(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    ReceptionService(store, clock).receive(request(store), clerk)
    window = window_for(qtbot, store, clock, clerk)
    assert window.unit_label.text() == UNIT_CODE
    assert window.user_label.text() == "Nguyễn Thị Lan · Cán bộ một cửa"
    assert "Chưa đăng ký máy chủ tỉnh" in window.connection_label.text()
    assert window.waiting_label.text() == "1 thay đổi chờ đồng bộ"


def test_each_role_sees_its_own_screens(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    clerk_window = window_for(qtbot, store, clock, clerk)
    assert nav_titles(clerk_window)[0] == "Tiếp nhận"
    assert not clerk_window.pages["reception"].draft_mode  # type: ignore[attr-defined]
    agent = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, UNIT_CODE)
    agent_window = window_for(qtbot, store, clock, agent)
    assert "Tiếp nhận" not in nav_titles(agent_window)
    drafts = agent_window.pages["drafts"]
    assert isinstance(drafts, ReceptionScreen) and drafts.draft_mode


def test_an_uninitialised_directory_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(NotInitialised, match="counter-app init"):
        CounterServices.open(Store.open(tmp_path), FixedClock(MONDAY_MORNING))
