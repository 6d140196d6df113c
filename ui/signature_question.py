"""The question a screen asks when a PDF given to it carries a broken signature.

Nothing is stored until the person answers: keep the file all the same (the
broken signature is recorded and shown) or not. The words are the asking
screen's own, translated there; this module only builds the box.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from counter_app.signed_copies import InvalidSignature


def ask_about_signature(
    parent: QWidget,
    error: InvalidSignature,
    *,
    title: str,
    explanation: str,
    keep: str,
    stop: str,
    on_keep: Callable[[], None],
) -> QMessageBox:
    """Open (not exec) the warning ``signatureQuestion``; ``on_keep`` runs on "keep".

    "Stop" is the default button: a broken signature is not kept by a stray Enter.
    """
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title,
        " ".join(status.describe(name) for name, status in error.statuses.items()),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("signatureQuestion")
    box.setInformativeText(explanation)
    keep_button = box.addButton(keep, QMessageBox.ButtonRole.AcceptRole)
    keep_button.setObjectName("signatureKeep")
    stop_button = box.addButton(stop, QMessageBox.ButtonRole.RejectRole)
    stop_button.setObjectName("signatureStop")
    box.setDefaultButton(stop_button)
    box.buttonClicked.connect(lambda button: on_keep() if button is keep_button else None)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
