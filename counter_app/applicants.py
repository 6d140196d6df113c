"""Applicants (người nộp hồ sơ), found again by citizen-ID number so nobody types twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.models import Applicant
from counter_app.text import fold, nfc, nfc_or_none
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


@dataclass(frozen=True)
class RepresentativeInput:
    """Who files the dossier on the applicant's behalf (người được ủy quyền).

    The 2025 forms 01 and 03 print the representative beside the applicant
    (MOH 3621/QĐ-BYT); the number is checked like the applicant's.
    """

    full_name: str
    cccd: str | None = None
    relation: str = ""


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


def parse_chip_qr(text: str) -> ApplicantInput | None:
    """The applicant panel's data from the QR code on a chip-based citizen-ID card.

    The card's QR holds ``number|old id|name|ddmmyyyy|sex|address|issue date``;
    a scanner types it like a keyboard. Returns None when ``text`` is not such a code,
    so the field can treat it as a plain number typed by hand.
    """
    parts = text.strip().split("|")
    if len(parts) < 6 or not parts[0].strip().isdigit():
        return None
    number, _old, name, born, sex, address = (p.strip() for p in parts[:6])
    try:
        date_of_birth: dt.date | None = dt.datetime.strptime(born, "%d%m%Y").date()
    except ValueError:
        date_of_birth = None
    sex_key = fold(sex)
    return ApplicantInput(
        full_name=nfc(name),
        address=nfc(address),
        cccd=number,
        date_of_birth=date_of_birth,
        sex={"nam": "male", "nu": "female"}.get(sex_key),
    )
