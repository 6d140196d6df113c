"""Scans another counter made, fetched from the province for the documents that name them.

A pulled dossier (another counter of the unit, or another unit's boundary-free
reception this unit processes) names its documents' scans, and its result's,
by hash only. A scan
this counter holds always has its ``attachment`` row, written after the blob
itself; a hash named by a document with no such row is therefore one to fetch.
The sync client downloads and checks the bytes, stores them in the blob store,
and only then records the rows here, so a crash leaves a blob nobody names
(which garbage collection removes), never a row without its blob.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader
from sqlalchemy import select, union
from sqlalchemy.orm import Session

from counter_app.models import Attachment, Dossier, DossierDocument

FETCHED_BY = "tinh"  # the Attachment.created_by of a scan that came from the province


@dataclass(frozen=True)
class FetchedScan:
    sha256: str
    size: int
    page_count: int


def wanted(session: Session, limit: int = 1000) -> list[str]:
    """Hashes named by documents or results here whose scan this counter does not hold."""
    documents = (
        select(DossierDocument.attachment_sha256.label("sha256"))
        .outerjoin(Attachment, Attachment.sha256 == DossierDocument.attachment_sha256)
        .where(DossierDocument.attachment_sha256.is_not(None), Attachment.sha256.is_(None))
    )
    results = (
        select(Dossier.result_sha256.label("sha256"))
        .outerjoin(Attachment, Attachment.sha256 == Dossier.result_sha256)
        .where(Dossier.result_sha256.is_not(None), Attachment.sha256.is_(None))
    )
    query = select(union(documents, results).subquery().c.sha256).limit(limit)
    return [sha256 for sha256 in session.scalars(query) if sha256]


def page_count(content: bytes) -> int:
    """Pages of a fetched PDF; 0 when it cannot be read (the scan is kept all the same)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return len(PdfReader(io.BytesIO(content), strict=False).pages)
    except Exception:  # pypdf raises many kinds of error on a damaged file
        return 0


def record(session: Session, scans: Sequence[FetchedScan], at: dt.datetime) -> int:
    """Write the rows of scans already stored in the blob store; returns how many were new."""
    have = set(
        session.scalars(
            select(Attachment.sha256).where(Attachment.sha256.in_([s.sha256 for s in scans]))
        )
    )
    new = [s for s in scans if s.sha256 not in have]
    session.add_all(
        Attachment(
            sha256=s.sha256,
            size=s.size,
            page_count=s.page_count,
            created_by=FETCHED_BY,
            created_at=at,
        )
        for s in new
    )
    return len(new)
