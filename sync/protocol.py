"""The wire protocol between a counter and the provincial server, version 1.

One definition for both ends: the server validates what it receives with these
models and the client validates what it gets back with the same ones, so the two
cannot drift apart silently. Everything lives under ``/api/v1``; a breaking
change gets ``/api/v2`` beside it, so counters that were not updated yet keep
syncing during a roll-out that can take weeks across a province.

Times of dossiers and events are naive Vietnam local time (as the counter keeps
them); ``server_time`` is UTC and timezone-aware because it is compared with the
counter's clock to warn about skew.

What a counter sends is data another unit's counters will store and show, so
the models bound it as the tables do (``counter_app.limits``, shared with the
counter's own checks): ids are UUIDs, text fits its column. The server adds
the checks a model cannot make (push_checks.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from counter_app import limits

API_PREFIX = "/api/v1"
PROTOCOL_VERSION = 1
# The outbox payload versions this server understands (counter_app.outbox).
SUPPORTED_PAYLOAD_VERSIONS = frozenset({1})
MAX_PUSH_BATCH = 500
MAX_PULL_PAGE = 5000
MAX_INT = 2**63 - 1  # the databases' BIGINT: no number on the wire goes beyond it
SHA256_PATTERN = r"^[0-9a-f]{64}$"

# Each text bounded as its column is on both ends (counter_app.limits).
RecordId = Annotated[str, StringConstraints(pattern=limits.ID_PATTERN)]
UnitCode = Annotated[str, StringConstraints(max_length=limits.UNIT_CODE)]
Username = Annotated[str, StringConstraints(max_length=limits.USERNAME)]
PersonName = Annotated[str, StringConstraints(max_length=limits.PERSON_NAME)]
ShortCode = Annotated[str, StringConstraints(max_length=limits.SHORT_CODE)]
Note = Annotated[str, StringConstraints(max_length=limits.NOTE)]

# Resumable uploads follow tus 1.0 (core protocol: HEAD and PATCH with offsets).
TUS_VERSION = "1.0.0"
TUS_RESUMABLE = "Tus-Resumable"
UPLOAD_OFFSET = "Upload-Offset"
UPLOAD_LENGTH = "Upload-Length"
# Asked for in an upload's request (any value), sent in the answer that stores the
# blob: the server's signed word that this device sent its bytes (docs/protocol.md).
UPLOAD_RECEIPT = "Upload-Receipt"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"

# Error codes the client acts on (the message beside them is for people).
ERR_UNKNOWN_TOKEN = "unknown_token"
ERR_REVOKED_TOKEN = "revoked_token"
ERR_BAD_ENROLMENT = "bad_enrolment_code"
ERR_OFFSET_MISMATCH = "offset_mismatch"
ERR_CHECKSUM_MISMATCH = "checksum_mismatch"
ERR_NO_UPLOAD = "no_upload"  # PATCH of an upload the server does not have (or expired)
ERR_TOO_LARGE = "too_large"  # 413: a body or a blob over the server's limit
ERR_BUSY = "busy"  # 503: the server is there but full (admission) or its database is locked

Outcome = Literal["applied", "duplicate", "rejected", "deferred"]
# What a pull may carry. A counter skips a kind it does not know (a newer server's),
# so adding one stays within version 1.
CHANGE_KINDS = frozenset({"dossier", "event", "fee_payment", "document", "result"})
DayKind = Literal["day_off", "working_day"]


class _Wire(BaseModel):
    """Unknown fields are kept, not refused: a newer counter may send more than we know."""

    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    """Every error answer: a machine code and a sentence a person can act on."""

    code: str
    message: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    protocol_version: int = PROTOCOL_VERSION
    server_epoch: str
    server_time: dt.datetime
    head_seq: int


# Enrolment -----------------------------------------------------------------


class EnrolRequest(BaseModel):
    """A counter never set up sends no unit or slot: it learns them from the answer."""

    code: str = Field(min_length=4, max_length=64)
    unit_code: UnitCode | None = None
    device_slot: int | None = None
    device_id: str = Field(max_length=limits.ID_LENGTH)
    device_name: str = Field(default="", max_length=100)


class EnrolResponse(BaseModel):
    device_token: str
    unit_code: str
    unit_name: str
    device_slot: int
    server_epoch: str


# Dossier data, as counter_app.reception.dossier_payload and lifecycle.event_payload write it


class ApplicantData(_Wire):
    id: RecordId
    cccd: str | None = Field(default=None, max_length=limits.CCCD)
    full_name: PersonName
    date_of_birth: dt.date | None = None
    sex: str | None = Field(default=None, max_length=limits.SEX)
    address: str = Field(default="", max_length=limits.ADDRESS)
    phone: str | None = Field(default=None, max_length=limits.PHONE)
    email: str | None = Field(default=None, max_length=limits.EMAIL)


class DocumentData(_Wire):
    id: RecordId
    requirement_id: int | None = None
    position: int = Field(ge=0, le=limits.COUNT)
    name: str = Field(max_length=limits.DOCUMENT_NAME)
    form: str = Field(max_length=limits.FORM)
    count: int = Field(default=1, ge=0, le=limits.COUNT)
    received: bool = False
    attachment_sha256: str | None = Field(default=None, pattern=SHA256_PATTERN)
    # When the scan was linked to the document on its counter (absent from older counters).
    attached_at: dt.datetime | None = None


class EventData(_Wire):
    id: RecordId
    dossier_id: RecordId
    seq: int | None = None
    kind: str = Field(max_length=limits.EVENT_KIND)
    # What a counter says here is not believed: the server derives it from ``kind``.
    status_after: str = Field(max_length=limits.STATUS)
    at: dt.datetime
    actor: Username
    unit_code: UnitCode
    device_id: RecordId | None = None
    note: Note = ""
    data: dict[str, Any] = Field(default_factory=dict)
    server_seq: int | None = None


class DossierData(_Wire):
    id: RecordId
    code: str = Field(max_length=limits.DOSSIER_CODE)
    procedure_code: str = Field(max_length=limits.PROCEDURE_CODE)
    receiving_unit_code: UnitCode
    competent_unit_code: UnitCode
    channel: ShortCode = "direct"
    return_method: ShortCode = "counter"
    return_address: str | None = Field(default=None, max_length=limits.ADDRESS)
    sets_count: int = Field(default=1, ge=0, le=limits.COUNT)
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    received_by: Username | None = None
    device_id: RecordId | None = None
    note: Note = ""
    applicant: ApplicantData
    documents: list[DocumentData] = Field(default_factory=list, max_length=limits.COUNT)
    events: list[EventData] = Field(default_factory=list, max_length=limits.COUNT)
    # Filled in by the server on the way out, so a counter can name a unit it never met.
    receiving_unit_name: str | None = Field(default=None, max_length=limits.UNIT_NAME)
    competent_unit_name: str | None = Field(default=None, max_length=limits.UNIT_NAME)


class FeePaymentData(_Wire):
    """A fee taken or waived at the receiving unit's counter (counter_app.fees.payment_payload)."""

    id: RecordId
    dossier_id: RecordId
    code: str = Field(max_length=limits.DOSSIER_CODE)
    amount_vnd: int = Field(ge=0, le=limits.MAX_AMOUNT_VND)
    method: Literal["cash", "transfer", "exempt"]
    reference: str | None = Field(default=None, max_length=limits.FEE_REFERENCE)
    exemption_reason: Note | None = None
    stage: Literal["reception", "return"]
    collected_at: dt.datetime
    collected_by: Username
    unit_code: UnitCode
    device_id: RecordId | None = None
    # Receipts (Decree 123/2020 art. 32 as amended by Decree 70/2025), per-page fees:
    # optional, so a counter of an older version still syncs.
    pages: int | None = Field(default=None, ge=1)
    receipt_form: str | None = Field(default=None, max_length=32)
    receipt_series: str | None = Field(default=None, max_length=16)
    receipt_number: int | None = Field(default=None, ge=1, le=9_999_999)
    e_receipt_number: str | None = Field(default=None, max_length=32)
    e_receipt_lookup: str | None = Field(default=None, max_length=64)


class ReceiptNumber(_Wire):
    """A printed receipt's form symbol, series and number (Decree 123/2020 art. 32(2))."""

    form: str = Field(max_length=32)
    series: str = Field(min_length=1, max_length=16)
    number: int = Field(ge=1, le=9_999_999)


class CancelledReceipt(ReceiptNumber):
    """A spoiled receipt: its number stays in the series, marked cancelled."""

    at: dt.datetime
    by: Username
    reason: Note = ""


class ReceiptReissue(_Wire):
    """A payment's receipt spoiled at the counter and the payment renumbered (Hủy biên lai)."""

    payment_id: RecordId
    dossier_id: RecordId
    cancelled: CancelledReceipt
    receipt: ReceiptNumber


class DocumentAttachment(_Wire):
    """A scan attached to (or, with no hash, taken off) a document after reception.

    ``attached_at`` is when the scan was linked (a signed copy keeps its scan's
    time); absent from older counters, ``at`` stands for it.
    """

    dossier_id: RecordId
    document_id: RecordId
    attachment_sha256: str | None = Field(default=None, pattern=SHA256_PATTERN)
    attached_at: dt.datetime | None = None
    at: dt.datetime
    actor: Username
    unit_code: UnitCode
    device_id: RecordId | None = None


class ResultAttachment(_Wire):
    """The scan of a dossier's result (kết quả giải quyết) stored, replaced or taken off.

    ``result_sha256`` None: taken off. ``digitized_at`` is since when the result
    counts as digitized (a copy signed later keeps the scan's time); ``at`` is
    when this was done.
    """

    dossier_id: RecordId
    result_sha256: str | None = Field(default=None, pattern=SHA256_PATTERN)
    digitized_at: dt.datetime | None = None
    at: dt.datetime
    actor: Username
    unit_code: UnitCode
    device_id: RecordId | None = None


Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]
# Upload receipts by blob: the counter shows them with the hashes it names.
Receipts = dict[Sha256, Annotated[str, Field(max_length=64)]]

# Push ------------------------------------------------------------------------


class Mutation(BaseModel):
    """One outbox entry. ``mutation_id`` is the idempotency key: sent twice, applied once."""

    mutation_id: str
    entity: str
    entity_id: str
    operation: str
    schema_version: int = 1
    payload: dict[str, Any]


class PushRequest(BaseModel):
    """``receipts``: for scans the mutations name whose upload answered with a receipt."""

    mutations: list[Mutation] = Field(max_length=MAX_PUSH_BATCH)
    receipts: Receipts = Field(default_factory=dict, max_length=10_000)


class MutationResult(BaseModel):
    """What became of one mutation.

    ``deferred``: not looked at, because an earlier mutation of the same dossier in
    this batch was rejected; it stays queued behind that one on the counter.
    """

    mutation_id: str
    outcome: Outcome
    server_seq: int | None = None
    reason_code: str | None = None
    reason: str | None = None


class PushResponse(BaseModel):
    server_epoch: str
    results: list[MutationResult]


# Pull ------------------------------------------------------------------------


class Change(BaseModel):
    """One numbered change the unit may see: a dossier as a whole, one event of it,
    a fee paid for it, a document's scan attached after reception, or its result's scan.

    ``kind`` is one of ``CHANGE_KINDS``, kept a plain string so that a counter
    not yet updated skips what it does not know instead of failing the page.
    """

    seq: int
    kind: str
    dossier_id: str
    dossier: DossierData | None = None
    event: EventData | None = None
    fee_payment: FeePaymentData | None = None
    document: DocumentAttachment | None = None
    result: ResultAttachment | None = None


class PullResponse(BaseModel):
    server_epoch: str
    changes: list[Change]
    next_cursor: int
    head_seq: int
    has_more: bool


class SetAsideChange(BaseModel):
    """A pulled change a counter could not store and set aside, told to the province.

    The counter goes on pulling past it; the province's administrator reads these
    (``province-server set-aside``) to put the record right at its source.
    """

    seq: int = Field(ge=0, le=MAX_INT)
    kind: str = Field(max_length=16)
    dossier_id: str = Field(max_length=limits.ID_LENGTH)
    reason: Note


class SetAsideReport(BaseModel):
    changes: list[SetAsideChange] = Field(max_length=MAX_PUSH_BATCH)


# Reference data ----------------------------------------------------------------

HOLIDAYS_SCHEMA: Literal["ward-counter.holidays/1"] = "ward-counter.holidays/1"


class HolidayDay(BaseModel):
    day: dt.date
    kind: DayKind
    name: str = ""
    # The text deciding the day, and whether it is settled; files without them still load.
    basis: str = Field(default="", max_length=255)
    confirmed: bool = True


class HolidaysSnapshot(BaseModel):
    """The province's days off and make-up working days; the catalog travels as its own JSON.

    The government's yearly swaps are published here too (the file shipped as
    ``resources/calendar/vn_swaps.json`` has this shape); a day announced only in
    principle goes out with ``confirmed`` false.
    """

    model_config = ConfigDict(populate_by_name=True)

    schema_: Literal["ward-counter.holidays/1"] = Field(default=HOLIDAYS_SCHEMA, alias="schema")
    version: str = ""
    days: list[HolidayDay]


UNITS_SCHEMA: Literal["ward-counter.units/1"] = "ward-counter.units/1"


class UnitData(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=255)


class UnitsSnapshot(BaseModel):
    """The province's communes and wards, so a clerk can name any of them as competent unit."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: Literal["ward-counter.units/1"] = Field(default=UNITS_SCHEMA, alias="schema")
    units: list[UnitData]


# Blobs -------------------------------------------------------------------------


class BlobQuery(BaseModel):
    """Anything but 64 lowercase hex digits is refused (422), never looked up on disk."""

    sha256: list[Sha256] = Field(max_length=10_000)
    # A hash with a valid receipt counts as held by the caller's unit.
    receipts: Receipts = Field(default_factory=dict, max_length=10_000)


class BlobQueryResponse(BaseModel):
    """The hashes the server lacks; for those half uploaded, the offset to PATCH at."""

    missing: list[str]
    offsets: dict[str, int] = Field(default_factory=dict)


def path(name: str) -> str:
    """The full path of an endpoint, e.g. ``path("push")`` → ``/api/v1/push``."""
    return f"{API_PREFIX}/{name}"
