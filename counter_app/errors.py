"""Errors a person at the counter can act on.

Each carries a plain-language message (Vietnamese first, as the UI speaks it,
with the English in ``english``) and, for validation, the field it concerns, so
the GUI can show it beside that field and the CLI can name the option.
"""

from __future__ import annotations

from collections.abc import Mapping


class CounterError(Exception):
    """Base of every error the services raise on purpose."""


class ValidationError(CounterError):
    """One or more fields are wrong; ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class NotFound(CounterError):
    """The thing asked for does not exist in this store."""


class NotAllowed(CounterError):
    """The user's role or unit may not do this."""


class AuthenticationFailed(CounterError):
    """Wrong user name or password, or the account is locked."""


class NotInitialised(CounterError):
    """The data directory has no unit and device yet; run ``counter-app init`` first."""


class StoreUnusable(CounterError):
    """The store's file cannot be used as it is: damaged, newer, read-only, full or locked.

    Raised before anything is written to it, so a damaged store is left as it was
    found for whoever repairs it or restores a backup.
    """
