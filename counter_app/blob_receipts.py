"""The province's receipts for uploaded scans, kept until a push has shown them.

Without them a push cut after its uploads would find, on the next try, the
province not counting this unit as holding those scans (the holder is noted when
the push shows the receipt), and would send every one of them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from counter_app.models import BlobReceipt


def load(session: Session, hashes: Collection[str]) -> dict[str, str]:
    """The receipts kept for any of ``hashes`` (one push batch's scans)."""
    rows = session.execute(
        select(BlobReceipt.sha256, BlobReceipt.receipt).where(
            BlobReceipt.sha256.in_(sorted(set(hashes)))
        )
    )
    return {sha256: receipt for sha256, receipt in rows}


def keep(session: Session, receipts: Mapping[str, str], now: dt.datetime) -> None:
    """Store new receipts; a scan uploaded again replaces its old one."""
    rows = [{"sha256": h, "receipt": r, "received_at": now} for h, r in receipts.items()]
    statement = insert(BlobReceipt).values(rows)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[BlobReceipt.sha256],
            set_={"receipt": statement.excluded.receipt, "received_at": now},
        )
    )


def forget(session: Session, hashes: Collection[str]) -> None:
    """Drop receipts a push has shown: the province noted the holder with that push."""
    if hashes:
        session.execute(delete(BlobReceipt).where(BlobReceipt.sha256.in_(sorted(set(hashes)))))
