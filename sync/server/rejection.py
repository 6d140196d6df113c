"""Why a pushed mutation was refused: a code the counter may act on and a sentence for the clerk."""

from __future__ import annotations


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
