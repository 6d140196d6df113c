"""What can go wrong in a sync, sorted by what to do about it.

``Transient`` problems (the network, 408, 429, 5xx) are retried with backoff;
``AuthRequired`` (401) needs the device enrolled again; ``RequestRejected``
(any other 4xx) will not get better by sending the same thing again. Every
message is a sentence for the clerk, in Vietnamese like the rest of the counter.
"""

from __future__ import annotations


class SyncError(Exception):
    """Base of every sync failure; ``str()`` is the sentence to show."""


class SyncBusy(SyncError):
    """Another sync (another window, or the command line) holds this data directory."""


class Transient(SyncError):
    def __init__(self, message: str, retry_after: float | None = None, code: str = "") -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.code = code  # the server's error code, when the server itself answered


class NetworkError(Transient):
    """No answer at all: the server is down, unreachable, or the connection broke."""


class Unreachable(SyncError):
    """The server could not be reached within the retry budget; local data is safe."""


class NotTheServer(Unreachable):
    """Something answered in the server's place: a captive portal's sign-in page, a wrong URL.

    Retrying will not help until a person signs the network in or fixes the address.
    """


class AuthRequired(SyncError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class RequestRejected(SyncError):
    def __init__(self, message: str, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
