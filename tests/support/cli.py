"""Running the ``counter-app`` command as a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.counter_store import ADMIN_PASSWORD

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
# The admin's password in the data directory of the ``initialised`` fixture.
INIT_ADMIN_PASSWORD = "quan-tri-123"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COUNTER_APP, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


AS_ADMIN = {"COUNTER_USER": "admin", "COUNTER_PASSWORD": ADMIN_PASSWORD}
