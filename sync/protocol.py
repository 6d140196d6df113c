"""The wire protocol between a counter and the provincial server, version 1.

One definition for both ends: the server validates what it receives with these
models and the client validates what it gets back with the same ones, so the two
cannot drift apart silently. Everything lives under ``/api/v1``; a breaking
change gets ``/api/v2`` beside it, so counters that were not updated yet keep
syncing during a roll-out that can take weeks across a province.

Times of dossiers and events are naive Vietnam local time (as the counter keeps
them); ``server_time`` is UTC and timezone-aware because it is compared with the
counter's clock to warn about skew.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
PROTOCOL_VERSION = 1
# The outbox payload versions this server understands (counter_app.outbox).
SUPPORTED_PAYLOAD_VERSIONS = frozenset({1})
MAX_PUSH_BATCH = 500
MAX_PULL_PAGE = 5000
SHA256_PATTERN = r"^[0-9a-f]{64}$"

# Resumable uploads follow tus 1.0 (core protocol: HEAD and PATCH with offsets).
TUS_VERSION = "1.0.0"
TUS_RESUMABLE = "Tus-Resumable"
UPLOAD_OFFSET = "Upload-Offset"
UPLOAD_LENGTH = "Upload-Length"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"

# Error codes the client acts on (the message beside them is for people).
ERR_UNKNOWN_TOKEN = "unknown_token"
ERR_REVOKED_TOKEN = "revoked_token"
ERR_BAD_ENROLMENT = "bad_enrolment_code"
ERR_OFFSET_MISMATCH = "offset_mismatch"
ERR_CHECKSUM_MISMATCH = "checksum_mismatch"

Outcome = Literal["applied", "duplicate", "rejected", "deferred"]
# What a pull may carry. A counter skips a kind it does not know (a newer server's),
# so adding one stays within version 1.
CHANGE_KINDS = frozenset({"dossier", "event", "fee_payment", "document"})
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
    code: str = Field(min_length=4, max_length=64)
    unit_code: str
    device_slot: int
    device_id: str
    device_name: str = ""


class EnrolResponse(BaseModel):
    device_token: str
    unit_code: str
    unit_name: str
    device_slot: int
    server_epoch: str


# Dossier data, as counter_app.reception.dossier_payload and lifecycle.event_payload write it


class ApplicantData(_Wire):
    id: str
    cccd: str | None = None
    full_name: str
    date_of_birth: dt.date | None = None
    sex: str | None = None
    address: str = ""
    phone: str | None = None
    email: str | None = None


class DocumentData(_Wire):
    id: str
    requirement_id: int | None = None
    position: int
    name: str
    form: str
    count: int = 1
    received: bool = False
    attachment_sha256: str | None = Field(default=None, pattern=SHA256_PATTERN)


class EventData(_Wire):
    id: str
    dossier_id: str
    seq: int | None = None
    kind: str
    status_after: str
    at: dt.datetime
    actor: str
    unit_code: str
    device_id: str | None = None
    note: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    server_seq: int | None = None


class DossierData(_Wire):
    id: str
    code: str
    procedure_code: str
    receiving_unit_code: str
    competent_unit_code: str
    channel: str = "direct"
    return_method: str = "counter"
    return_address: str | None = None
    sets_count: int = 1
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    received_by: str | None = None
    device_id: str | None = None
    note: str = ""
    applicant: ApplicantData
    documents: list[DocumentData] = Field(default_factory=list)
    events: list[EventData] = Field(default_factory=list)
    # Filled in by the server on the way out, so a counter can name a unit it never met.
    receiving_unit_name: str | None = None
    competent_unit_name: str | None = None


class FeePaymentData(_Wire):
    """A fee taken or waived at the receiving unit's counter (counter_app.fees.payment_payload)."""

    id: str
    dossier_id: str
    code: str
    amount_vnd: int = Field(ge=0)
    method: Literal["cash", "transfer", "exempt"]
    reference: str | None = None
    exemption_reason: str | None = None
    stage: Literal["reception", "return"]
    collected_at: dt.datetime
    collected_by: str
    unit_code: str
    device_id: str | None = None
    # Receipts (Decree 123/2020 art. 32 as amended by Decree 70/2025), per-page fees:
    # optional, so a counter of an older version still syncs.
    pages: int | None = Field(default=None, ge=1)
    receipt_form: str | None = Field(default=None, max_length=32)
    receipt_series: str | None = Field(default=None, max_length=16)
    receipt_number: int | None = Field(default=None, ge=1, le=9_999_999)
    e_receipt_number: str | None = Field(default=None, max_length=32)
    e_receipt_lookup: str | None = Field(default=None, max_length=64)


class DocumentAttachment(_Wire):
    """A scan attached to (or, with no hash, taken off) a document after reception."""

    dossier_id: str
    document_id: str
    attachment_sha256: str | None = Field(default=None, pattern=SHA256_PATTERN)
    at: dt.datetime
    actor: str
    unit_code: str
    device_id: str | None = None


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
    mutations: list[Mutation] = Field(max_length=MAX_PUSH_BATCH)


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
    a fee paid for it, or a document's scan attached after reception.

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


class PullResponse(BaseModel):
    server_epoch: str
    changes: list[Change]
    next_cursor: int
    head_seq: int
    has_more: bool


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
    sha256: list[str] = Field(max_length=10_000)


class BlobQueryResponse(BaseModel):
    """The hashes the server lacks; for those half uploaded, the offset to PATCH at."""

    missing: list[str]
    offsets: dict[str, int] = Field(default_factory=dict)


def path(name: str) -> str:
    """The full path of an endpoint, e.g. ``path("push")`` → ``/api/v1/push``."""
    return f"{API_PREFIX}/{name}"
