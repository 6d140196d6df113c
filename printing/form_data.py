"""What each printed form needs: the dossier's view plus what the clerk adds at print time.

Renderers take these frozen dataclasses and nothing else: no ORM object, no
session, no widget. So a form can be rendered on a worker thread, in a test,
or again a year later from the same data, and the GUI and the CLI fill the
same fields. The forms are those of Annex I of Circular 03/2025/TT-VPCP.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from counter_app.dossier_view import DossierView, EventLine
from counter_app.errors import ValidationError
from counter_app.timeliness import TIMELINESS_LABELS, Timeliness, classify

RECEIPT_COPIES = ("Liên 1: Giao người nộp hồ sơ", "Liên 2: Lưu kèm Phiếu kiểm soát")
COUNTER_BODY = "Bộ phận tiếp nhận và trả kết quả"
COUNTER_SHORT = "Bộ phận TN&TKQ"  # how the control slip's narrow column names the counter
HEAD_OF_AGENCY = "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"

EARLY, ON_TIME, LATE = (TIMELINESS_LABELS[t] for t in Timeliness)


class FormData(Protocol):
    """What every form's data has: the dossier, and where and when the form is printed."""

    @property
    def view(self) -> DossierView: ...

    @property
    def place_name(self) -> str: ...

    @property
    def parent_agency(self) -> str: ...

    @property
    def printed_at(self) -> dt.datetime: ...


def _require(**texts: str) -> None:
    missing = {field: "Chưa nhập nội dung." for field, text in texts.items() if not text.strip()}
    if missing:
        raise ValidationError(missing)


@dataclass(frozen=True)
class ReceiptForm:
    """Form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả: one page set per copy (liên)."""

    view: DossierView
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    copies: tuple[str, ...] = RECEIPT_COPIES

    def __post_init__(self) -> None:
        if not self.copies:
            raise ValidationError({"copies": "Cần in ít nhất một liên."})


@dataclass(frozen=True)
class SupplementForm:
    """Form 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: what to bring, and why."""

    view: DossierView
    items: tuple[str, ...]
    reason: str
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    officer_name: str = ""  # the guiding officer; the receiving clerk when empty
    contact_phone: str = ""

    def __post_init__(self) -> None:
        _require(reason=self.reason)
        if not any(item.strip() for item in self.items):
            raise ValidationError({"items": "Chưa nêu nội dung cần bổ sung, hoàn thiện."})

    @property
    def officer(self) -> str:
        return self.officer_name or self.view.received_by_name


@dataclass(frozen=True)
class RefusalForm:
    """Form 03, Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    view: DossierView
    reason: str
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    officer_name: str = ""

    def __post_init__(self) -> None:
        _require(reason=self.reason)

    @property
    def officer(self) -> str:
        return self.officer_name or self.view.received_by_name


@dataclass(frozen=True)
class ExtensionForm:
    """Form 04, Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết: the new appointment."""

    view: DossierView
    reason: str
    new_due_at: dt.datetime
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    document_number: str = ""  # số văn bản; left to be written by hand when empty
    signer_title: str = HEAD_OF_AGENCY
    signer_name: str = ""

    def __post_init__(self) -> None:
        _require(reason=self.reason)
        if self.new_due_at <= self.view.due_at:
            raise ValidationError(
                {"new_due_at": "Ngày hẹn mới phải sau thời gian hẹn trả kết quả đã ghi."}
            )


@dataclass(frozen=True)
class StopForm:
    """Form 05, Thông báo dừng giải quyết hồ sơ."""

    view: DossierView
    reason: str
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    document_number: str = ""
    signer_title: str = HEAD_OF_AGENCY
    signer_name: str = ""

    def __post_init__(self) -> None:
        _require(reason=self.reason)


@dataclass(frozen=True)
class HandoverRow:
    """One line of the control slip: who gave the dossier to whom, when, and how it went."""

    giver_body: str
    receiver_body: str
    at: dt.datetime | None = None
    giver: str = ""
    receiver: str = ""
    result: str = ""  # Trước hạn / Đúng hạn / Quá hạn, for the steps that release a result
    note: str = ""


@dataclass(frozen=True)
class ControlSlipForm:
    """Form 06, Phiếu kiểm soát quá trình giải quyết hồ sơ, with room to write more by hand."""

    view: DossierView
    rows: tuple[HandoverRow, ...]
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    blank_rows: int = 4


def timeliness(done_at: dt.datetime, due_at: dt.datetime) -> str:
    """Trước hạn, Đúng hạn or Quá hạn, by the core's rule (counter_app.timeliness)."""
    return TIMELINESS_LABELS[classify(done_at, due_at)]


def handover_rows(view: DossierView) -> tuple[HandoverRow, ...]:
    """The control slip's rows as far as the dossier's events tell them.

    The counter gives the dossier to the competent unit, gets it back for a
    supplement or with the result, and hands the result to the applicant. The one
    person an event names stands on the counter's side of the hand-over.
    """
    counter = COUNTER_SHORT
    if view.boundary_free:
        counter += f" {view.receiving_unit.name}"
    unit = view.competent_unit.name
    rows: list[HandoverRow] = []
    for event in view.events:
        actor = _person(view, event)
        if event.kind in ("processing_started", "supplement_received"):
            rows.append(HandoverRow(counter, unit, event.at, giver=actor, note=_note(event)))
        elif event.kind in ("supplement_requested", "rejected"):
            rows.append(HandoverRow(unit, counter, event.at, receiver=actor, note=_note(event)))
        elif event.kind == "result_ready":
            result = timeliness(event.at, view.due_at)
            rows.append(
                HandoverRow(unit, counter, event.at, receiver=actor, result=result, note=event.note)
            )
        elif event.kind in ("returned", "withdrawn"):
            applicant = view.applicant.full_name
            result = _returned_timeliness(event, view) if event.kind == "returned" else ""
            rows.append(
                HandoverRow(
                    counter,
                    applicant,
                    event.at,
                    giver=actor,
                    receiver=applicant,
                    result=result,
                    note=_note(event),
                )
            )
    return tuple(rows)


def _returned_timeliness(event: EventLine, view: DossierView) -> str:
    """As the return recorded it (judged when the result was released), else by its time."""
    recorded = event.data.get("timeliness")
    if recorded in set(Timeliness):
        return TIMELINESS_LABELS[Timeliness(recorded)]
    return timeliness(event.at, view.due_at)


def _person(view: DossierView, event: EventLine) -> str:
    return event.actor_name


def _note(event: EventLine) -> str:
    return f"{event.label}: {event.note}" if event.note else event.label
