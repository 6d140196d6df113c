"""Dossiers with scans to sync, a device's token, what is durable on the server."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from counter_app.models import DossierDocument
from counter_app.reception import ReceptionRequest
from tests.support.counter_store import applicant
from tests.support.counters import BIRTH_REGISTRATION, Counter, write_blob
from tests.support.server import ThreadedServer


def receive_with_attachments(counter: Counter, blobs: list[bytes]) -> str:
    """A postal agent's draft with digitized documents, then received by the clerk."""
    request = ReceptionRequest(BIRTH_REGISTRATION, applicant(), counter.checklist())
    draft_id = counter.reception.save_draft(request, counter.clerk)
    with counter.store.write() as session:
        documents = session.scalars(
            select(DossierDocument)
            .where(DossierDocument.dossier_id == draft_id)
            .order_by(DossierDocument.position)
        ).all()
        for document, content in zip(documents, blobs, strict=False):
            document.attachment_sha256 = write_blob(counter, session, content)
    receipt = counter.reception.receive(
        ReceptionRequest(BIRTH_REGISTRATION, applicant(), counter.checklist(), draft_id=draft_id),
        counter.clerk,
    )
    return receipt.code


def durable(province: ThreadedServer, sha256: str) -> Path:
    """The blob's final file, once the server's background flush has put it in place."""
    path = province.blob_dir / sha256[:2] / sha256
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return path


def headers(counter: Counter) -> dict[str, str]:
    with counter.connection() as connection:
        return {"Authorization": f"Bearer {connection.token}"}
