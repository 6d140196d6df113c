"""The provincial server's tables: its own schema, separate from the counter's.

The change log is the heart of it: every change a counter may pull gets a
number (``seq``) no later commit goes below (changes.py), and
``change_audience`` says which units may see it, so a pull is one index
range scan per unit. A boundary-free dossier's changes are addressed to both
its receiving and its competent unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from counter_app import limits


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class ServerMeta(Base):
    """Settings of this database, e.g. its epoch (new after a restore from backup)."""

    __tablename__ = "server_meta"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


class SeqCounter(Base):
    """SQLite's last change number given out (PostgreSQL numbers from a sequence, changes.py)."""

    __tablename__ = "seq_counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ServerUnit(Base):
    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))


class ServerDevice(Base):
    """A counter PC: first a one-time enrolment code, then a device token (hashes only)."""

    __tablename__ = "device"
    __table_args__ = (Index("ix_device_unit_slot", "unit_code", "slot"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(32))
    slot: Mapped[int] = mapped_column(Integer)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    counter_device_id: Mapped[str | None] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    enrolled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ServerDossier(Base):
    """A dossier as its receiving counter sent it; ``status`` follows the events here."""

    __tablename__ = "dossier"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(limits.DOSSIER_CODE), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(32))
    receiving_unit_code: Mapped[str] = mapped_column(String(32), index=True)
    competent_unit_code: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(24))
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    device_id: Mapped[str | None] = mapped_column(String(36))
    payload: Mapped[dict[str, Any]] = mapped_column()
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The scan of the result, as the receiving unit last sent it (records.attach_result).
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    result_digitized_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ServerEvent(Base):
    __tablename__ = "dossier_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(limits.EVENT_KIND))
    status_after: Mapped[str] = mapped_column(String(limits.STATUS))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(limits.USERNAME))
    unit_code: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(36))
    origin: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    server_seq: Mapped[int | None] = mapped_column(BigInteger)


class ServerDocument(Base):
    """A document id and its dossier: a counter stores every document of the dossiers it
    sees in one table, so an id must be unique across the province, not only in its dossier."""

    __tablename__ = "dossier_document"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(String(36))


class ServerFeePayment(Base):
    """A fee taken at a receiving unit's counter; one per dossier, as at the counter."""

    __tablename__ = "fee_payment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(String(36), unique=True)
    unit_code: Mapped[str] = mapped_column(String(32), index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16))
    collected_at: Mapped[dt.datetime] = mapped_column(DateTime)
    collected_by: Mapped[str] = mapped_column(String(limits.USERNAME))
    payload: Mapped[dict[str, Any]] = mapped_column()
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ServerFeeReceiptCancelled(Base):
    """A receipt number a payment no longer carries: spoiled at the counter, kept for good.

    Decree 123/2020 art. 32(2) as amended by Decree 70/2025: a spoiled receipt keeps
    its number, marked cancelled; the payment carries the next one (its payload).
    """

    __tablename__ = "fee_receipt_cancelled"

    payment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    form_symbol: Mapped[str] = mapped_column(String(32), primary_key=True)
    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cancelled_at: Mapped[dt.datetime] = mapped_column(DateTime)
    cancelled_by: Mapped[str] = mapped_column(String(limits.USERNAME))
    reason: Mapped[str] = mapped_column(Text)
    device_id: Mapped[str] = mapped_column(String(36))
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime)


class BlobRef(Base):
    """Which dossier names which blob: who may download it is who may see the dossier."""

    __tablename__ = "blob_ref"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    dossier_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class BlobUpload(Base):
    """Which device sent a blob's bytes, checked against its hash: its unit may name the blob.

    The blob store keeps one copy per hash whoever sent it, so without this a unit
    that learned a hash could name it in a dossier of its own and download the scan.
    """

    __tablename__ = "blob_upload"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(32))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ChangeRow(Base):
    """One numbered change, kept as the JSON a pull sends, so pulls need no re-rendering."""

    __tablename__ = "change"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    dossier_id: Mapped[str] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)
    committed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # PostgreSQL: the first transaction id not handed out once ``seq`` was drawn; a pull
    # passes ``seq`` only when no transaction below it runs (changes.py). 0 on SQLite.
    horizon: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class ChangeAudience(Base):
    __tablename__ = "change_audience"

    unit_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class AppliedMutation(Base):
    """A mutation applied once; a replay finds it here and gets the same answer back."""

    __tablename__ = "applied_mutation"

    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    server_seq: Mapped[int | None] = mapped_column(BigInteger)
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SetAsideReport(Base):
    """A change a counter pulled but could not store, as that counter reported it."""

    __tablename__ = "setaside_report"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    unit_code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    dossier_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Snapshot(Base):
    """The current catalog or holiday list, with the ETag a counter sends back."""

    __tablename__ = "snapshot"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    etag: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime)
