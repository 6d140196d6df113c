"""The catalog's full-text index (SQLite FTS5) and the per-keystroke search over it.

A province's catalog holds 2,000+ procedures and the picker searches at every
keystroke, so a LIKE scan of every name will not do; FTS5 answers from its
inverted index and ranks with bm25.

The index holds our own folded text (``counter_app.text.fold``), not the names
as stored: FTS5's ``remove_diacritics`` leaves "đ" alone, so "dang ky" would never
find "Đăng ký". The code keeps its dots (``tokenchars '.'``) so that "1.0011"
is one prefix of "1.001193"; dots elsewhere are spaces.

The index stores the code beside the words instead of pointing at the procedure
table's rowid (external content): that table has a text primary key, so its
rowids are SQLite's to renumber (VACUUM, a batch migration copying the table),
and an index keyed on them would silently point at the wrong procedures. It is
rebuilt whole from the active procedures whenever a catalog is imported, in the
importer's transaction: a few thousand rows, a few tens of milliseconds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from counter_app.models import PROCEDURE_SEARCH, Procedure
from counter_app.text import fold

# Words a citizen says around the procedure's name ("làm giấy khai sinh cho con",
# "xin chứng thực bản sao của tôi") that name no procedure. They are left out of
# the query unless nothing else was typed, so they neither rank a longer name that
# happens to contain them above the right one nor void a search when no procedure
# uses them. Deliberately short: each one also hides a real word it folds to.
# "giấy" is the paper the citizen asks for ("giấy khai sinh" is what "Đăng ký khai
# sinh" gives); in names it is "giấy phép", "giấy chứng nhận", "giấy tờ" of every
# field, so it would rank "Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân"
# above "Đăng ký khai sinh" while telling no procedure from another.
CITIZEN_WORDS = frozenset({"lam", "xin", "cho", "con", "cua", "toi", "muon", "giup", "voi", "giay"})

_CODE = re.compile(r"^\d+\.[\d.]*$")
# Column weights of bm25: a word in the name counts most, one in the field least.
_WEIGHTS = "1.0, 10.0, 2.0, 0.0"


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool

    @property
    def query(self) -> str:
        # Quoted: a bare word may not hold a dot; folded words hold no quote.
        return f'"{self.word}"' + ("*" if self.prefix else "")


def index_words(value: str) -> str:
    """A name or field as the index holds it: folded, dots as spaces."""
    return " ".join(fold(value).replace(".", " ").split())


def rebuild(session: Session) -> int:
    """Replace the index with the active procedures; how many it now holds."""
    rows = [
        {"key": fold(code), "name": index_words(name), "field": index_words(field), "code": code}
        for code, name, field in session.execute(
            Procedure.__table__.select()
            .with_only_columns(Procedure.code, Procedure.name, Procedure.field)
            .where(Procedure.active.is_(True))
        )
    ]
    # Shortest names first: FTS5 yields matches in rowid order, which is then the
    # order of a one-word search (see search_codes) at no cost.
    rows.sort(key=lambda row: (len(row["name"]), row["code"]))
    session.execute(text(f"DELETE FROM {PROCEDURE_SEARCH}"))
    if rows:
        session.execute(
            text(
                f"INSERT INTO {PROCEDURE_SEARCH} (code, name, field, procedure_code)"
                " VALUES (:key, :name, :field, :code)"
            ),
            rows,
        )
    return len(rows)


def terms(typed: str) -> list[Term]:
    """The words of ``typed`` as index terms; the last one a prefix while it is being typed."""
    words: list[str] = []
    for token in fold(typed).split():
        if _CODE.match(token):
            words.append(token)
        else:
            words.extend(part for part in token.split(".") if part)
    still_typing = bool(typed) and not typed[-1].isspace()
    found: list[Term] = []
    for position, word in enumerate(words):
        term = Term(word, prefix=still_typing and position == len(words) - 1)
        if term not in found:
            found.append(term)
    return found


def key_terms(found: list[Term]) -> list[Term]:
    """The terms that choose and rank: the citizen's filler words left out, unless that is all."""
    key = [t for t in found if t.word not in CITIZEN_WORDS]
    return key or found


def search_codes(session: Session, typed: str, limit: int) -> list[str]:
    """Codes of the active procedures best matching ``typed``, best first.

    A procedure matching more of the words comes first, so a citizen's phrase
    ("giay khai sinh": the paper they want, not the procedure's name) still
    finds it; among equals, the one whose name starts with the words typed,
    then the one holding more of them side by side as typed ("khai sinh" in
    "giay khai sinh" is not "giấy phép khai thác"), then bm25. A word that no
    procedure uses (a typo) finds nothing rather than something unrelated,
    and the exact code typed comes first.

    Common words ("cap", "xac nhan") each match most of a real catalog, so ranking
    every procedure that has any word would cost tens of milliseconds a
    keystroke. The words' matches are counted first (one index look-up each,
    which also finds a typo), and only the best-matching tiers, down to the
    first that fills the list, are ranked by phrase and bm25.
    """
    key = key_terms(terms(typed))
    if not key:
        return []
    params: dict[str, object] = {
        "any": " OR ".join(t.query for t in key),
        "exact": " ".join(t.word for t in key),
        "limit": limit,
    }
    where = f"{PROCEDURE_SEARCH} MATCH :any"
    counts: Counter[int] = Counter()
    if len(key) > 1:
        # Thousands of bare integers: the driver's own cursor, without a Row object each.
        for term in key:
            found = _rowids(session, term.query)
            if not found:
                return []
            counts.update(found)
        tiers = sorted(set(counts.values()), reverse=True)
        chosen: list[int] = []
        for tier in tiers:
            chosen += [rowid for rowid, n in counts.items() if n == tier]
            if len(chosen) >= limit:
                break
        # Integers from the index itself, so safe to write into the statement.
        # "+rowid": a filter on the rows the MATCH yields, not a look-up per rowid.
        where += f" AND +rowid IN ({','.join(map(str, chosen))})"
    elif not _CODE.match(key[0].word):
        return _one_word(session, key[0], limit)
    else:
        used = session.execute(
            text(f"SELECT 1 FROM {PROCEDURE_SEARCH} WHERE {PROCEDURE_SEARCH} MATCH :any LIMIT 1"),
            {"any": params["any"]},
        ).first()
        if used is None:
            return []
    if all(_CODE.match(t.word) for t in key):
        # A code or its beginning: the codes in their own order.
        rank = ["0", "0", "0"]
    else:
        # Plain string tests on the stored folded name, row by row: an FTS5 phrase
        # query ending in a short prefix ("tro c"*) merges the positions of every
        # word starting with "c", and cost more than all the rest together.
        words = " ".join(t.word for t in key)
        params["start"] = words + ("%" if key[-1].prefix else " %")
        start = "(name || ' ') LIKE :start" if not key[-1].prefix else "name LIKE :start"
        pairs = []
        for i in range(len(key) - 1):
            first, second = key[i], key[i + 1]
            params[f"p{i}"] = f" {first.word} {second.word}" + ("" if second.prefix else " ")
            pairs.append(f"(instr(' ' || name || ' ', :p{i}) > 0)")
        rank = [start, " + ".join(pairs) or "0", f"bm25({PROCEDURE_SEARCH}, {_WEIGHTS})"]
    sql = (
        f"SELECT rowid, procedure_code, code = :exact, {rank[0]}, {rank[1]}, {rank[2]} "
        f"FROM {PROCEDURE_SEARCH} WHERE {where}"
    )
    if not counts:
        # A code or its beginning: SQLite sorts and cuts the list itself.
        sql += " ORDER BY 3 DESC, 2 LIMIT :limit"
    rows = list(session.execute(text(sql), params).all())
    rows.sort(key=lambda r: (-r[2], -counts[r[0]], -r[3], -r[4], r[5], r[1]))
    return [row[1] for row in rows[:limit]]


def _one_word(session: Session, term: Term, limit: int) -> list[str]:
    """One word: the names starting with it, then the others, each shortest first.

    The first letters typed match most of the catalog, and reading every
    matching name (or scoring it with bm25) cost more than the 10 ms a keystroke
    has; one word says little more than this order anyway. Only row numbers
    are read: the index holds the rows shortest name first (see rebuild).
    """
    found = _rowids(session, term.query)
    if not found:
        return []
    starting = _rowids(session, f"name : ^ {term.query}")
    first = set(starting)
    chosen = (starting + [r for r in found if r not in first])[:limit]
    codes: dict[int, str] = {
        rowid: code
        for rowid, code in session.execute(
            text(
                f"SELECT rowid, procedure_code FROM {PROCEDURE_SEARCH} WHERE rowid IN "
                f"({','.join(map(str, chosen))})"
            )
        )
    }
    return [codes[r] for r in chosen]


def _rowids(session: Session, query: str) -> list[int]:
    """The row numbers matching ``query``, in order.

    Thousands of bare integers for a short prefix: read through the driver's own
    cursor, without building a Row object for each.
    """
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(
            f"SELECT rowid FROM {PROCEDURE_SEARCH} WHERE {PROCEDURE_SEARCH} MATCH ?", (query,)
        )
        return [rowid for (rowid,) in cursor.fetchall()]
    finally:
        cursor.close()
