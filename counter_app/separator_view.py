"""What a separator sheet names, read from the store for the printer (no ORM past here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from counter_app.attachments import AttachmentService
from counter_app.separator_codes import separator_code


@dataclass(frozen=True)
class SeparatorView:
    target: str  # the dossier's code, or the draft's id when it has no code yet
    label: str  # what the person feeding the scanner reads: code, or "hồ sơ nháp …"
    applicant: str
    procedure: str
    document: int
    document_name: str


def load_separator_view(service: AttachmentService, code_or_id: str, number: int) -> SeparatorView:
    """The separator of ``code_or_id``'s document ``number``; NotFound/ValueError say what."""
    target = service.open(code_or_id)
    slot = target.slot(number)
    code = separator_code(target.code or target.id, number)
    return SeparatorView(
        target=code.target,
        label=target.code or f"Hồ sơ nháp {target.id}",
        applicant=target.applicant_name,
        procedure=target.procedure_name,
        document=slot.number,
        document_name=slot.name,
    )


def separator_views(
    service: AttachmentService, code_or_id: str, numbers: Sequence[int] = ()
) -> list[SeparatorView]:
    """The separators to print for ``code_or_id``: the documents ``numbers``, or by default
    every document that has no scan yet (every document once all have one, to scan again).
    """
    target = service.open(code_or_id)
    if not numbers:
        missing = [slot.number for slot in target.documents if not slot.attachment_sha256]
        numbers = missing or [slot.number for slot in target.documents]
    return [load_separator_view(service, target.id, number) for number in numbers]
