"""Error lines beside form fields, keyed like the services' ValidationError fields.

Each form keeps a ``dict`` of its error labels by field key; these helpers
build a field with its label under it, show a ValidationError's messages
beside their fields, and hand back the ones no field of the form claims.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def with_error_line(widget: QWidget, key: str, labels: dict[str, QLabel]) -> QWidget:
    """``widget`` with a hidden error label under it, registered in ``labels`` as ``key``."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    column.addWidget(label)
    labels[key] = label
    return box


def show_field_errors(labels: Mapping[str, QLabel], errors: Mapping[str, str]) -> dict[str, str]:
    """Show each message beside its field; return those that have no field here."""
    unplaced = {}
    for key, message in errors.items():
        label = labels.get(key)
        if label is None:
            unplaced[key] = message
        else:
            label.setText(message)
            label.show()
    return unplaced


def hide_field_errors(labels: Mapping[str, QLabel]) -> None:
    for label in labels.values():
        label.hide()
