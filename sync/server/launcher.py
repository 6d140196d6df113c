"""The ``province-server`` entry point: says what to install before anything needs it.

A counter PC installs ``ward-counter`` without the server's packages (FastAPI,
uvicorn, psycopg), yet the ``province-server`` script is installed with it. Run
there, the server's modules would fail on their first import with a traceback
naming a package the user never heard of; this checks first and says, in
Vietnamese and English, which command installs them. Only the standard library is
imported before the check.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

# The import names of the ``server`` extra's packages (pyproject.toml).
SERVER_MODULES = ("fastapi", "uvicorn", "psycopg")
INSTALL_COMMAND = "pip install 'ward-counter[server]'"


def missing_modules() -> list[str]:
    """The server's packages that cannot be imported here."""
    absent = []
    for name in SERVER_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            absent.append(name)
    return absent


def missing_message(absent: Sequence[str]) -> str:
    names = ", ".join(absent)
    return (
        f"Lỗi: máy này chưa cài các gói của máy chủ tỉnh ({names}). "
        f"Hãy cài bằng lệnh: {INSTALL_COMMAND}\n"
        f"Error: the provincial server's packages are not installed ({names}). "
        f"Install them with: {INSTALL_COMMAND}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    absent = missing_modules()
    if absent:
        print(missing_message(absent), file=sys.stderr)
        return 2
    from sync.server.cli import main as server_main

    return server_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
