"""Render the main screens offscreen into docs/screenshots/, for the README and for review.

Run: ``python docs/render_screenshots.py``. Demo data is made in a throwaway
data directory with the clock set to a fixed Monday afternoon, so the pictures
are the same from one run to the next.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from counter_app import demo  # noqa: E402
from counter_app.auth import StaffIdentity, log_in  # noqa: E402
from counter_app.clock import FixedClock  # noqa: E402
from counter_app.fees import FeeInput, FeeService, amount_due  # noqa: E402
from counter_app.lifecycle import OPEN_STATUSES  # noqa: E402
from counter_app.models import Dossier, FeePayment, OutboxEntry, Procedure  # noqa: E402
from counter_app.store import Store  # noqa: E402
from counter_app.sync_outbox import PushOutcome, record_push_results  # noqa: E402
from ui.dossier_list import DossierListWidget  # noqa: E402
from ui.launcher import application  # noqa: E402
from ui.login_dialog import LoginDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.reception_screen import ReceptionScreen  # noqa: E402
from ui.services import CounterServices  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
NOW = dt.datetime(2026, 11, 16, 15, 10)


def settle(app: QApplication, widget: QWidget) -> None:
    widget.show()
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, name: str) -> None:
    widget.grab().save(str(OUT / name))
    print(f"docs/screenshots/{name}")


def refuse_two_changes(store: Store, clock: FixedClock, clerk: StaffIdentity) -> None:
    """A fee taken twice and a reception whose scans the province lacks, refused as a push would."""
    open_statuses = [status.value for status in OPEN_STATUSES]
    with store.read() as session:
        rows = session.execute(
            select(Dossier.code, Procedure)
            .join(Procedure)
            .where(Dossier.code.is_not(None), Dossier.status.in_(open_statuses))
            .order_by(Dossier.code)
        ).all()
        fee_code = next(
            str(code)
            for code, procedure in rows
            if amount_due(procedure) > 0 and procedure.fee_schedule is None
        )
        scan_code = next(str(code) for code, _procedure in rows if code != fee_code)
    FeeService(store, clock).collect(fee_code, FeeInput("cash"), "reception", clerk)
    with store.write() as session:
        payment = session.scalars(
            select(FeePayment.id).join(Dossier).where(Dossier.code == fee_code)
        ).one()
        scanned = session.scalars(select(Dossier.id).where(Dossier.code == scan_code)).one()
        entries = session.scalars(
            select(OutboxEntry).where(
                (OutboxEntry.entity_id == payment)
                | ((OutboxEntry.entity_id == scanned) & (OutboxEntry.operation == "receive"))
            )
        )
        reasons = {
            payment: f"Phí, lệ phí của hồ sơ {fee_code} đã được thu tiền mặt lúc 09:12 "
            "16/11/2026 (cán bộ hung.lv, máy khác của đơn vị); khoản thu này không được ghi "
            "nhận, hãy hoàn lại cho công dân và hủy biên lai.",
            scanned: f"Máy chủ tỉnh chưa nhận đủ tệp đính kèm của hồ sơ {scan_code}.",
        }
        record_push_results(
            session,
            [PushOutcome(e.mutation_id, "rejected", reason=reasons[e.entity_id]) for e in entries],
        )


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = application()  # as the launcher sets it up: style, Qt's own strings in Vietnamese
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        store = Store.open(data_dir)
        clock = FixedClock(NOW)
        demo.fill(store, clock)
        services = CounterServices.open(store, clock, data_dir)

        login = LoginDialog(services)
        login.username.setText("lan.nt")
        login.password.setText("demo1234")
        settle(app, login)
        save(login, "login.png")
        login.close()

        services.user = log_in(store, "lan.nt", demo.DEMO_PASSWORD, services.context.unit_code, NOW)
        window = MainWindow(services)
        window.resize(1360, 820)
        settle(app, window)
        reception = window.pages["reception"]
        assert isinstance(reception, ReceptionScreen)
        reception.form.picker.field.setText("khai sinh")
        reception.form.picker.field.textEdited.emit("khai sinh")
        settle(app, window)
        save(window, "reception-search.png")
        reception.form.picker.choose_code("1.001193", "1.001193  ·  Đăng ký khai sinh")
        reception.form.checklist.tick_all()
        reception.form.cccd.setText("038190012345")
        reception.form.full_name.setText("Lê Thị Hồng")
        reception.form.date_of_birth.setText("02/09/1990")
        reception.form.sex.setCurrentIndex(2)
        reception.form.address.setText("Số 8 đường Trần Phú, phường Hạc Thành")
        reception.form.phone.setText("0912 345 678")
        reception.update_appointment()
        settle(app, window)
        save(window, "reception.png")

        window.navigation.setCurrentRow(1)
        listing = window.pages["dossiers"]
        assert isinstance(listing, DossierListWidget)
        listing.refresh()
        settle(app, window)
        save(window, "dossiers.png")

        code = listing.model.index(2, 0).data()
        window.open_dossier(str(code))
        detail = window.findChild(QWidget, "dossierDetail")
        assert detail is not None
        settle(app, detail)
        save(detail, "dossier-detail.png")
        detail.close()

        refuse_two_changes(store, clock, services.identity)
        window.open_sync_problems()
        problems = window.problems_dialog
        assert problems is not None
        settle(app, problems)
        save(problems, "sync-problems.png")
        problems.close()
        qt_own_strings(app, window, data_dir)
        services.runner.wait()
        store.close()
    return 0


def qt_own_strings(app: QApplication, window: MainWindow, folder: Path) -> None:
    """Qt's file dialog, a standard question and a text field's menu, as the window shows them."""
    existing = folder / "bien-nhan.pdf"
    existing.write_bytes(b"%PDF-1.4\n")
    # What "Lưu PDF…" in a print preview opens (QFileDialog.getSaveFileName, Qt's own dialog).
    dialog = QFileDialog(window, "Lưu PDF", str(existing), "Tệp PDF (*.pdf)")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.resize(760, 460)
    settle(app, dialog)
    save(dialog, "file-dialog.png")
    dialog.close()
    # The question Qt's dialog asks before replacing a file, with its standard buttons.
    question = QMessageBox(
        QMessageBox.Icon.Warning,
        "Lưu PDF",
        QApplication.translate(
            "QFileDialog", "%1 already exists.\nDo you want to replace it?"
        ).replace("%1", existing.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    settle(app, question)
    save(question, "file-overwrite.png")
    question.close()
    reception = window.pages["reception"]
    assert isinstance(reception, ReceptionScreen)
    menu = reception.form.full_name.createStandardContextMenu()
    settle(app, menu)
    save(menu, "text-menu.png")
    menu.close()


if __name__ == "__main__":
    raise SystemExit(main())
