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
CITIZEN_WORDS = frozenset({"lam", "xin", "cho", "con", "cua", "toi", "muon", "giup", "voi"})

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


def _phrase(words: list[Term]) -> str:
    return '"' + " ".join(t.word for t in words) + '"' + ("*" if words[-1].prefix else "")


def search_codes(session: Session, typed: str, limit: int) -> list[str]:
    """Codes of the active procedures best matching ``typed``, best first.

    A procedure matching more of the words comes first, so a citizen's phrase
    ("giay khai sinh": the paper they want, not the procedure's name) still
    finds it; among equals, the one whose name starts with the words typed,
    then the one holding more of them side by side as typed ("khai sinh" in
    "giay khai sinh" is not "giấy phép khai thác"), then bm25. A word that no
    procedure uses (a typo) finds nothing rather than something unrelated,
    and the exact code typed comes first.
    """
    key = key_terms(terms(typed))
    if not key:
        return []
    for term in key:
        used = session.execute(
            text(f"SELECT 1 FROM {PROCEDURE_SEARCH} WHERE {PROCEDURE_SEARCH} MATCH :q LIMIT 1"),
            {"q": term.query},
        ).first()
        if used is None:
            return []
    params: dict[str, object] = {
        "any": " OR ".join(t.query for t in key),
        "exact": " ".join(t.word for t in key),
        "start": f"name : ^ {_phrase(key)}",
        "limit": limit,
    }
    within = f"(rowid IN (SELECT rowid FROM {PROCEDURE_SEARCH} WHERE {PROCEDURE_SEARCH} MATCH :%s))"
    # Each term of the ORDER BY is an expression: a bare integer there would be a column number.
    order = ["code = :exact DESC"]
    if all(_CODE.match(t.word) for t in key):
        # A code or its beginning: the codes in their own order.
        order.append("procedure_code")
    else:
        if len(key) > 1:
            for i, term in enumerate(key):
                params[f"t{i}"] = term.query
            order.append(" + ".join(within % f"t{i}" for i in range(len(key))) + " DESC")
        order.append(within % "start" + " DESC")
        pairs = [key[i : i + 2] for i in range(len(key) - 1)]
        for i, pair in enumerate(pairs):
            params[f"p{i}"] = f"name : {_phrase(pair)}"
        if pairs:
            order.append(" + ".join(within % f"p{i}" for i in range(len(pairs))) + " DESC")
        order += [f"bm25({PROCEDURE_SEARCH}, {_WEIGHTS})", "procedure_code"]
    sql = (
        f"SELECT procedure_code FROM {PROCEDURE_SEARCH} WHERE {PROCEDURE_SEARCH} MATCH :any "
        f"ORDER BY {', '.join(order)} LIMIT :limit"
    )
    return [row[0] for row in session.execute(text(sql), params)]
