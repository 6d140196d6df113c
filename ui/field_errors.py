"""Error lines beside form fields, keyed like the services' ValidationError fields.

Each form keeps a ``dict`` of its error labels by field key; these helpers
build a field with its label under it, show a ValidationError's messages
beside their fields, and hand back the ones no field of the form claims.
A field's error goes away the moment the field is changed: the person sees
every problem at once and watches each one clear as they fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)


def on_change(widget: QWidget, callback: Callable[[], None]) -> bool:
    """Call ``callback`` whenever the person changes what ``widget`` holds; False if unknown.

    ``callback`` should be a bound method of a QObject: Qt then drops the
    connection when that object goes, so a field emptied while its form is torn
    down never calls into a half-destroyed form.
    """
    if isinstance(widget, QLineEdit):
        widget.textChanged.connect(callback)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(callback)
        if widget.isEditable():
            widget.editTextChanged.connect(callback)
    elif isinstance(widget, QSpinBox | QDoubleSpinBox):
        widget.valueChanged.connect(callback)
    elif isinstance(widget, QDateTimeEdit):
        widget.dateTimeChanged.connect(callback)
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.textChanged.connect(callback)
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(callback)
    elif isinstance(widget, QAbstractSpinBox):
        widget.editingFinished.connect(callback)
    else:
        return False
    return True


def with_error_line(widget: QWidget, key: str, labels: dict[str, QLabel]) -> QWidget:
    """``widget`` with a hidden error label under it, registered in ``labels`` as ``key``.

    The label hides again as soon as ``widget`` (or, for a row of widgets, any
    input in it) is changed.
    """
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
    if not on_change(widget, label.hide):
        for child in widget.findChildren(QWidget):
            on_change(child, label.hide)
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
