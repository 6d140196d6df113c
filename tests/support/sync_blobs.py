"""Dossiers with scans to sync, a device's token, what is durable on the server, blob requests."""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import select

from counter_app.models import Dossier, DossierDocument
from counter_app.reception import ReceptionRequest
from sync import protocol
from tests.support.counter_store import applicant
from tests.support.counters import BIRTH_REGISTRATION, Counter, write_blob
from tests.support.server import ThreadedServer


def sha(content: bytes) -> str:
    """The name a scan of ``content`` travels by."""
    return hashlib.sha256(content).hexdigest()


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


TUS = {"Content-Type": protocol.OFFSET_CONTENT_TYPE, "Tus-Resumable": protocol.TUS_VERSION}


def query(province: ThreadedServer, counter: Counter, hashes: list[str]) -> requests.Response:
    return requests.post(
        f"{province.url}/api/v1/blobs/query",
        json={"sha256": hashes},
        headers=headers(counter),
        timeout=10,
    )


def forged_attachment(counter: Counter, sha256: str) -> protocol.Mutation:
    """An ``attach`` of ``sha256`` to the first document of a dossier the counter's unit holds."""
    [receipt] = counter.receive(1)
    counter.sync()
    with counter.store.read() as session:
        dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == receipt.code))
        document_id = session.scalar(
            select(DossierDocument.id).where(DossierDocument.dossier_id == dossier_id)
        )
    assert dossier_id and document_id
    return protocol.Mutation(
        mutation_id=str(uuid.uuid4()),
        entity="dossier_document",
        entity_id=dossier_id,
        operation="attach",
        payload={
            "dossier_id": dossier_id,
            "document_id": document_id,
            "attachment_sha256": sha256,
            "at": "2026-11-23T09:00:00",
            "actor": counter.clerk.username,
            "unit_code": counter.unit_code,
        },
    )
