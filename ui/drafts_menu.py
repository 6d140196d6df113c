"""The "Hồ sơ nháp" menu: the postal agents' drafts, newest first, filled as it opens.

Shared by the reception and digitizing screens, which differ only in what
opening a draft does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QWidget

from counter_app.reception import ReceptionService


class DraftsMenu(QMenu):
    """Lists the drafts each time it is about to show; choosing one calls ``open_draft(id)``."""

    def __init__(
        self,
        reception: ReceptionService,
        open_draft: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.reception = reception
        self.open_draft = open_draft
        self.aboutToShow.connect(self.fill)

    def fill(self) -> None:
        self.clear()
        drafts = self.reception.drafts()
        if not drafts:
            self.addAction(self.tr("Không có hồ sơ nháp")).setEnabled(False)
        for draft_id, procedure, person, created in drafts:
            action = self.addAction(f"{created:%d/%m %H:%M} · {person} · {procedure}")
            action.triggered.connect(lambda _checked=False, d=draft_id: self.open_draft(d))
