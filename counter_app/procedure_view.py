"""A procedure of the catalog as the screens and forms read it, detached from the session.

Apart from ``counter_app.catalog`` (import and search, on the models) so a
dossier's read view can name its procedure without loading SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from counter_app.fee_schedule import FeeSchedule
from counter_app.workdays import WORKING_HOUR

DOCUMENT_FORMS = {
    "original": "Bản chính",
    "copy": "Bản sao",
    "certified_copy": "Bản sao có chứng thực",
    "original_or_certified_copy": "Bản chính hoặc bản sao có chứng thực",
}


@dataclass(frozen=True)
class RequirementInfo:
    id: int
    position: int
    name: str
    form: str
    count: int
    mandatory: bool

    @property
    def form_label(self) -> str:
        return DOCUMENT_FORMS.get(self.form, self.form)


@dataclass(frozen=True)
class ProcedureInfo:
    """A procedure as the screens and forms need it, detached from the session."""

    code: str
    name: str
    field: str
    processing_amount: Decimal
    processing_unit: str
    cutoff: dt.time | None
    fee_vnd: int
    charge_vnd: int
    fee_note: str
    requirements: tuple[RequirementInfo, ...]
    fee_schedule: FeeSchedule | None = None

    @property
    def processing_label(self) -> str:
        amount = f"{self.processing_amount.normalize():f}".replace(".", ",")
        if self.processing_unit == WORKING_HOUR:
            return f"{amount} giờ làm việc"
        if self.processing_amount == 0:
            return "Trong ngày" + (f" (nhận trước {self.cutoff:%H:%M})" if self.cutoff else "")
        return f"{amount} ngày làm việc"
