"""The server's limits, in one place: the command line sets them, the app and blob store read them.

Every request body is bounded before it is read, because FastAPI reads a JSON body
whole and parses it into objects several times its size: an anonymous enrolment
request of 40 MB cost the server 120 MB of memory. The defaults fit the counters
this project ships (a push carries at most ``MAX_PUSH_BATCH`` mutations of a few
kilobytes each; a scan is at most a few tens of megabytes, see the counter's
digitizing settings) with a wide margin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class ServerLimits:
    """Body sizes in bytes, how long an unfinished upload is kept, and requests per device."""

    # An enrolment request is a code, a unit, a slot and a device name.
    enrol_bytes: int = 16 * KIB
    # A push of MAX_PUSH_BATCH mutations, each a whole dossier at most.
    push_bytes: int = 32 * MIB
    # Any other request: a blob query of 10,000 hashes is about 700 KB.
    other_bytes: int = 2 * MIB
    # One scan; its upload is also bounded by the length it declared.
    blob_bytes: int = 512 * MIB
    # An upload not written to for this long is deleted; the counter starts it again.
    upload_max_age: dt.timedelta = dt.timedelta(days=2)
    # Requests a second per device, with bursts of ``device_burst``; 0 is no limit
    # (a bucket per process: see rate_limit.py).
    device_rate: float = 0.0
    device_burst: int = 100
    # Requests working the database that one process serves at once (0: no limit), and
    # how long one more may wait for its turn before a 503 (see admission.py).
    admission_slots: int = 8
    admission_wait_s: float = 0.2


# The signed update repository the server hands to counters (updates.py, update_repo.py).
ENV_UPDATES_DIR = "PROVINCE_UPDATES_DIR"
DEFAULT_UPDATES_DIR = "updates"
