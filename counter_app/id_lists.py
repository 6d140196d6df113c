"""Thousands of ids in one query, bound as a single JSON array.

A catch-up asks the store about every id of a page at once (5,000 events,
2,000 dossiers). ``column.in_(ids)`` makes SQLAlchemy render and process one
bound parameter per id on every execution, which took longer than SQLite took
to answer; one JSON text read back by SQLite's ``json_each`` (JSON1 is part of
every SQLite the counter runs on) is bound once, and the statement is cached.
The counter's store is always SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, String, TableValuedAlias, func, literal, select
from sqlalchemy.orm import QueryableAttribute


def each(values: Iterable[Any]) -> TableValuedAlias:
    """The values (strings or integers) as the rows of a table whose one column is ``value``.

    A query per id of them (a correlated subquery) lets SQLite answer each from
    an index, where a GROUP BY over all their rows would read every one.
    """
    return func.json_each(literal(json.dumps(list(values)), String())).table_valued("value")


def among(
    column: ColumnElement[Any] | QueryableAttribute[Any], values: Iterable[Any]
) -> ColumnElement[bool]:
    """``column IN (values)`` for a long list of strings or integers, in one bound parameter."""
    return column.in_(select(each(values).c.value))
