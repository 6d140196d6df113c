"""The counter's main window: the frame the counter screens will live in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget
from sqlalchemy import func, select

from counter_app.clock import Clock
from counter_app.errors import NotInitialised
from counter_app.installation import load_context
from counter_app.models import Dossier
from counter_app.outbox import pending_count
from counter_app.store import Store


class MainWindow(QMainWindow):
    """Shows which counter this is and what the store holds. Signals: none yet."""

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.setWindowTitle(self.tr("Một cửa — Ward Counter"))
        self.resize(1100, 720)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.headline = QLabel()
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setStyleSheet("font-size: 22px; font-weight: 600;")
        self.details = QLabel()
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch()
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addStretch()
        self.setCentralWidget(body)
        self.refresh()

    def refresh(self) -> None:
        with self.store.read() as session:
            try:
                context = load_context(session)
            except NotInitialised as exc:
                self.headline.setText(self.tr("Chưa khởi tạo"))
                self.details.setText(str(exc))
                return
            dossiers = session.scalar(select(func.count()).select_from(Dossier)) or 0
            waiting = pending_count(session)
        self.headline.setText(context.unit_name)
        self.details.setText(
            self.tr("Mã đơn vị {code} · Máy số {slot} · {count} hồ sơ").format(
                code=context.unit_code, slot=context.slot, count=dossiers
            )
        )
        self.statusBar().showMessage(
            self.tr("{unit} · {waiting} thay đổi chờ đồng bộ").format(
                unit=context.unit_code, waiting=waiting
            )
        )
