"""The framed sections the screens are built of, drawn as cards by the style sheet.

Made in one place so that every screen's sections share their margins, spacing
and heading, and a change of look is made once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def make_card(title: str = "") -> tuple[QFrame, QVBoxLayout]:
    """A card and its column, headed by ``title`` when there is one."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 12, 14, 12)
    layout.setSpacing(8)
    if title:
        layout.addWidget(section_title(title))
    return frame, layout
