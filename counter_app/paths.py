"""Where the application keeps its data.

Resolved in one place so the GUI, the CLI and the tests agree: an explicit
``--data-dir`` wins, then ``COUNTER_DATA_DIR``, then the platform's user data
directory. Nothing is created on import.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "WardCounter"
ENV_DATA_DIR = "COUNTER_DATA_DIR"
DATABASE_FILE = "counter.sqlite3"
BLOB_DIR = "blobs"
SYNC_LOCK_FILE = "sync.lock"
# The enrolment with the provincial server (written by ``sync.client.credentials``).
ENROLMENT_FILE = "sync-device.json"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory for this run, not yet created."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        return Path(from_env).expanduser().resolve()
    import platformdirs  # only when neither names the directory

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILE


def database_url(data_dir: Path) -> str:
    return f"sqlite:///{database_path(data_dir)}"
