"""The local store's tables, as typed SQLAlchemy 2.0 models.

Record ids are UUID strings made on the counter, so a dossier received offline
already has the id it will keep on the provincial server. Times are naive
Vietnam local time (ICT, UTC+7, no daylight saving): every rule of the working
calendar speaks local time, and ordering across devices uses the server's
sequence, never these clocks.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy import text as sa_text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from counter_app import limits
from counter_app.list_index import APPLICANT_NAME


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, Decimal: Numeric(8, 2)}


class Unit(Base):
    """An administrative unit (đơn vị), keyed by its electronic identifier code."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    parent_code: Mapped[str | None] = mapped_column(String(32))


class Device(Base):
    """A counter PC. Its slot partitions the unit's daily dossier numbers."""

    __tablename__ = "device"
    __table_args__ = (UniqueConstraint("unit_code", "slot"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"))
    slot: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100), default="")
    is_this_device: Mapped[bool] = mapped_column(Boolean, default=False)


class StaffUser(Base):
    """A member of staff who logs in at the counter (cán bộ)."""

    __tablename__ = "staff_user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(limits.USERNAME), unique=True)
    full_name: Mapped[str] = mapped_column(String(limits.PERSON_NAME))
    role: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Procedure(Base):
    """An administrative procedure of the catalog (thủ tục hành chính, TTHC)."""

    __tablename__ = "procedure"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(255), default="")
    level: Mapped[str] = mapped_column(String(16), default="commune")
    processing_amount: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    processing_unit: Mapped[str] = mapped_column(String(16))
    cutoff: Mapped[str | None] = mapped_column(String(5))
    fee_vnd: Mapped[int] = mapped_column(Integer, default=0)
    charge_vnd: Mapped[int] = mapped_column(Integer, default=0)
    fee_note: Mapped[str] = mapped_column(Text, default="")
    # How the amount is reckoned when it is not flat, e.g. per page of a certified copy
    # (counter_app.fee_schedule); None for the catalog's flat fee_vnd + charge_vnd.
    fee_schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    catalog_version: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    requirements: Mapped[list[Requirement]] = relationship(
        back_populates="procedure",
        order_by="Requirement.position",
        cascade="all, delete-orphan",
    )


# The catalog's full-text index (SQLite FTS5), kept by counter_app.catalog_index.
# Columns: the folded code, name and field, and the code as stored.
# Not a model: SQLAlchemy cannot declare a virtual table, so its DDL follows the
# procedure table's and the schema comparison leaves it (and FTS5's own shadow
# tables, named after it) out; see is_search_index_table.
PROCEDURE_SEARCH = "procedure_search"
PROCEDURE_SEARCH_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {PROCEDURE_SEARCH} USING fts5("
    "code, name, field, procedure_code UNINDEXED, "
    "tokenize = \"unicode61 remove_diacritics 2 tokenchars '.'\", prefix = '1 2 3')"
)


# The text recognised on scans (SQLite FTS5), kept by counter_app.ocr: the blob's
# hash and its folded text. Keyed by hash, not by dossier: one scan may serve
# several dossiers, and which ones is read from the documents at search time.
SCAN_TEXT = "scan_text"
SCAN_TEXT_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SCAN_TEXT} USING fts5("
    "sha256 UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
# The applicants' folded names (counter_app.list_index), with their content table.
SEARCH_INDEXES = (PROCEDURE_SEARCH, SCAN_TEXT, APPLICANT_NAME)


def is_search_index_table(name: str | None) -> bool:
    """Whether ``name`` is an FTS5 index or one of the shadow tables SQLite keeps for it."""
    if name is None:
        return False
    return any(name == index or name.startswith(index + "_") for index in SEARCH_INDEXES)


class Requirement(Base):
    """One required document of a procedure (thành phần hồ sơ)."""

    __tablename__ = "requirement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    procedure_code: Mapped[str] = mapped_column(ForeignKey("procedure.code"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(Integer, default=1)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    procedure: Mapped[Procedure] = relationship(back_populates="requirements")


class CalendarDay(Base):
    """A day the province declared off, or a make-up working day, overriding the law."""

    __tablename__ = "calendar_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255), default="")
    source: Mapped[str] = mapped_column(String(16), default="province")
    # The text that decides the day (a government letter, a provincial decision).
    basis: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # False while the province has not confirmed the day (announced in principle only).
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())


class OfficeHours(Base):
    """The office sessions of a working day, effective from a date on."""

    __tablename__ = "office_hours"

    effective_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sessions: Mapped[str] = mapped_column(String(64))


class Applicant(Base):
    """A person who files dossiers (người nộp hồ sơ), reused by citizen-ID number."""

    __tablename__ = "applicant"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    cccd: Mapped[str | None] = mapped_column(String(limits.CCCD), unique=True)
    full_name: Mapped[str] = mapped_column(String(limits.PERSON_NAME))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(limits.SEX))
    address: Mapped[str] = mapped_column(Text, default="")  # limits.ADDRESS, where typed
    phone: Mapped[str | None] = mapped_column(String(limits.PHONE))
    email: Mapped[str | None] = mapped_column(String(limits.EMAIL))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Dossier(Base):
    """A dossier (hồ sơ). A postal agent's draft has no code until a clerk receives it.

    ``status`` is a projection of the dossier's events, rewritten in the same
    transaction as every event so that lists and tallies need not replay them.
    """

    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_status_due", "status", "due_at"),
        Index("ix_dossier_received_at", "received_at"),
        Index("ix_dossier_procedure_received", "procedure_code", "received_at"),
        # Which result scans to fetch from the province; most dossiers have none.
        Index(
            "ix_dossier_result_sha256",
            "result_sha256",
            sqlite_where=sa_text("result_sha256 IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str | None] = mapped_column(String(limits.DOSSIER_CODE), unique=True)
    procedure_code: Mapped[str] = mapped_column(ForeignKey("procedure.code"))
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicant.id"), index=True)
    receiving_unit_code: Mapped[str] = mapped_column(String(32))
    competent_unit_code: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16), default="direct")
    return_method: Mapped[str] = mapped_column(String(16), default="counter")
    return_address: Mapped[str | None] = mapped_column(Text)
    sets_count: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(24))
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The appointment the result is judged against: ``first_due_at`` until a supplement
    # restarts the clock (see ``counter_app.appointments``).
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    first_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    extended_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    received_by: Mapped[str | None] = mapped_column(String(limits.USERNAME))
    drafted_by: Mapped[str | None] = mapped_column(String(limits.USERNAME))
    device_id: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Who filed the dossier on the applicant's behalf (người được ủy quyền), if anyone:
    # the 2025 forms 01 and 03 print both (MOH 3621/QĐ-BYT).
    representative_name: Mapped[str | None] = mapped_column(String(limits.PERSON_NAME))
    representative_cccd: Mapped[str | None] = mapped_column(String(12))
    representative_relation: Mapped[str | None] = mapped_column(String(limits.RELATION))
    # The scan of the result (kết quả giải quyết), kept in the blob store like a document's
    # (counter_app.result_scans): since when the result counts as digitized, and by whom.
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    result_digitized_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    result_digitized_by: Mapped[str | None] = mapped_column(String(limits.USERNAME))

    procedure: Mapped[Procedure] = relationship()
    applicant: Mapped[Applicant] = relationship()
    documents: Mapped[list[DossierDocument]] = relationship(
        back_populates="dossier", order_by="DossierDocument.position"
    )
    events: Mapped[list[DossierEvent]] = relationship(
        back_populates="dossier", order_by="DossierEvent.seq"
    )


class CounterGuidance(Base):
    """A dossier turned away at the counter before reception (forms 02 and 03 of 2025).

    An incomplete dossier gets the request to supplement (``kind`` "supplement",
    form 02), one outside the centre's competence or refused the refusal slip
    (``kind`` "refusal", form 03), without being received: no dossier code, not
    counted as received, but recorded so the day's tally can count it ("hướng
    dẫn", "từ chối tiếp nhận"). A record of this counter only: it is not synced.
    """

    __tablename__ = "counter_guidance"
    __table_args__ = (Index("ix_counter_guidance_at", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str] = mapped_column(String(32))
    competent_unit_code: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(36))
    procedure_code: Mapped[str] = mapped_column(ForeignKey("procedure.code"))
    applicant_id: Mapped[str] = mapped_column(ForeignKey("applicant.id"))
    # What the applicant must bring (form 02); empty for a refusal.
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    representative_name: Mapped[str | None] = mapped_column(String(limits.PERSON_NAME))
    representative_cccd: Mapped[str | None] = mapped_column(String(12))
    representative_relation: Mapped[str | None] = mapped_column(String(limits.RELATION))

    procedure: Mapped[Procedure] = relationship()
    applicant: Mapped[Applicant] = relationship()


class DossierDocument(Base):
    """One line of a dossier's checklist, copied from the procedure's requirement."""

    __tablename__ = "dossier_document"
    # The list's scan search asks which documents hold given scans; most hold none.
    __table_args__ = (
        Index(
            "ix_dossier_document_attachment",
            "attachment_sha256",
            sqlite_where=sa_text("attachment_sha256 IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossier.id"), index=True)
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirement.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(Integer, default=1)
    received: Mapped[bool] = mapped_column(Boolean, default=False)
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))
    # When the scan was linked to this document (not when its file was first stored: a scan
    # reused from an earlier dossier is older than its link). What "digitized at reception"
    # is judged on (counter_app.digitization_index).
    attached_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    dossier: Mapped[Dossier] = relationship(back_populates="documents")


class Attachment(Base):
    """A digitized document, stored once by its SHA-256 in the blob store."""

    __tablename__ = "attachment"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    media_type: Mapped[str] = mapped_column(String(64), default="application/pdf")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class BlobReceipt(Base):
    """The province's receipt for a scan this counter uploaded (``counter_app.blob_receipts``)."""

    __tablename__ = "blob_receipt"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    receipt: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ScanSignature(Base):
    """What the digital signatures of a stored scan proved when it was checked.

    Written when a signed PDF is attached, signed here or fetched from the
    province (``counter_app.signed_copies``); a scan with no signature has no
    row. The status is the one of these bytes, so a scan signed again is a new
    blob with a row of its own.
    """

    __tablename__ = "scan_signature"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # valid | invalid | untrusted
    signer: Mapped[str] = mapped_column(String(300), default="")
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    why: Mapped[str] = mapped_column(String(500), default="")
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime)


class DossierEvent(Base):
    """An append-only fact in a dossier's life; the status is derived from these."""

    __tablename__ = "dossier_event"
    __table_args__ = (
        UniqueConstraint("dossier_id", "seq"),
        # The newest event the server numbered, per dossier: what a pull sets the status from.
        Index("ix_dossier_event_dossier_server_seq", "dossier_id", "server_seq"),
        # The events since a period's start: what the tallies read. Not (kind, at): see
        # migration 0004.
        Index("ix_dossier_event_at", "at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # Indexed by the unique (dossier_id, seq) above; an index of its own was one more
    # B-tree to write per event (migration 0005).
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossier.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(limits.EVENT_KIND))
    status_after: Mapped[str] = mapped_column(String(limits.STATUS))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(limits.USERNAME))
    unit_code: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    server_seq: Mapped[int | None] = mapped_column(Integer)

    dossier: Mapped[Dossier] = relationship(back_populates="events")


class FeePayment(Base):
    """Money taken (or waived, with a reason) for a dossier's fee."""

    __tablename__ = "fee_payment"
    __table_args__ = (Index("ix_fee_payment_collected_at", "collected_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossier.id"), index=True)
    amount_vnd: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(limits.FEE_REFERENCE))
    exemption_reason: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(16))
    collected_at: Mapped[dt.datetime] = mapped_column(DateTime)
    collected_by: Mapped[str] = mapped_column(String(limits.USERNAME))
    pages: Mapped[int | None] = mapped_column(Integer)
    # The receipt now standing for this payment (counter_app.fee_receipts): a printed one's
    # form symbol, series and number, or an electronic one's provider number and look-up code.
    receipt_form: Mapped[str | None] = mapped_column(String(32))
    receipt_series: Mapped[str | None] = mapped_column(String(16))
    receipt_number: Mapped[int | None] = mapped_column(Integer)
    e_receipt_number: Mapped[str | None] = mapped_column(String(32))
    e_receipt_lookup: Mapped[str | None] = mapped_column(String(64))


class FeeReceipt(Base):
    """One number of a printed receipt series, kept for good: a spoiled one is marked cancelled.

    Not tied by a foreign key to its payment: a refunded payment leaves the store,
    its receipt's number stays, cancelled, so the series keeps no gap.
    """

    __tablename__ = "fee_receipt"
    __table_args__ = (
        UniqueConstraint("form_symbol", "series", "number"),
        Index("ix_fee_receipt_issued_at", "issued_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    form_symbol: Mapped[str] = mapped_column(String(32))
    series: Mapped[str] = mapped_column(String(16))
    number: Mapped[int] = mapped_column(Integer)
    payment_id: Mapped[str] = mapped_column(String(36), index=True)
    dossier_code: Mapped[str] = mapped_column(String(64))
    amount_vnd: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(64))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(64))
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class CodeSequence(Base):
    """The last dossier number this device gave out on a day, per unit."""

    __tablename__ = "code_sequence"

    unit_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class OutboxEntry(Base):
    """A local change waiting to be pushed, written in the same transaction as the change."""

    __tablename__ = "outbox_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    operation: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column()
    schema_version: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SyncCursor(Base):
    """Where the last pull stopped, and which server epoch that cursor belongs to."""

    __tablename__ = "sync_cursor"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), default="0")
    server_epoch: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SetAsideChange(Base):
    """A pulled change this counter could not store, kept instead of stopping every pull.

    The cursor moves past it; it is shown in the sync problems list, reported to
    the province once (``reported_at``), and tried again at every sync, so it
    leaves the list as soon as it can be stored.
    """

    __tablename__ = "sync_setaside"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    dossier_id: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, Any]] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class DossierDayCount(Base):
    """Received dossiers of one procedure (or all: ``list_index.ALL_PROCEDURES``), day and
    status: the list's counts without a scan.

    Kept by triggers on the dossier table (counter_app.list_index); never written
    by the services. A row may fall to zero and stay. Keyed procedure first, so
    one procedure's days (or all procedures' days) are one range, in day order.
    """

    __tablename__ = "dossier_day_count"
    __table_args__ = ({"sqlite_with_rowid": False},)

    procedure_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    status: Mapped[str] = mapped_column(String(24), primary_key=True)
    dossiers: Mapped[int] = mapped_column(Integer)


class AuditEntry(Base):
    """Who did what, when and on which PC: kept for the supervisor and the inspector."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


def _create_search_index(_table: Any, connection: Any, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(PROCEDURE_SEARCH_DDL)


def _drop_search_index(_table: Any, connection: Any, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {PROCEDURE_SEARCH}")


# create_all (the provincial server's scratch check of a catalog) makes the index too.
event.listen(Procedure.__table__, "after_create", _create_search_index)
event.listen(Procedure.__table__, "before_drop", _drop_search_index)


def _create_scan_text(_table: Any, connection: Any, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(SCAN_TEXT_DDL)


def _drop_scan_text(_table: Any, connection: Any, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SCAN_TEXT}")


event.listen(Attachment.__table__, "after_create", _create_scan_text)
event.listen(Attachment.__table__, "before_drop", _drop_scan_text)
