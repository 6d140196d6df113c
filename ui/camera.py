"""Photographing a paper with the PC's camera (QtMultimedia), kept apart from everything else.

Many counter PCs have no camera, or lack the system's multimedia libraries
that QtMultimedia loads; importing it can then fail outright. So the import
happens here, late, inside ``camera_problem``: the rest of the digitizing
screen works the same without it, and the person is told why there is no camera.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


def camera_problem() -> str | None:
    """None when a camera can be used; otherwise what is missing, in the clerk's words."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except (ImportError, OSError):
        return QCoreApplication.translate(
            "CaptureDialog",
            "Không dùng được camera: máy thiếu thư viện đa phương tiện của hệ thống. "
            "Hãy dùng máy scan hoặc chọn tệp ảnh.",
        )
    if not QMediaDevices.videoInputs():
        return QCoreApplication.translate(
            "CaptureDialog",
            "Không tìm thấy camera trên máy này. Hãy cắm camera rồi mở lại màn hình, "
            "hoặc dùng máy scan.",
        )
    return None


class CaptureDialog(QDialog):
    """Live view and a "Chụp" button; each shot is saved as a JPEG. Signals: captured(str path)."""

    captured = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.setWindowTitle(self.tr("Chụp ảnh giấy tờ"))
        self.folder = Path(tempfile.mkdtemp(prefix="counter-camera-"))
        self.session: Any = QMediaCaptureSession(self)
        self.camera: Any = QCamera(self)
        self.capture: Any = QImageCapture(self)
        view = QVideoWidget()
        view.setMinimumSize(640, 480)
        self.session.setCamera(self.camera)
        self.session.setImageCapture(self.capture)
        self.session.setVideoOutput(view)
        self.capture.imageSaved.connect(lambda _id, path: self.captured.emit(path))
        self.shots = 0
        shoot = QPushButton(self.tr("Chụp (Space)"))
        shoot.setObjectName("primary")
        shoot.setShortcut("Space")
        shoot.clicked.connect(self.shoot)
        done = QPushButton(self.tr("Xong"))
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Đặt giấy tờ phẳng, đủ sáng, chiếm gần hết khung hình.")))
        buttons.addStretch()
        buttons.addWidget(shoot)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        layout.addLayout(buttons)
        self.camera.start()

    def shoot(self) -> None:
        self.shots += 1
        self.capture.captureToFile(str(self.folder / f"chup-{self.shots:03d}.jpg"))

    def done(self, result: int) -> None:
        self.camera.stop()
        super().done(result)
