"""Pushed values the server's databases cannot hold, refused one mutation at a time.

PostgreSQL refuses text holding NUL (U+0000), both databases refuse integers
beyond 64 bits, and an applied mutation's key must fit its column. Met in the
middle of a push, any of these failed the whole transaction with a 500, and the
counter sent the same batch again for ever. Here such a mutation is rejected on
its own with ``invalid_payload`` before any query names it, and the rest of the
batch goes on as usual (later mutations of its dossier wait behind it).
"""

from __future__ import annotations

from typing import Any

from sync import protocol
from sync.server.changes import Numbered
from sync.server.push import PushBatch
from sync.server.rejection import Rejected

MUTATION_ID_LENGTH = 36  # AppliedMutation.mutation_id


def unstorable(value: Any, where: str = "") -> str | None:
    """Why ``value`` (JSON) cannot be stored, naming its field (``applicant.full_name``)."""
    named = f"trường {where}: " if where else ""
    if isinstance(value, str):
        return f"{named}văn bản chứa ký tự NUL" if "\x00" in value else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        fits = -protocol.MAX_INT - 1 <= value <= protocol.MAX_INT
        return None if fits else f"{named}số quá lớn"
    items: list[tuple[Any, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            items += [(key, where or "khóa"), (item, inner)]
    elif isinstance(value, list):
        items = [(item, f"{where}[{n}]") for n, item in enumerate(value)]
    for item, inner in items:
        problem = unstorable(item, inner)
        if problem:
            return problem
    return None


def storable(value: Any) -> bool:
    """Whether ``unstorable`` would find nothing, without naming fields on the way.

    A push of a few dossiers holds thousands of values; building every field's
    path to name the rare bad one cost a push more CPU than all its queries.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return False
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not -protocol.MAX_INT - 1 <= item <= protocol.MAX_INT:
                return False
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def mutation_problem(mutation: protocol.Mutation) -> str | None:
    if not 0 < len(mutation.mutation_id) <= MUTATION_ID_LENGTH:
        return f"mã thay đổi dài quá {MUTATION_ID_LENGTH} ký tự"
    envelope = {
        "mutation_id": mutation.mutation_id,
        "entity": mutation.entity,
        "entity_id": mutation.entity_id,
        "operation": mutation.operation,
    }
    if storable(envelope) and storable(mutation.payload):
        return None
    return unstorable(envelope) or unstorable(mutation.payload)


class GuardedPushBatch(PushBatch):
    """A ``PushBatch`` that rejects, one by one, the mutations holding what cannot be stored."""

    def _preload(self, mutations: list[protocol.Mutation]) -> dict[str, int | None]:
        return super()._preload([m for m in mutations if mutation_problem(m) is None])

    def _apply_one(self, mutation: protocol.Mutation) -> Numbered:
        problem = mutation_problem(mutation)
        if problem:
            raise Rejected(
                "invalid_payload",
                f"Dữ liệu gửi lên không lưu được ({problem}); hãy báo quản trị để kiểm tra.",
            )
        return super()._apply_one(mutation)
