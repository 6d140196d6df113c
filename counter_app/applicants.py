"""Applicants (người nộp hồ sơ), found again by citizen-ID number so nobody types twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.models import Applicant
from counter_app.text import nfc, nfc_or_none
from counter_app.validation import clean_cccd, normalise_phone


@dataclass(frozen=True)
class ApplicantInput:
    """What the clerk typed about the applicant; validated by the reception service."""

    full_name: str
    address: str
    cccd: str | None = None
    date_of_birth: dt.date | None = None
    sex: str | None = None
    phone: str | None = None
    email: str | None = None


def find_by_cccd(session: Session, cccd: str) -> ApplicantInput | None:
    """The applicant's data as last recorded, to fill the applicant panel."""
    row = session.scalar(select(Applicant).where(Applicant.cccd == clean_cccd(cccd)))
    if row is None:
        return None
    return ApplicantInput(
        full_name=row.full_name,
        address=row.address,
        cccd=row.cccd,
        date_of_birth=row.date_of_birth,
        sex=row.sex,
        phone=row.phone,
        email=row.email,
    )


def upsert(session: Session, data: ApplicantInput, at: dt.datetime) -> Applicant:
    """The row for ``data``: the one with the same CCCD, brought up to date, or a new one."""
    cccd = clean_cccd(data.cccd) if data.cccd else None
    row = session.scalar(select(Applicant).where(Applicant.cccd == cccd)) if cccd else None
    if row is None:
        row = Applicant(cccd=cccd, created_at=at)
        session.add(row)
    row.full_name = nfc(data.full_name)
    row.address = nfc(data.address)
    row.date_of_birth = data.date_of_birth
    row.sex = data.sex
    row.phone = normalise_phone(data.phone) if data.phone else None
    row.email = nfc_or_none(data.email)
    row.updated_at = at
    session.flush()
    return row
