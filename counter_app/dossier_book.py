"""The dossier book (Sổ theo dõi hồ sơ, form 07): one line per dossier received, in order.

The book follows each dossier from the counter to the competent body and back:
when it was received, its appointment, when it went to the body that decides,
when the result came back, how the applicant takes it ("Phương thức nhận kết
quả") and when (and to whom) it was handed over. Those
moments are the first events of each kind, read per dossier on the
(dossier_id, seq) index; the dossiers of the range come off
``ix_dossier_received_at`` in the order they were received.

The 2025 book is kept per field (lĩnh vực) of the procedures (MOH 3621/QĐ-BYT
reproducing the forms), so a book can be loaded for one field only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from counter_app.dossier_view import RETURN_LABELS
from counter_app.errors import ValidationError
from counter_app.fees import METHOD_LABELS
from counter_app.lifecycle import Status
from counter_app.models import Applicant, Dossier, DossierEvent, FeePayment, Procedure, Unit
from counter_app.text import fold
from counter_app.timeliness import TIMELINESS_LABELS, classify

CLOSED_NOTES = {
    Status.REJECTED.value: "Từ chối",
    Status.WITHDRAWN.value: "Rút hồ sơ",
    Status.STOPPED.value: "Dừng giải quyết",
    Status.SUPPLEMENT_REQUESTED.value: "Chờ bổ sung",
}


@dataclass(frozen=True)
class BookLine:
    """One line of the book; the moments are None until they happen."""

    number: int
    code: str
    procedure_name: str
    sets_count: int
    applicant_name: str
    address: str
    phone: str | None
    competent_unit: str
    received_at: dt.datetime
    due_at: dt.datetime
    forwarded_at: dt.datetime | None
    result_at: dt.datetime | None
    returned_at: dt.datetime | None
    returned_to: str
    note: str
    # See counter_app.appointments: the first receipt's appointment and the apology's.
    first_due_at: dt.datetime | None = None
    extended_due_at: dt.datetime | None = None
    # Phương thức nhận kết quả: as handed over once returned, else as registered.
    return_method: str = ""

    @property
    def return_label(self) -> str:
        return RETURN_LABELS.get(self.return_method, self.return_method)


@dataclass(frozen=True)
class DossierBook:
    unit_code: str
    unit_name: str
    first: dt.date
    last: dt.date
    lines: tuple[BookLine, ...]
    field: str = ""  # the field (lĩnh vực) the book is kept for; every field when empty

    @property
    def period_label(self) -> str:
        if self.first == self.last:
            return f"Ngày {self.first:%d/%m/%Y}"
        return f"Từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"


def _first(kind: str) -> Any:
    event = aliased(DossierEvent)
    return (
        select(event.at)
        .where(event.dossier_id == Dossier.id, event.kind == kind)
        .order_by(event.seq)
        .limit(1)
        .scalar_subquery()
    )


def _returned_data() -> Any:
    event = aliased(DossierEvent)
    return (
        select(event.data)
        .where(event.dossier_id == Dossier.id, event.kind == "returned")
        .order_by(event.seq.desc())
        .limit(1)
        .scalar_subquery()
    )


def _note(
    status: str, due_at: dt.datetime, result_at: dt.datetime | None, data: Any, fee: Any
) -> str:
    """Ghi chú: how the dossier ended (or waits), the post's item number, the fee taken."""
    parts: list[str] = []
    if result_at is not None:
        parts.append(TIMELINESS_LABELS[classify(result_at, due_at)])
    elif status in CLOSED_NOTES:
        parts.append(CLOSED_NOTES[status])
    if isinstance(data, dict):
        if data.get("method") == "post" and data.get("tracking_number"):
            parts.append(f"Trả qua bưu chính, mã {data['tracking_number']}")
        elif data.get("representative"):
            parts.append("Người được ủy quyền nhận")
    if fee is not None:
        method, amount = fee
        if method == "exempt":
            parts.append("Miễn phí, lệ phí")
        else:
            parts.append(f"Đã thu {amount:,} đ ({METHOD_LABELS[method].lower()})".replace(",", "."))
    return "; ".join(parts)


def book_fields(session: Session) -> list[str]:
    """The fields (lĩnh vực) of the catalog's procedures, to choose a book by."""
    rows = session.scalars(select(Procedure.field).where(Procedure.field != "").distinct())
    return sorted(set(rows), key=fold)


def resolve_field(session: Session, typed: str) -> str:
    """The catalog's field that ``typed`` names, ignoring case and diacritics."""
    fields = book_fields(session)
    for name in fields:
        if fold(name) == fold(typed):
            return name
    known = "; ".join(fields) or "(danh mục chưa có lĩnh vực nào)"
    raise ValidationError(
        {"--field": f"Không có lĩnh vực “{typed.strip()}” trong danh mục; các lĩnh vực: {known}."}
    )


def load_book(
    session: Session, unit_code: str, first: dt.date, last: dt.date, field: str = ""
) -> DossierBook:
    """The book of ``unit_code`` for dossiers received from ``first`` to ``last`` inclusive,
    of procedures of ``field`` only when it is given (the 2025 book is kept per field)."""
    if last < first:
        first, last = last, first
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    competent = aliased(Unit)
    fee = aliased(FeePayment)
    fee_method = select(fee.method).where(fee.dossier_id == Dossier.id).limit(1).scalar_subquery()
    fee_amount = (
        select(func.sum(fee.amount_vnd)).where(fee.dossier_id == Dossier.id).scalar_subquery()
    )
    rows = session.execute(
        select(
            Dossier.code,
            Procedure.name,
            Dossier.sets_count,
            Applicant.full_name,
            Applicant.address,
            Applicant.phone,
            func.coalesce(competent.name, Dossier.competent_unit_code),
            Dossier.received_at,
            Dossier.due_at,
            Dossier.status,
            _first("processing_started"),
            _first("result_ready"),
            _first("returned"),
            _returned_data(),
            fee_method,
            fee_amount,
            Dossier.first_due_at,
            Dossier.extended_due_at,
            Dossier.return_method,
        )
        .join(Procedure, Procedure.code == Dossier.procedure_code)
        .join(Applicant, Applicant.id == Dossier.applicant_id)
        .outerjoin(competent, competent.code == Dossier.competent_unit_code)
        .where(
            Dossier.received_at >= start,
            Dossier.received_at < end,
            Dossier.receiving_unit_code == unit_code,
            *([Procedure.field == field] if field else []),
        )
        .order_by(Dossier.received_at, Dossier.code)
    )
    lines = []
    for number, row in enumerate(rows, start=1):
        (code, procedure, sets, name, address, phone, body, received, due, status) = row[:10]
        assert code is not None and received is not None and due is not None
        rest = row[10:]
        forwarded, result, returned, data, method, amount, first_due, extended, registered = rest
        data = data if isinstance(data, dict) else {}
        taken_by = str(data.get("method") or "") if returned else ""
        lines.append(
            BookLine(
                number=number,
                code=code,
                procedure_name=procedure,
                sets_count=sets,
                applicant_name=name,
                address=address,
                phone=phone,
                competent_unit=body,
                received_at=received,
                due_at=due,
                forwarded_at=_moment(forwarded),
                result_at=_moment(result),
                returned_at=_moment(returned),
                returned_to=str(data.get("recipient") or "") if returned else "",
                note=_note(
                    status, due, _moment(result), data, (method, amount) if method else None
                ),
                first_due_at=first_due,
                extended_due_at=extended,
                return_method=taken_by or registered,
            )
        )
    unit = session.get(Unit, unit_code)
    return DossierBook(
        unit_code, unit.name if unit else unit_code, first, last, tuple(lines), field
    )


def _moment(value: Any) -> dt.datetime | None:
    """Scalar subqueries come back as the stored text; the columns as datetimes."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
