"""The unit's reports as the window and the CLI print them: the tally and the dossier book.

One place turns the counter's settings (place name, parent agency) into the
printed header, so the report printed from the window and the one a cron job
writes with ``counter-app report`` are the same document.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from counter_app.digitization_index import DigitizationIndex
from counter_app.dossier_book import DossierBook, book_fields, load_book, resolve_field
from counter_app.installation import load_context
from counter_app.settings import Settings
from counter_app.tallies import Tally, compute_tally
from printing.book import BookPrint, render_book
from printing.index_pdf import IndexPrint, render_index
from printing.tally_pdf import TallyPrint, render_tally
from printing.wording import place_from_unit

if TYPE_CHECKING:
    from counter_app.store import Store


def tally_pdf(tally: Tally, settings: Settings, at: dt.datetime, prepared_by: str = "") -> bytes:
    """The printed tally; ``prepared_by`` signs as the person who drew it up."""
    return render_tally(
        TallyPrint(
            tally=tally,
            place_name=settings.place_name or place_from_unit(tally.unit_name),
            printed_at=at,
            parent_agency=settings.parent_agency,
            prepared_by=prepared_by,
        )
    )


def book_pdf(book: DossierBook, settings: Settings, at: dt.datetime, keeper: str = "") -> bytes:
    """The printed dossier book; ``keeper`` signs as the person who keeps it."""
    return render_book(
        BookPrint(
            book=book,
            place_name=settings.place_name or place_from_unit(book.unit_name),
            printed_at=at,
            parent_agency=settings.parent_agency,
            keeper_name=keeper,
        )
    )


def index_pdf(
    index: DigitizationIndex, settings: Settings, at: dt.datetime, prepared_by: str = ""
) -> bytes:
    """The printed digitization index; ``prepared_by`` signs as the person who drew it up."""
    return render_index(
        IndexPrint(
            index=index,
            place_name=settings.place_name or place_from_unit(index.unit_name),
            printed_at=at,
            parent_agency=settings.parent_agency,
            prepared_by=prepared_by,
        )
    )


def load_unit_tally(store: Store, first: dt.date, last: dt.date, now: dt.datetime) -> Tally:
    with store.read() as session:
        return compute_tally(session, load_context(session).unit_code, first, last, now)


def load_unit_book(store: Store, first: dt.date, last: dt.date, field: str = "") -> DossierBook:
    """The unit's book; of one field (lĩnh vực) when ``field`` names one, typed loosely."""
    with store.read() as session:
        chosen = resolve_field(session, field) if field.strip() else ""
        return load_book(session, load_context(session).unit_code, first, last, chosen)


def unit_book_fields(store: Store) -> list[str]:
    """The fields (lĩnh vực) a book can be printed for, as the Reports screen offers them."""
    with store.read() as session:
        return book_fields(session)
