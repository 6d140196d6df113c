"""``python -m build_app``: the one-folder build of ``counter-app`` into ``dist/counter-app/``.

Options: ``--dist DIR`` (default ``dist``), ``--work DIR`` (PyInstaller's work
folder, default ``build``). Prints the folder, its size and how long it took.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_app" / "counter-app.spec"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def executable(dist: Path) -> Path:
    name = "counter-app.exe" if os.name == "nt" else "counter-app"
    return dist / "counter-app" / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_app", description=__doc__)
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--work", default=str(ROOT / "build"))
    args = parser.parse_args(argv)
    try:
        import PyInstaller.__main__
    except ImportError:
        print("PyInstaller is not installed: pip install -e '.[build]'", file=sys.stderr)
        return 2
    work = Path(args.work)
    os.environ["WARD_COUNTER_METADATA_DIR"] = str(work / "metadata")
    started = time.perf_counter()
    PyInstaller.__main__.run(
        [
            str(SPEC),
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(args.dist),
            "--workpath",
            str(work),
        ]
    )
    elapsed = time.perf_counter() - started
    binary = executable(Path(args.dist))
    size = folder_size(binary.parent)
    print(f"built {binary} in {elapsed:.0f} s; folder {size / 1024**2:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
