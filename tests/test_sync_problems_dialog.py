"""The sync problems list: what the province refused, why, and sending it again."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.fees import FeeInput, FeeService
from counter_app.models import AuditEntry, Dossier, FeePayment, OutboxEntry, new_id
from counter_app.store import Store
from counter_app.sync_apply import apply_changes
from counter_app.sync_outbox import PushOutcome, record_push_results, retry_rejected
from printing.wording import money
from sync.client.worker import EventKind, SyncEvent, SyncWorker, WorkerSettings
from tests.support.returns import due_of, ready, receive
from ui.dossier_detail import DossierDetailDialog
from ui.main_window import MainWindow
from ui.services import CounterServices
from ui.sync_problems import SyncProblemsDialog

FEE_TAKEN_TWICE = (
    "Phí, lệ phí của hồ sơ {code} đã được thu tiền mặt lúc 09:12 16/11/2026 (cán bộ "
    "hung.lv, máy khác của đơn vị); khoản thu này không được ghi nhận, hãy hoàn lại cho "
    "công dân và hủy biên lai."
)
MISSING_BLOB = "Máy chủ tỉnh chưa nhận đủ tệp đính kèm của hồ sơ {code}."


def refuse(store: Store, entity_id: str, reason: str) -> None:
    """The province's answer "rejected" to the entity's outbox entries, as a push records it."""
    with store.write() as session:
        entries = session.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == entity_id))
        record_push_results(
            session, [PushOutcome(e.mutation_id, "rejected", reason=reason) for e in entries]
        )


def states(store: Store) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(OutboxEntry.state).order_by(OutboxEntry.id)))


def dossier_id(store: Store, code: str) -> str:
    with store.read() as session:
        return session.scalars(select(Dossier.id).where(Dossier.code == code)).one()


def services_for(store: Store, clock: FixedClock, who: StaffIdentity) -> CounterServices:
    services = CounterServices.open(store, clock)
    services.user = who
    return services


def fee_taken_twice(store: Store, clock: FixedClock, clerk: StaffIdentity) -> str:
    """A temporary-residence dossier whose fee the province says was taken elsewhere first."""
    code = receive(store, clock, clerk)
    ready(store, clock, clerk, code, due_of(store, code) - dt.timedelta(days=1))
    FeeService(store, clock).collect(code, FeeInput("cash"), "return", clerk)
    with store.read() as session:
        payment_id = session.scalars(select(FeePayment.id)).one()
    refuse(store, payment_id, FEE_TAKEN_TWICE.format(code=code))
    return code


def test_rows_show_code_what_was_refused_and_the_whole_reason(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    fee_code = fee_taken_twice(store, clock, clerk)
    clock.at = dt.datetime(2026, 11, 18, 14, 5)
    scan_code = receive(store, clock, clerk)
    refuse(store, dossier_id(store, scan_code), MISSING_BLOB.format(code=scan_code))

    dialog = SyncProblemsDialog(services_for(store, clock, clerk))
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    rows = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Mã hồ sơ", "Việc", "Lý do", "Lúc ghi"]
    assert [row[:2] for row in rows] == [
        [fee_code, "Thu phí, lệ phí"],
        [scan_code, "Tiếp nhận hồ sơ"],
    ]
    assert rows[0][2] == FEE_TAKEN_TWICE.format(code=fee_code)
    assert rows[1][2] == MISSING_BLOB.format(code=scan_code)
    assert rows[1][3] == "14:05 18/11/2026"
    # The long reason is wrapped onto more lines, not cut off.
    assert table.wordWrap()
    assert table.rowHeight(0) > table.rowHeight(1)
    assert dialog.table.isVisible() and not dialog.empty_label.isVisible()
    assert "hoàn lại tiền cho công dân" in dialog.explanation.text()


def test_enter_opens_the_selected_dossier_and_escape_closes(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    first = receive(store, clock, clerk)
    second = receive(store, clock, clerk)
    for code in (first, second):
        refuse(store, dossier_id(store, code), MISSING_BLOB.format(code=code))
    dialog = SyncProblemsDialog(services_for(store, clock, clerk))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.table

    opened: list[str] = []
    dialog.dossierOpened.connect(opened.append)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.dossierOpened):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert opened == [second]  # once: the table and the default button do not both open it
    with qtbot.waitSignal(dialog.dossierOpened):
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened == [second, second]

    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_send_again_queues_every_refused_change_and_syncs_now(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    fee_taken_twice(store, clock, clerk)
    assert states(store).count("rejected") == 1
    asked: list[str] = []
    services = services_for(store, clock, clerk)
    dialog = SyncProblemsDialog(services, lambda: asked.append("sync"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 1

    with qtbot.waitSignal(dialog.retried, timeout=10_000) as retried:
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert retried.args == [1]
    assert "rejected" not in states(store)
    assert set(states(store)) == {"pending"}
    assert asked == ["sync"]
    assert dialog.table.rowCount() == 0
    assert dialog.empty_label.isVisible()
    assert dialog.message.text() == "Đã đưa 1 thay đổi vào hàng chờ gửi lại máy chủ tỉnh."
    assert not dialog.retry_button.isEnabled()
    assert not dialog.open_button.isEnabled()
    services.runner.wait()


def test_with_nothing_refused_the_list_says_so(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    receive(store, clock, clerk)  # waiting to be sent is not a problem
    dialog = SyncProblemsDialog(services_for(store, clock, clerk))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty_label.isVisible()
    assert dialog.empty_label.text().startswith("Không có lỗi đồng bộ")
    assert not dialog.retry_button.isEnabled()


def test_status_bar_button_shows_only_with_problems_and_opens_the_list(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = receive(store, clock, clerk)
    services = services_for(store, clock, clerk)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert store.data_dir is not None
    # Never enrolled: the worker's one attempt stops at "enrol again" and waits.
    worker = SyncWorker(store, store.data_dir, WorkerSettings(interval_s=3600.0))
    window.start_sync(worker)
    try:
        qtbot.waitUntil(lambda: "Cần đăng ký lại" in window.connection_label.text())
        assert window.waiting_label.text() == "1 thay đổi chờ đồng bộ"
        assert not window.problems_button.isVisible()

        refuse(store, dossier_id(store, code), MISSING_BLOB.format(code=code))
        window.refresh_status()
        qtbot.waitUntil(window.problems_button.isVisible)
        assert window.problems_button.text() == "1 lỗi đồng bộ"
        assert window.problems_button.toolTip() == f"{code}: " + MISSING_BLOB.format(code=code)
        assert window.waiting_label.text() == "0 thay đổi chờ đồng bộ"

        qtbot.mouseClick(window.problems_button, Qt.MouseButton.LeftButton)
        dialog = window.findChild(SyncProblemsDialog, "syncProblemsDialog")
        assert dialog is not None and dialog.isVisible()
        assert dialog.table.item(0, 0).text() == code

        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
        detail = window.findChild(DossierDetailDialog, "dossierDetail")
        assert detail is not None and detail.isVisible()
        assert detail.windowTitle() == f"Hồ sơ {code}"
        detail.close()

        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.problems_button.isVisible(), timeout=10_000)
        assert dialog.table.rowCount() == 0
        assert states(store) == ["pending"]
        # Asked to sync now: the unenrolled worker tries once more and stops again.
        qtbot.waitUntil(lambda: "Cần đăng ký lại" in window.connection_label.text())
    finally:
        window.close()
        services.runner.wait()


def test_a_sync_after_a_retry_reports_the_outbox_as_it_is_now(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    """The worker's last snapshot still holds the refusal; its next cycle must not."""
    code = receive(store, clock, clerk)
    refuse(store, dossier_id(store, code), MISSING_BLOB.format(code=code))
    assert store.data_dir is not None
    worker = SyncWorker(store, store.data_dir, WorkerSettings(interval_s=3600.0))
    assert len(worker.refresh().problems) == 1
    with store.write() as session:
        assert retry_rejected(session) == 1  # as the dialog's retry does, before any refresh
    heard: list[SyncEvent] = []
    worker.subscribe(heard.append)
    worker.run_cycle()  # never enrolled: it stops at "enrol again"
    assert [e.kind for e in heard] == [EventKind.STARTED, EventKind.AUTH_REQUIRED]
    assert all(e.status.problems == () and e.status.waiting == 1 for e in heard)


def test_a_fee_taken_twice_is_recorded_refunded_and_leaves_the_books(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = fee_taken_twice(store, clock, clerk)
    scan_code = receive(store, clock, clerk)
    refuse(store, dossier_id(store, scan_code), MISSING_BLOB.format(code=scan_code))
    with store.read() as session:
        amount = session.scalars(select(FeePayment.amount_vnd)).one()
    dialog = SyncProblemsDialog(services_for(store, clock, clerk))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(1)
    assert not dialog.refund_button.isEnabled(), "only a refused fee can be refunded"
    dialog.table.selectRow(0)
    assert dialog.refund_button.isEnabled()

    qtbot.mouseClick(dialog.refund_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm is not None and dialog.confirm.isVisible()
    assert code in dialog.confirm.text()
    yes = dialog.confirm.findChild(QPushButton, "confirmRefundYes")
    with qtbot.waitSignal(dialog.refunded, timeout=10_000):
        qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)

    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(FeePayment)) == 0
        trail = session.scalars(select(AuditEntry).where(AuditEntry.action == "fee.refund")).one()
        assert (trail.actor, trail.detail["amount_vnd"]) == (clerk.username, amount)
        assert trail.detail["refused_because"] == FEE_TAKEN_TWICE.format(code=code)
    assert "settled" in states(store)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == [scan_code]
    assert dialog.message.text() == (
        f"Đã ghi hoàn trả {money(amount)} (tiền mặt) của hồ sơ {code}."
    )
    dialog.services.runner.wait()


def test_a_pulled_change_set_aside_is_listed_with_its_reason(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = receive(store, clock, clerk)
    event = {
        "id": new_id(),
        "dossier_id": dossier_id(store, code),
        "kind": "processing_started",
        "status_after": "hacked",
        "at": dt.datetime(2026, 11, 17, 9, 0),
        "actor": "province",
        "unit_code": clerk.unit_code,
        "data": {},
        "server_seq": 7,
    }
    change = {"seq": 7, "kind": "event", "dossier_id": event["dossier_id"], "event": event}
    clock.at = dt.datetime(2026, 11, 18, 14, 5)
    with store.write() as session:
        applied = apply_changes(session, [change], next_cursor=7, epoch="e", at=clock.now())
    assert applied.set_aside == 1

    dialog = SyncProblemsDialog(services_for(store, clock, clerk))
    qtbot.addWidget(dialog)
    dialog.show()

    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row[:2] == [code, "Nhận thay đổi từ tỉnh (máy này không ghi được)"]
    assert "'hacked'" in row[2] and row[3] == "14:05 18/11/2026"
    assert "để riêng" in dialog.explanation.text()
    with store.read() as session:
        assert session.scalar(select(Dossier.status).where(Dossier.code == code)) == "received"
