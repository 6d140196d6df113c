"""The device's enrolment: which server, and the token it gave this counter.

Kept in a file of its own in the data directory, readable by the owner only,
not in the SQLite store: a copy of the store handed to the supervisor for a
report, or attached to a bug report, carries no token. (An OS keyring would be
better still where there is one; the file is what works on every counter PC.)
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

CREDENTIALS_FILE = "sync-device.json"


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    device_token: str
    unit_code: str
    device_slot: int
    enrolled_at: str


def credentials_path(data_dir: Path) -> Path:
    return data_dir / CREDENTIALS_FILE


def load(data_dir: Path) -> Enrolment | None:
    try:
        raw = json.loads(credentials_path(data_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Enrolment(
        server_url=str(raw["server_url"]),
        device_token=str(raw["device_token"]),
        unit_code=str(raw["unit_code"]),
        device_slot=int(raw["device_slot"]),
        enrolled_at=str(raw.get("enrolled_at", "")),
    )


def save(data_dir: Path, enrolment: Enrolment) -> Path:
    """Write atomically with owner-only permissions; a crash leaves the old file or the new."""
    target = credentials_path(data_dir)
    temporary = target.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(asdict(enrolment), handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    return target
