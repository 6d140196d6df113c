"""Upload receipts: the server's signed word that a device sent a blob's bytes.

A push may name a scan only if the device's unit holds it (``records.nameable_blob``).
The holder row used to be written on the upload's path, and the upload's answer
waited for its commit: one more WAL flush per scan, on the disk the scan itself
was being flushed to. A counter that asks for a receipt (``Upload-Receipt`` in its
request) gets, in the answer that stores the blob, an HMAC of the blob's hash, its
device and its unit under a key kept in the database; it shows the receipt with
the hash in its blob query and its push, and the push writes the holder row in
its own transaction, one statement for the whole batch. The key is the same for
every process (read from ``server_meta`` once), so a receipt issued by one is
honoured by all; a counter that asks for none still gets its holder row at upload.

A receipt proves only who sent the bytes, not that they are still there: the
query and the push still ask the blob store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable, Mapping
from functools import partial

from sqlalchemy.exc import IntegrityError

from sync.server.db import Database
from sync.server.models import ServerMeta

KEY_NAME = "upload_receipt_key"
VERSION = "r1."
_TAG_BYTES = 16  # 128 bits: a forgery is a guess of that many


class ReceiptBook:
    """Issues and checks receipts under one key, read when first needed.

    Not at start: a server whose database is down or not yet migrated must still
    start and say so (``/readyz``). The first receipt a process issues or checks
    reads the key (a blocking read, once per process); a push or query showing
    no receipt never needs it.
    """

    def __init__(self, read_key: Callable[[], bytes]) -> None:
        self._read_key = read_key
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def issue(self, sha256: str, device_id: str, unit_code: str) -> str:
        return VERSION + self._tag(sha256, device_id, unit_code)

    def valid(self, receipt: str, sha256: str, device_id: str, unit_code: str) -> bool:
        if not receipt.startswith(VERSION):
            return False
        expected = self._tag(sha256, device_id, unit_code)
        return hmac.compare_digest(receipt[len(VERSION) :].encode(), expected.encode())

    def vouched(self, receipts: Mapping[str, str], device_id: str, unit_code: str) -> set[str]:
        """The hashes among ``receipts`` whose receipt this device of this unit was given."""
        if not receipts:
            return set()
        return {
            sha256
            for sha256, receipt in receipts.items()
            if self.valid(receipt, sha256, device_id, unit_code)
        }

    def _tag(self, sha256: str, device_id: str, unit_code: str) -> str:
        message = "\0".join(("blob", sha256, device_id, unit_code)).encode()
        digest = hmac.new(self._secret(), message, hashlib.sha256).digest()[:_TAG_BYTES]
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def _secret(self) -> bytes:
        with self._lock:
            if self._key is None:
                self._key = self._read_key()
            return self._key


def open_book(database: Database) -> ReceiptBook:
    """The receipts under the database's key."""
    return ReceiptBook(partial(read_key, database))


def read_key(database: Database) -> bytes:
    """The database's receipt key, made by whoever needs it first; processes racing agree."""
    with database.read() as session:
        row = session.get(ServerMeta, KEY_NAME)
        if row is not None:
            return bytes.fromhex(row.value)
    try:
        with database.write() as session:
            session.add(ServerMeta(key=KEY_NAME, value=secrets.token_hex(32)))
    except IntegrityError:
        pass  # another process made it first: read theirs
    with database.read() as session:
        row = session.get(ServerMeta, KEY_NAME)
        assert row is not None
        return bytes.fromhex(row.value)
