"""What kinds of records a piece of work changed, so every screen can refresh from one notice.

In the spirit of Anki's ``OpChanges``: the code that writes says what it
changed (a reception: dossiers; a payment: fees; a sync pull: what it
stored), and each screen decides from the kinds alone whether what it shows
is stale. No Qt here: the CLI, the sync client and the tests build the same
value the window broadcasts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Changes:
    """Kinds of records changed. False everywhere means nothing changed."""

    dossiers: bool = False
    """A dossier was received or drafted, or its status, appointment or events changed."""
    documents: bool = False
    """A dossier's documents or their scans (attached, reused, detached, read by OCR)."""
    fees: bool = False
    """A payment, receipt or refund."""
    users: bool = False
    calendar: bool = False
    """The days off and make-up days appointments are counted on."""
    catalog: bool = False
    """The procedures and their fees."""
    settings: bool = False
    """The counter's settings (language, idle lock, paper, receipts)."""
    outbox: bool = False
    """Only the changes waiting for (or refused by) the province: a retry, a push."""

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def records(self) -> bool:
        """Whether dossiers, their documents or their fees changed: what lists and tallies show."""
        return self.dossiers or self.documents or self.fees

    @property
    def kinds(self) -> tuple[str, ...]:
        """The names of the kinds changed, for the log."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name))


NOTHING = Changes()
EVERYTHING = Changes(**{f.name: True for f in fields(Changes)})
