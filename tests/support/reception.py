"""A valid reception request and its full checklist."""

from __future__ import annotations

from counter_app.models import Procedure
from counter_app.reception import DocumentCheck, ReceptionRequest
from counter_app.store import Store
from tests.support.counter_store import applicant

BIRTH_REGISTRATION = "1.001193"


def full_checklist(store: Store, code: str = BIRTH_REGISTRATION) -> tuple[DocumentCheck, ...]:
    with store.read() as session:
        procedure = session.get(Procedure, code)
        assert procedure is not None, f"seed catalog lacks {code}"
        return tuple(DocumentCheck(r.id) for r in procedure.requirements if r.active)


def request(store: Store, **overrides: object) -> ReceptionRequest:
    values: dict[str, object] = {
        "procedure_code": BIRTH_REGISTRATION,
        "applicant": applicant(),
        "documents": full_checklist(store),
    }
    values.update(overrides)
    return ReceptionRequest(**values)  # type: ignore[arg-type]
