"""Finding dossiers for the counter's list: a filter, its count, and pages of rows.

A centre keeps every dossier it ever received, so the list must stay quick on
millions of rows without loading them. Beside the table's indexes it reads
what ``counter_app.list_index`` keeps: a trigram index of the applicants'
folded names, and the received dossiers counted per day, status and procedure.
A filter of status, period and procedure alone is counted from those day
counts, and a jump to row N of it starts at the end of N's day (found by
adding up the days from the newest), so it skips at most one day's rows.

Pages are read by KEYSET: a page starts just past the (received_at, rowid) of
a row already seen. ``ix_dossier_received_at`` (received_at, then the implicit
rowid) and ``ix_dossier_procedure_received`` (procedure_code, received_at,
rowid) hold the rows in list order, so walking them costs a page its own rows
at any depth. The rowid is SQLite's tie-breaker for dossiers received in the
same second, carried by every index for free; it need only hold still while a
list is on screen.

SQLite has no statistics on a fresh store (no ANALYZE), so it guesses that a
status matches few rows and would read all 950,000 "returned" dossiers to sort
them. The query therefore plans for itself: it counts how many rows each
indexable condition reaches (capped, on the index alone, ~1 ms), lets the
smallest drive, and writes the others as ``+column``, SQLite's documented way
to keep a term off an index. A page then either WALKS the ordered index and
tests the other conditions row by row, or, when some condition is much
narrower, reads that condition's rows and SORTS them; it takes whichever
reads fewer rows. Every plan is pinned by EXPLAIN QUERY PLAN in the tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    and_,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from counter_app.codes import parse_code
from counter_app.errors import CounterError
from counter_app.lifecycle import RUNNING_STATUSES, STATUS_LABELS, Status
from counter_app.list_index import ALL_PROCEDURES, APPLICANT_NAME, APPLICANT_NAME_KEY
from counter_app.models import Applicant, Dossier, DossierDayCount, DossierDocument, Procedure
from counter_app.text import fold, nfc

"""Statuses in which the centre still owes the applicant an answer: these can be overdue."""

PAGE_SIZE = 200
# A search naming more applicants than this is too vague to list: ask for more letters.
APPLICANT_LIMIT = 1000
# A code prefix reaching more dossiers than this (a unit, a year) is too vague to list:
# counting them would walk the code index for a second at two million dossiers.
CODE_LIMIT = 100_000
# Index entries counted to size a condition; beyond this a condition counts as "large".
_ESTIMATE_CAP = 50_000
# Sorting a row costs about this many walked rows (temp B-tree, plus the table lookup).
_SORT_WEIGHT = 2
_DIGITS = re.compile(r"\d{1,12}")
# A code starts with its unit: ``000.`` (Circular 01/2018) or ``H57.`` (Decision 20/2020,
# also the Circular 04/2025 codes of central systems).
_CODE_START = re.compile(r"(?:\d{3}|[A-Z]\d{2})\.[0-9A-Z.\-]*")
# Sorts after every character a code holds ([-.0-9A-Z]): p <= code < p + "~" is "starts with p".
_CODE_CEILING = "~"

_ROWID = literal_column("dossier.rowid", Integer)
_PLAIN_ROWID = literal_column("+dossier.rowid", Integer)

Kind = Literal["status", "received", "procedure", "code", "applicant", "scan"]
# When sizes tie (all "large"), the condition whose index is likeliest the narrowest drives.
_PRIORITY: dict[Kind, int] = {
    "scan": 0,
    "applicant": 0,
    "code": 1,
    "procedure": 2,
    "received": 3,
    "status": 4,
}


class SearchTooBroad(CounterError):
    """The search text names too many applicants to list; the clerk should type more."""


@dataclass(frozen=True)
class DossierFilter:
    """What the clerk asked the list for; an empty filter means every received dossier.

    ``received_to`` is inclusive (the whole day). ``text`` is a dossier-code
    prefix (``000.00.11.H57-2611…``, ``H57.123.45-2602…``), a citizen-ID (CCCD) prefix (digits only)
    or a part of the applicant's name. ``scan_hashes``, when set, keeps the dossiers
    one of whose documents is one of those scans: the hashes whose recognised text
    (``counter_app.ocr``) holds the words the clerk searched for. A detached
    document's scan no longer names its dossier, so it no longer finds it.
    """

    statuses: frozenset[Status] = frozenset()
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    procedure_code: str | None = None
    overdue_only: bool = False
    text: str = ""
    scan_hashes: frozenset[str] | None = None


@dataclass(frozen=True)
class DossierRow:
    """One line of the dossier list, detached from the session."""

    id: str
    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    received_at: dt.datetime
    due_at: dt.datetime
    status: str
    status_label: str
    overdue: bool
    # See counter_app.appointments: the first receipt's appointment and the apology's.
    first_due_at: dt.datetime | None = None
    extended_due_at: dt.datetime | None = None


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the list: the sort key of one row (the list runs newest first)."""

    received_at: dt.datetime
    rowid: int


@dataclass(frozen=True)
class Page:
    rows: tuple[DossierRow, ...]
    first: Cursor | None
    last: Cursor | None


def is_overdue(status: str, due_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Overdue: its time limit running and past its appointment (the twin of the SQL filter).

    Not while waiting for a supplement (Decree 297/2025 art. 6(4)(a)).
    """
    return status in RUNNING_STATUSES and due_at is not None and due_at < now


def text_kind(text: str) -> Literal["none", "code", "cccd", "name"]:
    """How the search box's text is read: digits are a CCCD, ``000.`` or ``H57.`` starts a code."""
    cleaned = nfc(text).upper().replace(" ", "")
    if not cleaned:
        return "none"
    if _DIGITS.fullmatch(cleaned):
        return "cccd"
    if _CODE_START.fullmatch(cleaned):
        return "code"
    return "name"


_BY_NAME = sql_text(
    f"SELECT k.applicant_id FROM {APPLICANT_NAME} JOIN {APPLICANT_NAME_KEY} AS k"
    f" ON k.id = {APPLICANT_NAME}.rowid WHERE {APPLICANT_NAME} MATCH :match LIMIT :limit"
)


def name_match(text: str) -> str | None:
    """The FTS5 query of the name index for the search text; None when it is too short.

    Three letters or more are found anywhere in the folded name (trigrams); one
    or two only at the start of a word, the trigram of the space before it and
    them ("uy" finds "Uyên" and "Uy", not "Nguyễn"). A single letter asks for more.
    """
    key = fold(text)
    if len(key) >= 3:
        return f'"{key}"'  # folded text holds no quote
    if len(key) == 2:
        return f'" {key}"'
    return None


def _applicant_ids(session: Session, text: str) -> tuple[str, ...] | None:
    """The applicants the search text names (None when it names none by design).

    Found once per filter and handed to the dossier queries as a list, so the
    name search is not repeated for the count and for every page.
    """
    kind = text_kind(text)
    limit = APPLICANT_LIMIT + 1
    if kind == "cccd":
        digits = nfc(text).replace(" ", "")
        query = select(Applicant.id).where(
            Applicant.cccd.between(digits.ljust(12, "0"), digits.ljust(12, "9"))
        )
        ids = tuple(session.scalars(query.limit(limit)))
        too_many = f"Quá nhiều người nộp có số CCCD bắt đầu bằng {digits}; hãy gõ thêm chữ số."
    elif kind == "name":
        words = nfc(text)
        match = name_match(words)
        if match is None:
            raise SearchTooBroad(f"Tên “{words}” quá ngắn để tìm; hãy gõ ít nhất hai chữ cái.")
        ids = tuple(session.scalars(_BY_NAME, {"match": match, "limit": limit}))
        too_many = f"Quá nhiều người nộp có tên chứa “{words}”; hãy gõ đầy đủ họ tên hơn."
    else:
        return None
    if len(ids) > APPLICANT_LIMIT:
        raise SearchTooBroad(too_many)
    return ids


@dataclass(frozen=True)
class _Term:
    """One condition, written both ways: able to use its index, and kept off every index."""

    kind: Kind
    indexed: ColumnElement[bool]
    plain: ColumnElement[bool]


def _plain(column: str, type_: Any) -> Any:
    return literal_column(f"+dossier.{column}", type_)


def _terms(
    flt: DossierFilter, now: dt.datetime, applicant_ids: tuple[str, ...] | None
) -> list[_Term] | None:
    """The filter as conditions on the dossier table; None when it can match nothing."""
    terms: list[_Term] = []
    statuses = {Status(s) for s in flt.statuses} - {Status.DRAFT}
    if flt.statuses and not statuses:
        return None  # only drafts were asked for: the list shows received dossiers
    if flt.overdue_only:
        statuses = (statuses or set(RUNNING_STATUSES)) & RUNNING_STATUSES
        if not statuses:
            return None
    if statuses:
        values = sorted(statuses)
        status: ColumnElement[bool]
        plain_status: ColumnElement[bool]
        status, plain_status = Dossier.status.in_(values), _plain("status", String).in_(values)
        if flt.overdue_only:
            status = and_(status, Dossier.due_at < now)
            plain_status = and_(plain_status, _plain("due_at", DateTime) < now)
        terms.append(_Term("status", status, plain_status))
    received: list[ColumnElement[bool]] = []
    plain_received: list[ColumnElement[bool]] = []
    plain_at = _plain("received_at", DateTime)
    if flt.received_from is not None:
        start = dt.datetime.combine(flt.received_from, dt.time())
        received.append(Dossier.received_at >= start)
        plain_received.append(plain_at >= start)
    if flt.received_to is not None:
        end = dt.datetime.combine(flt.received_to + dt.timedelta(days=1), dt.time())
        received.append(Dossier.received_at < end)
        plain_received.append(plain_at < end)
    if not received and not statuses:
        # Drafts have no reception time and every other status implies one, so this is
        # written only when nothing else keeps drafts out: beside a status it would
        # cost a table lookup for every row counted.
        received.append(Dossier.received_at.is_not(None))
        plain_received.append(plain_at.is_not(None))
    if received:
        terms.append(_Term("received", and_(*received), and_(*plain_received)))
    if flt.procedure_code:
        code = flt.procedure_code.strip()
        terms.append(
            _Term(
                "procedure",
                Dossier.procedure_code == code,
                _plain("procedure_code", String) == code,
            )
        )
    if text_kind(flt.text) == "code":
        prefix = nfc(flt.text).upper().replace(" ", "")
        ceiling = prefix + _CODE_CEILING
        # A range, not LIKE: SQLite's LIKE ignores ASCII case and so cannot use the index.
        terms.append(
            _Term(
                "code",
                and_(Dossier.code >= prefix, Dossier.code < ceiling),
                and_(_plain("code", String) >= prefix, _plain("code", String) < ceiling),
            )
        )
    if applicant_ids is not None:
        if not applicant_ids:
            return None
        ids = list(applicant_ids)
        terms.append(
            _Term(
                "applicant",
                Dossier.applicant_id.in_(ids),
                _plain("applicant_id", String).in_(ids),
            )
        )
    if flt.scan_hashes is not None:
        if not flt.scan_hashes:
            return None
        holding = select(DossierDocument.dossier_id).where(
            DossierDocument.attachment_sha256.in_(sorted(flt.scan_hashes))
        )
        terms.append(_Term("scan", Dossier.id.in_(holding), _plain("id", String).in_(holding)))
    return terms


def _beyond(cursor: Cursor, older: bool, *, indexed: bool) -> ColumnElement[bool]:
    """Rows past ``cursor``: older ones (down the list) or newer ones (up the list).

    A range on received_at plus a test for ties, which an index reads as one
    range; SQLite does not always plan the row-value form ``(a, rowid) < (?, ?)`` so.
    """
    at = Dossier.received_at if indexed else _plain("received_at", DateTime)
    rowid = _ROWID if indexed else _PLAIN_ROWID
    t, r = cursor.received_at, cursor.rowid
    if older:
        return and_(at <= t, or_(at < t, rowid < r))
    return and_(at >= t, or_(at > t, rowid > r))


class PreparedFilter:
    """A filter made ready to run: its applicants found and its conditions sized, once.

    Build it with ``prepare``; it then counts and reads pages without repeating
    that work, which is what the list does on every scroll.
    """

    def __init__(
        self,
        flt: DossierFilter,
        now: dt.datetime,
        terms: list[_Term] | None,
        sizes: dict[Kind, int],
        table_rows: int,
        complement: list[str] | None = None,
    ) -> None:
        self.filter = flt
        self.now = now
        self.terms = terms or []
        self.empty = terms is None
        self.sizes = sizes
        self.table_rows = table_rows
        self.complement = complement
        self._days: list[tuple[str, int]] | None = None

    # Plans ---------------------------------------------------------------

    def _size(self, kind: Kind) -> int:
        return self.sizes.get(kind, self.table_rows)

    def _driver(self, kinds: Sequence[Kind]) -> Kind | None:
        if not kinds:
            return None
        return min(kinds, key=lambda k: (min(self._size(k), _ESTIMATE_CAP), _PRIORITY[k]))

    def _walk_index(self) -> Kind:
        """The ordered index a walk follows: the procedure's when one is asked for."""
        return "procedure" if any(t.kind == "procedure" for t in self.terms) else "received"

    def _where(self, driving: set[Kind]) -> list[ColumnElement[bool]]:
        return [t.indexed if t.kind in driving else t.plain for t in self.terms]

    def walks(self, skip: int, limit: int, matches: int) -> bool:
        """Whether walking the ordered index reads fewer rows than sorting the narrowest set.

        A walk meets matching rows at the rate they occur in the index it follows,
        which is fair to assume for a status; codes of a day and one person's
        dossiers sit together in time, where a walk might not reach them for long.
        """
        walk_index = self._walk_index()
        others = [t.kind for t in self.terms if t.kind not in (walk_index, "received")]
        narrowest = self._driver(others)
        if narrowest is None or self._size(narrowest) >= _ESTIMATE_CAP:
            return True
        if narrowest != "status":
            return False
        reached = self._size(walk_index)
        if reached >= _ESTIMATE_CAP:
            reached = self.table_rows
        walked = (skip + limit) * reached / max(matches, 1)
        return walked <= _SORT_WEIGHT * self._size(narrowest)

    # Queries -------------------------------------------------------------

    def count_query(self, kinds: Sequence[Kind] | None = None) -> Select[int]:
        """Count the rows meeting the conditions of ``kinds`` (all by default).

        The narrowest condition reads its index; the others are tested on the rows.
        """
        terms = [t for t in self.terms if kinds is None or t.kind in kinds]
        driver = self._driver([t.kind for t in terms])
        driving: set[Kind] = {driver} if driver else set()
        if driver == "procedure":
            driving.add("received")  # (procedure_code, received_at) is one index
        where = [t.indexed if t.kind in driving else t.plain for t in terms]
        return select(func.count()).select_from(Dossier).where(*where)

    def key_query(
        self,
        *,
        anchor: Cursor | None = None,
        older: bool = True,
        skip: int = 0,
        limit: int = PAGE_SIZE,
        walk: bool = True,
    ) -> Select[dt.datetime | None, int]:
        """Sort keys of ``limit`` rows, ``skip`` rows past ``anchor``, nearest first.

        Walking, the ordered index is the only one the query may use; sorting,
        only the narrowest condition's, and the ORDER BY is kept off any index.
        """
        order_at: Any
        order_rowid: Any
        if walk:
            walk_index = self._walk_index()
            where = self._where({walk_index, "received"})
            order_at, order_rowid = Dossier.received_at, _ROWID
        else:
            others = [t.kind for t in self.terms if t.kind != "received"]
            driver = self._driver(others) or "received"
            where = self._where({driver})
            order_at, order_rowid = _plain("received_at", DateTime), _PLAIN_ROWID
        if anchor is not None:
            where.append(_beyond(anchor, older, indexed=walk))
        order = (order_at.desc(), order_rowid.desc()) if older else (order_at, order_rowid)
        query = select(Dossier.received_at, _ROWID).where(*where).order_by(*order).limit(limit)
        return query.offset(skip) if skip else query

    def countable(self) -> bool:
        """Whether the per-day counts answer this filter: status, period and procedure only."""
        return (
            not self.empty
            and not self.filter.overdue_only
            and all(t.kind in ("status", "received", "procedure") for t in self.terms)
        )

    def day_counts(self, session: Session) -> list[tuple[str, int]]:
        """How many rows each day holds, newest day first (days with none left out).

        Read once from ``dossier_day_count``: one procedure's rows, or those of all
        procedures together, a few thousand whatever the store's size.
        """
        if self._days is None:
            flt = self.filter
            where: list[ColumnElement[bool]] = []
            statuses = next((t for t in self.terms if t.kind == "status"), None)
            if statuses is not None:
                asked = sorted({Status(s) for s in flt.statuses} - {Status.DRAFT})
                where.append(DossierDayCount.status.in_(asked))
            if not flt.procedure_code:
                procedure = ALL_PROCEDURES
            else:  # as the list's own condition reads it: blanks name no procedure
                procedure = flt.procedure_code.strip() or "\n"
            where.append(DossierDayCount.procedure_code == procedure)
            if flt.received_from is not None:
                where.append(DossierDayCount.day >= flt.received_from.isoformat())
            if flt.received_to is not None:
                where.append(DossierDayCount.day <= flt.received_to.isoformat())
            total = func.sum(DossierDayCount.dossiers)
            query = (
                select(DossierDayCount.day, total)
                .where(*where)
                .group_by(DossierDayCount.day)
                .having(total > 0)
                .order_by(DossierDayCount.day.desc())
            )
            self._days = [(day, int(n)) for day, n in session.execute(query)]
        return self._days

    def locate(self, session: Session, index: int) -> tuple[Cursor, int] | None:
        """Where row ``index`` (0 the newest) is read from: the end of its day, and the rows
        of that day to skip. None when the day counts do not answer this filter.
        """
        if not self.countable():
            return None
        before = 0
        for day, rows in self.day_counts(session):
            if index < before + rows:
                after = dt.date.fromisoformat(day) + dt.timedelta(days=1)
                end = dt.datetime.combine(after, dt.time())
                return Cursor(end, 0), index - before  # rowid 0: every row of ``end`` is past
            before += rows
        return None

    def count(self, session: Session) -> int:
        if self.empty:
            return 0
        if self.countable():
            return sum(rows for _, rows in self.day_counts(session))
        if self.complement is None:
            return session.scalar(self.count_query()) or 0
        # The status asked for is most of the store ("returned"). Rows meeting the other
        # conditions, less those of them with any other status (drafts included), reads
        # the few on the status index instead of testing the many one by one; with no
        # other condition, count(*) is answered from the smallest index.
        replaced: Kind = "status" if any(t.kind == "status" for t in self.terms) else "received"
        rest: list[Kind] = [t.kind for t in self.terms if t.kind != replaced]
        others = [t.plain for t in self.terms if t.kind != replaced]
        every = session.scalar(self.count_query(rest)) or 0
        excluded = select(func.count()).select_from(Dossier)
        excluded = excluded.where(Dossier.status.in_(self.complement), *others)
        return every - (session.scalar(excluded) or 0)

    def fetch(
        self,
        session: Session,
        *,
        anchor: Cursor | None = None,
        older: bool = True,
        skip: int = 0,
        limit: int = PAGE_SIZE,
        matches: int | None = None,
    ) -> Page:
        """One page, newest first, starting ``skip`` rows past ``anchor``.

        ``older`` walks down the list from ``anchor`` (from the top when None);
        otherwise up from it (from the bottom when None). ``matches``, the
        count when the caller knows it, lets the plan be chosen without it.
        """
        if self.empty or limit <= 0:
            return Page((), None, None)
        if matches is None:
            matches = self.count(session)
        walk = self.walks(skip, limit, matches)
        keys = [
            Cursor(at, rowid)
            for at, rowid in session.execute(
                self.key_query(anchor=anchor, older=older, skip=skip, limit=limit, walk=walk)
            )
            if at is not None
        ]
        if not older:
            keys.reverse()
        if not keys:
            return Page((), None, None)
        details = {
            r[0]: r
            for r in session.execute(
                select(
                    _ROWID,
                    Dossier.id,
                    Dossier.code,
                    Dossier.procedure_code,
                    Procedure.name,
                    Applicant.full_name,
                    Dossier.due_at,
                    Dossier.status,
                    Dossier.first_due_at,
                    Dossier.extended_due_at,
                )
                .join(Procedure, Procedure.code == Dossier.procedure_code)
                .join(Applicant, Applicant.id == Dossier.applicant_id)
                .where(_ROWID.in_([k.rowid for k in keys]))
            )
        }
        rows = []
        for key in keys:
            r = details[key.rowid]
            rows.append(
                DossierRow(
                    id=r.id,
                    code=r.code,
                    procedure_code=r.procedure_code,
                    procedure_name=r.name,
                    applicant_name=r.full_name,
                    received_at=key.received_at,
                    due_at=r.due_at,
                    status=r.status,
                    status_label=STATUS_LABELS.get(Status(r.status), r.status),
                    overdue=is_overdue(r.status, r.due_at, self.now),
                    first_due_at=r.first_due_at,
                    extended_due_at=r.extended_due_at,
                )
            )
        return Page(tuple(rows), keys[0], keys[-1])


def prepare(session: Session, flt: DossierFilter, now: dt.datetime) -> PreparedFilter:
    """Find the applicants the text names and size each condition on its own index.

    Raises SearchTooBroad when the text names more than APPLICANT_LIMIT people, or
    its code prefix more than CODE_LIMIT dossiers.
    """
    terms = _terms(flt, now, _applicant_ids(session, flt.text))

    def reached(condition: ColumnElement[bool], cap: int = _ESTIMATE_CAP) -> int:
        rows = select(literal(1)).where(condition).limit(cap).subquery()
        return session.scalar(select(func.count()).select_from(rows)) or 0

    for term in terms or ():
        if term.kind == "code" and reached(term.indexed, CODE_LIMIT + 1) > CODE_LIMIT:
            prefix = nfc(flt.text).upper().replace(" ", "")
            raise SearchTooBroad(
                f"Quá nhiều hồ sơ có mã bắt đầu bằng {prefix}; hãy gõ thêm các số của mã."
            )
    sizes: dict[Kind, int] = {term.kind: reached(term.indexed) for term in terms or ()}
    complement = None
    if sizes.get("status", 0) >= _ESTIMATE_CAP and not flt.overdue_only:
        asked = {Status(s) for s in flt.statuses} - {Status.DRAFT}
        others = sorted(s.value for s in Status if s not in asked)
        if reached(Dossier.status.in_(others)) < _ESTIMATE_CAP:
            complement = others
    unbounded = not (flt.received_from or flt.received_to)
    if terms and [t.kind for t in terms] == ["received"] and unbounded:
        complement = [Status.DRAFT.value]  # every received dossier: all but the drafts
    # No dossier is ever deleted, so the highest rowid is the table's size, read in O(1).
    table_rows = session.scalar(select(func.max(_ROWID)).select_from(Dossier)) or 0
    return PreparedFilter(flt, now, terms, sizes, table_rows, complement)


def find_dossier_code(session: Session, text: str) -> str | None:
    """The code as stored when ``text`` is a whole dossier code that exists, else None."""
    parsed = parse_code(text)
    if parsed is None:
        return None
    code = str(parsed)
    return code if session.scalar(select(Dossier.id).where(Dossier.code == code)) else None


@dataclass(frozen=True)
class ProcedureChoice:
    code: str
    name: str


def procedure_choices(session: Session) -> list[ProcedureChoice]:
    """Every procedure a dossier may name, retired ones too (old dossiers still carry them)."""
    rows = list(session.execute(select(Procedure.code, Procedure.name)).all())
    rows.sort(key=lambda r: (fold(r.name), r.code))
    return [ProcedureChoice(r.code, r.name) for r in rows]


@dataclass(frozen=True)
class _Way:
    anchor: Cursor | None
    older: bool
    skip: int


class DossierPages:
    """Row-number access to a filter's dossiers, a page at a time, as a table view needs.

    A view asks for row 734 812 when the clerk drags the scrollbar, then for
    the rows around it. Each page is read from the nearest page already seen
    (keyset), from the nearer end of the list, or from the end of its day
    when the day counts answer the filter; the last ``cached_pages``
    pages are kept, and the first and last key of every page seen stay as
    anchors. ``rows_fetched`` counts the rows read from the store, to show it.
    The count and ``now`` (for the overdue flag) are taken once, at creation.
    A search too vague to list leaves no rows and says why in ``problem``.
    """

    def __init__(
        self,
        read: Callable[[], AbstractContextManager[Session]],
        flt: DossierFilter,
        now: dt.datetime,
        *,
        page_size: int = PAGE_SIZE,
        cached_pages: int = 8,
    ) -> None:
        self.filter = flt
        self.now = now
        self.page_size = page_size
        self.rows_fetched = 0
        self.pages_fetched = 0
        self.problem: str | None = None
        self._read = read
        self._cached_pages = cached_pages
        self._cache: OrderedDict[int, tuple[DossierRow, ...]] = OrderedDict()
        self._bounds: dict[int, tuple[Cursor, Cursor]] = {}
        self._prepared: PreparedFilter | None = None
        self.total = 0
        with read() as session:
            try:
                self._prepared = prepare(session, flt, now)
            except SearchTooBroad as exc:
                self.problem = str(exc)
                return
            self.total = self._prepared.count(session)

    def row(self, index: int) -> DossierRow | None:
        """The row at ``index`` (0 is the newest), or None past the end."""
        if not 0 <= index < self.total:
            return None
        number, offset = divmod(index, self.page_size)
        rows = self.page(number)
        return rows[offset] if offset < len(rows) else None

    def page(self, number: int) -> tuple[DossierRow, ...]:
        cached = self._cache.get(number)
        if cached is not None:
            self._cache.move_to_end(number)
            return cached
        start = number * self.page_size
        end = min(self.total, start + self.page_size)
        if start >= end or self._prepared is None:
            return ()
        way = self._way(number, start, end)
        with self._read() as session:
            page = self._prepared.fetch(
                session,
                anchor=way.anchor,
                older=way.older,
                skip=way.skip,
                limit=end - start,
                matches=self.total,
            )
        self.pages_fetched += 1
        self.rows_fetched += len(page.rows)
        if page.first is not None and page.last is not None:
            self._bounds[number] = (page.first, page.last)
        self._cache[number] = page.rows
        while len(self._cache) > self._cached_pages:
            self._cache.popitem(last=False)
        return page.rows

    def _way(self, number: int, start: int, end: int) -> _Way:
        """The cheapest way in: the fewest rows to skip, from an end or from a page seen."""
        best = _Way(None, True, start)
        if self.total - end < best.skip:
            best = _Way(None, False, self.total - end)
        if self._prepared is not None and (best.skip or best.anchor is None):
            # From the end of the row's day: fewer rows skipped, and none of the newer
            # days walked through (the newest "returned" are weeks back).
            with self._read() as session:
                located = self._prepared.locate(session, start)
            if located is not None and located[1] <= best.skip:
                best = _Way(located[0], True, located[1])
        for seen, (first, last) in self._bounds.items():
            if seen < number and start - (seen + 1) * self.page_size < best.skip:
                best = _Way(last, True, start - (seen + 1) * self.page_size)
            elif seen > number and seen * self.page_size - end < best.skip:
                best = _Way(first, False, seen * self.page_size - end)
        return best
