"""A dossier as people read it: the detail screen and every printed form use this view.

Plain frozen data, detached from the session, so a form can be rendered on
another thread and a screen can keep it after its session closed.

The view is read by plain SQL on the DB-API connection (``read_dossier_view``):
the window passes its session's connection (``load_dossier_view``), and a
command that only prints a dossier passes one from ``counter_app.store_read``,
so printing a receipt loads neither SQLAlchemy nor the models. The SQL reads
the columns as the models store them (``counter_app.models``): times and dates
as ISO text, JSON as text, booleans as 0/1, Numeric(8, 2) as a number.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from counter_app.codes import parse_code
from counter_app.errors import NotFound
from counter_app.fee_schedule import FeeSchedule, schedule_of
from counter_app.lifecycle import RESULT_STATUSES, STATUS_LABELS, Status
from counter_app.procedure_view import DOCUMENT_FORMS, ProcedureInfo
from counter_app.workdays import parse_time

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

EVENT_LABELS = {
    "drafted": "Lập hồ sơ nháp",
    "received": "Tiếp nhận hồ sơ",
    "processing_started": "Chuyển xử lý",
    "supplement_requested": "Yêu cầu bổ sung",
    "supplement_received": "Nhận hồ sơ bổ sung",
    "result_ready": "Có kết quả",
    "returned": "Trả kết quả",
    "rejected": "Từ chối",
    "withdrawn": "Rút hồ sơ",
    "stopped": "Dừng giải quyết",
    "extended": "Xin lỗi, hẹn lại ngày trả",
}
CHANNEL_LABELS = {"direct": "Trực tiếp", "postal": "Qua bưu chính công ích", "online": "Trực tuyến"}
RETURN_LABELS = {"counter": "Tại Bộ phận Một cửa", "post": "Qua dịch vụ bưu chính công ích"}


@dataclass(frozen=True)
class UnitView:
    code: str
    name: str


@dataclass(frozen=True)
class ApplicantView:
    full_name: str
    cccd: str | None
    date_of_birth: dt.date | None
    sex: str | None
    address: str
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class RepresentativeView:
    """Who filed on the applicant's behalf (người được ủy quyền), printed beside them."""

    full_name: str
    cccd: str | None
    relation: str


@dataclass(frozen=True)
class DocumentLine:
    position: int
    name: str
    form: str
    count: int
    received: bool
    attachment_sha256: str | None

    @property
    def form_label(self) -> str:
        return DOCUMENT_FORMS.get(self.form, self.form)


@dataclass(frozen=True)
class ResultScanLine:
    """The scan of the dossier's result (counter_app.result_scans), as the detail shows it."""

    sha256: str
    digitized_at: dt.datetime | None
    digitized_by: str | None
    page_count: int | None  # None: named by the province, not fetched to this PC yet


@dataclass(frozen=True)
class EventLine:
    seq: int
    kind: str
    status_after: str
    at: dt.datetime
    actor: str
    actor_name: str
    unit_code: str
    note: str
    data: Mapping[str, Any]

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class DossierView:
    """Everything known about one dossier, in the words of the forms."""

    id: str
    code: str
    status: str
    procedure_code: str
    procedure_name: str
    procedure_field: str
    processing_label: str
    processing_amount: Decimal
    processing_unit: str
    fee_vnd: int
    charge_vnd: int
    fee_note: str
    receiving_unit: UnitView
    competent_unit: UnitView
    channel: str
    return_method: str
    return_address: str | None
    sets_count: int
    received_at: dt.datetime
    due_at: dt.datetime
    received_by: str
    received_by_name: str
    applicant: ApplicantView
    documents: tuple[DocumentLine, ...]
    events: tuple[EventLine, ...]
    book_volume: str
    book_entry: int
    note: str
    # See counter_app.appointments: the first receipt's appointment, and the apology's.
    first_due_at: dt.datetime | None = None
    extended_due_at: dt.datetime | None = None
    representative: RepresentativeView | None = None
    fee_schedule: FeeSchedule | None = None  # a fee reckoned per page, for the receipt
    result_scan: ResultScanLine | None = None

    @property
    def supplement_received_at(self) -> dt.datetime | None:
        """When the newest supplement restarted the clock; None if none did."""
        for event in reversed(self.events):
            if event.kind == "supplement_received":
                return event.at
        return None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(Status(self.status), self.status)

    @property
    def has_result(self) -> bool:
        """Whether the dossier has a result yet, which only then can have a scan."""
        return Status(self.status) in RESULT_STATUSES

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def return_label(self) -> str:
        return RETURN_LABELS.get(self.return_method, self.return_method)

    @property
    def boundary_free(self) -> bool:
        return self.receiving_unit.code != self.competent_unit.code


class ProcedureFields(TypedDict):
    procedure_code: str
    procedure_name: str
    procedure_field: str
    processing_label: str
    processing_amount: Decimal
    processing_unit: str
    fee_vnd: int
    charge_vnd: int
    fee_note: str
    fee_schedule: FeeSchedule | None


def procedure_fields(procedure: ProcedureInfo) -> ProcedureFields:
    """The procedure's part of a view: a received dossier's and a guidance record's alike."""
    return {
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "procedure_field": procedure.field,
        "processing_label": procedure.processing_label,
        "processing_amount": procedure.processing_amount,
        "processing_unit": procedure.processing_unit,
        "fee_vnd": procedure.fee_vnd,
        "charge_vnd": procedure.charge_vnd,
        "fee_note": procedure.fee_note,
        "fee_schedule": procedure.fee_schedule,
    }


def load_dossier_view(session: Session, code: str) -> DossierView:
    """The view of the dossier with this code, read on the session's own connection.

    Flushed first, so a view taken inside a write transaction sees what it changed.
    """
    session.flush()
    connection = session.connection().connection.driver_connection
    assert isinstance(connection, sqlite3.Connection)  # the counter's store is SQLite
    return read_dossier_view(connection, code)


_DOSSIER_COLUMNS = (
    "id, code, status, procedure_code, applicant_id, receiving_unit_code, competent_unit_code, "
    "channel, return_method, return_address, sets_count, received_at, due_at, first_due_at, "
    "extended_due_at, received_by, note, representative_name, representative_cccd, "
    "representative_relation, result_sha256, result_digitized_at, result_digitized_by"
)
_PROCEDURE_COLUMNS = (
    "code, name, field, processing_amount, processing_unit, cutoff, fee_vnd, charge_vnd, "
    "fee_note, fee_schedule"
)


def read_dossier_view(db: sqlite3.Connection, code: str) -> DossierView:
    """The view of the dossier with this code; NotFound when there is none (or only a draft).

    ``db`` is a DB-API connection to the store, in a transaction the caller holds.
    """
    found = _row(db, f"SELECT {_DOSSIER_COLUMNS} FROM dossier WHERE code = ?", code.strip().upper())
    if found is None:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code.strip()}.")
    dossier = dict(found)
    assert dossier["code"] and dossier["received_at"] and dossier["due_at"]
    assert dossier["received_by"]
    procedure = _procedure(db, dossier["procedure_code"])
    person = _row(
        db,
        "SELECT full_name, cccd, date_of_birth, sex, address, phone, email FROM applicant "
        "WHERE id = ?",
        dossier["applicant_id"],
    )
    assert person is not None
    documents = db.execute(
        "SELECT position, name, form, count, received, attachment_sha256 FROM dossier_document "
        "WHERE dossier_id = ? ORDER BY position",
        (dossier["id"],),
    ).fetchall()
    events = db.execute(
        "SELECT seq, kind, status_after, at, actor, unit_code, note, data FROM dossier_event "
        "WHERE dossier_id = ? ORDER BY seq",
        (dossier["id"],),
    ).fetchall()
    actors = sorted({dossier["received_by"]} | {row[4] for row in events})
    names = dict(
        db.execute(
            "SELECT username, full_name FROM staff_user "
            f"WHERE username IN ({', '.join('?' * len(actors))})",
            actors,
        ).fetchall()
    )
    received_at = _datetime(dossier["received_at"])
    due_at = _datetime(dossier["due_at"])
    slot, entry = _book_line(db, dossier["code"])
    return DossierView(
        id=dossier["id"],
        code=dossier["code"],
        status=dossier["status"],
        **procedure_fields(procedure),
        receiving_unit=_unit(db, dossier["receiving_unit_code"]),
        competent_unit=_unit(db, dossier["competent_unit_code"]),
        channel=dossier["channel"],
        return_method=dossier["return_method"],
        return_address=dossier["return_address"],
        sets_count=dossier["sets_count"],
        received_at=received_at,
        due_at=due_at,
        received_by=dossier["received_by"],
        received_by_name=names.get(dossier["received_by"], dossier["received_by"]),
        applicant=ApplicantView(
            person["full_name"],
            person["cccd"],
            _date(person["date_of_birth"]),
            person["sex"],
            person["address"],
            person["phone"],
            person["email"],
        ),
        documents=tuple(
            DocumentLine(position, name, form, count, bool(received), sha256)
            for position, name, form, count, received, sha256 in documents
        ),
        events=tuple(
            EventLine(
                seq,
                kind,
                status_after,
                _datetime(at),
                actor,
                names.get(actor, actor),
                unit_code,
                note,
                dict(json.loads(data)),
            )
            for seq, kind, status_after, at, actor, unit_code, note, data in events
        ),
        book_volume=f"{received_at.year}/Q{slot}",
        book_entry=entry,
        note=dossier["note"],
        first_due_at=_datetime(dossier["first_due_at"]) if dossier["first_due_at"] else due_at,
        extended_due_at=(
            _datetime(dossier["extended_due_at"]) if dossier["extended_due_at"] else None
        ),
        representative=(
            RepresentativeView(
                dossier["representative_name"],
                dossier["representative_cccd"],
                dossier["representative_relation"] or "",
            )
            if dossier["representative_name"]
            else None
        ),
        result_scan=_result_scan(db, dossier),
    )


def _result_scan(db: sqlite3.Connection, dossier: dict[str, Any]) -> ResultScanLine | None:
    sha256 = dossier["result_sha256"]
    if not sha256:
        return None
    row = db.execute("SELECT page_count FROM attachment WHERE sha256 = ?", (sha256,)).fetchone()
    at = dossier["result_digitized_at"]
    return ResultScanLine(
        sha256,
        _datetime(at) if at else None,
        dossier["result_digitized_by"],
        row[0] if row else None,
    )


def _row(db: sqlite3.Connection, sql: str, *parameters: object) -> dict[str, Any] | None:
    """One row as a mapping of its column names, or None."""
    cursor = db.execute(sql, parameters)
    row = cursor.fetchone()
    if row is None:
        return None
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


def _procedure(db: sqlite3.Connection, code: str) -> ProcedureInfo:
    """The procedure's part of the view; its checklist is the dossier's own, not read here."""
    row = _row(db, f"SELECT {_PROCEDURE_COLUMNS} FROM procedure WHERE code = ?", code)
    assert row is not None  # a foreign key of the dossier
    schedule = json.loads(row["fee_schedule"]) if row["fee_schedule"] is not None else None
    return ProcedureInfo(
        code=row["code"],
        name=row["name"],
        field=row["field"],
        # As SQLAlchemy reads Numeric(8, 2) from SQLite: the number to two decimals.
        processing_amount=Decimal(f"{row['processing_amount']:.2f}"),
        processing_unit=row["processing_unit"],
        cutoff=parse_time(row["cutoff"]) if row["cutoff"] else None,
        fee_vnd=row["fee_vnd"],
        charge_vnd=row["charge_vnd"],
        fee_note=row["fee_note"],
        requirements=(),
        fee_schedule=schedule_of(schedule),
    )


def _unit(db: sqlite3.Connection, code: str) -> UnitView:
    found = db.execute("SELECT name FROM unit WHERE code = ?", (code,)).fetchone()
    return UnitView(code, found[0] if found else code)


def _datetime(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _book_line(db: sqlite3.Connection, code: str) -> tuple[int, int]:
    """The dossier's slot and its line in the dossier book (sổ theo dõi hồ sơ).

    The book is kept per counter and year, so the line is the number of dossiers
    the counter's slot received earlier that year plus this one's number of the
    day. The daily sequences are gap-free, so their sum counts those dossiers
    without reading a single dossier row, however big the store.
    """
    parsed = parse_code(code)
    if parsed is None or parsed.central_system is not None:
        # A dossier pulled from a central system (Circular 04/2025 code) is in no
        # counter's book; its line is the central system's number of the day.
        return 0, parsed.number if parsed is not None else 0
    (earlier,) = db.execute(
        "SELECT coalesce(sum(last_number), 0) FROM code_sequence "
        "WHERE unit_code = ? AND slot = ? AND day >= ? AND day < ?",
        (
            parsed.unit_code,
            parsed.slot,
            dt.date(parsed.day.year, 1, 1).isoformat(),
            parsed.day.isoformat(),
        ),
    ).fetchone()
    return parsed.slot, int(earlier or 0) + parsed.number - parsed.slot * 1000
