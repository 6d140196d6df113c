"""Restore from the window: chosen on Quản trị, done by the next start before the store opens."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app import backup
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.models import AuditEntry
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support.admin_screen import admin_services
from tests.support.backups import dossier_codes, receive
from tests.support.reception import request
from ui.admin_screen import AdminScreen
from ui.launcher import prepare
from ui.main_window import MainWindow


def audit_actions(store: Store, action: str) -> list[tuple[str, str]]:
    with store.read() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.entity_id).where(AuditEntry.action == action)
        )
        return [(actor, entity_id) for actor, entity_id in rows]


def answer_outcome() -> list[str]:
    """Read and close the start's "restoreOutcome" box once ``prepare`` shows it (modal)."""
    seen: list[str] = []

    def poll(tries: int = 500) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "restoreOutcome":
            seen.append(box.text())
            box.buttons()[0].click()
        elif tries:
            QTimer.singleShot(20, lambda: poll(tries - 1))

    QTimer.singleShot(0, poll)
    return seen


def test_the_admin_screen_schedules_the_restore_of_a_verified_backup_and_closes_the_window(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    receive(store, clock, clerk, 3)
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    window = MainWindow(admin_services(store, clock))
    qtbot.addWidget(window)
    window.show()
    screen = window.pages["admin"]
    assert isinstance(screen, AdminScreen)
    assert store.data_dir is not None
    pending_file = store.data_dir / backup.PENDING_FILE

    with qtbot.waitSignal(screen.restoreScheduled, timeout=30_000) as scheduled:
        screen.restore_from(made.folder)
        qtbot.waitUntil(lambda: isinstance(screen.restore_question, QMessageBox), timeout=30_000)
        box = screen.restore_question
        assert box is not None
        assert not pending_file.exists(), "nothing is scheduled before the administrator agrees"
        text = box.text()
        assert "Sao lưu lúc: 2026-11-16T09:06:00" in text
        assert "Số hồ sơ: 3" in text and "000.00.11.H57" in text
        assert "Phần mềm sẽ đóng và khôi phục khi mở lại." in text
        go = box.findChild(QPushButton, "restoreGo")
        assert go is not None
        qtbot.mouseClick(go, Qt.MouseButton.LeftButton)

    pending = scheduled.args[0]
    assert pending == backup.pending_restore(store.data_dir)
    assert (pending.folder, pending.actor, pending.at) == (made.folder, "admin", clock.now())
    assert stat.S_IMODE(pending_file.stat().st_mode) == 0o600
    assert audit_actions(store, "backup.restore_scheduled") == [("admin", made.folder.name)]
    qtbot.waitUntil(lambda: not window.isVisible())
    window.services.runner.wait()


def test_a_damaged_backup_is_refused_when_checked_and_nothing_is_scheduled(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    receive(store, clock, clerk, 1)
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    database = made.folder / "counter.sqlite3"
    database.write_bytes(database.read_bytes()[:-4096] + b"\0" * 4096)
    screen = AdminScreen(admin_services(store, clock))
    qtbot.addWidget(screen)
    screen.show()
    scheduled: list[object] = []
    screen.restoreScheduled.connect(scheduled.append)

    screen.restore_from(made.folder)

    qtbot.waitUntil(screen.settings_error.isVisible, timeout=30_000)
    assert "Không khôi phục được" in screen.settings_error.text()
    assert "mã SHA-256 không khớp" in screen.settings_error.text()
    assert screen.restore_question is None and QApplication.activeModalWidget() is None
    assert screen.restore_button.isEnabled()
    assert store.data_dir is not None
    assert not (store.data_dir / backup.PENDING_FILE).exists()
    assert backup.pending_restore(store.data_dir) is None
    assert scheduled == [] and audit_actions(store, "backup.restore_scheduled") == []


def test_the_next_start_performs_the_scheduled_restore_without_issuing_a_code_again(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    first = receive(store, clock, clerk, 3)
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    later = receive(store, clock, clerk, 2)  # handed to citizens on paper receipts
    backup.schedule_restore(store, made.folder, actor="admin", at=clock.now())
    store.close()  # the window closed
    assert store.data_dir is not None
    data_dir = store.data_dir

    seen = answer_outcome()
    _app, services, login = prepare(str(data_dir))
    try:
        assert len(seen) == 1
        assert f"Đã khôi phục từ {made.folder.name}" in seen[0]
        assert "lấy lại từ máy chủ tỉnh ở lần đồng bộ tới" in seen[0]
        assert not (data_dir / backup.PENDING_FILE).exists()
        [aside] = data_dir.glob("counter.sqlite3.before-restore-*")
        assert aside.name in seen[0]
        assert dossier_codes(services.store) == sorted(first), "the later two are gone"
        assert audit_actions(services.store, "backup.restore") == [("admin", made.folder.name)]
        after = ReceptionService(services.store, clock).receive(request(services.store), clerk)
        assert after.code not in first + later
        assert after.code.endswith("-1006"), "continues after the highest code issued"
    finally:
        login.deleteLater()
        services.runner.wait()
        services.store.close()


def test_a_scheduled_restore_whose_backup_is_gone_keeps_the_store_and_is_dropped(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    codes = receive(store, clock, clerk, 2)
    made = backup.make_backup(store, tmp_path / "usb", at=clock.now())
    receive(store, clock, clerk, 1)
    backup.schedule_restore(store, made.folder, actor="admin", at=clock.now())
    store.close()
    shutil.rmtree(made.folder)  # the USB disk was reformatted meanwhile
    assert store.data_dir is not None
    data_dir = store.data_dir

    seen = answer_outcome()
    _app, services, login = prepare(str(data_dir))
    try:
        assert len(seen) == 1
        assert "Không khôi phục được từ bản sao lưu" in seen[0]
        assert "Không tìm thấy bản sao lưu" in seen[0] and made.folder.name in seen[0]
        assert "Cơ sở dữ liệu hiện tại được giữ nguyên" in seen[0]
        assert not (data_dir / backup.PENDING_FILE).exists(), "not tried again at every start"
        assert not list(data_dir.glob("counter.sqlite3.before-restore-*"))
        assert len(dossier_codes(services.store)) == 3
        assert set(codes) <= set(dossier_codes(services.store))
        assert audit_actions(services.store, "backup.restore") == []
    finally:
        login.deleteLater()
        services.runner.wait()
        services.store.close()


def test_a_damaged_pending_file_is_reported_and_dropped(qtbot: QtBot, store: Store) -> None:
    assert store.data_dir is not None
    data_dir = store.data_dir
    (data_dir / backup.PENDING_FILE).write_text(json.dumps({"folder": 3}), "utf-8")
    store.close()

    seen = answer_outcome()
    _app, services, login = prepare(str(data_dir))
    try:
        assert len(seen) == 1 and "Tệp hẹn khôi phục" in seen[0]
        assert not (data_dir / backup.PENDING_FILE).exists()
    finally:
        login.deleteLater()
        services.runner.wait()
        services.store.close()
