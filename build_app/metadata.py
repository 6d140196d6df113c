"""The ``ward-counter`` distribution metadata a frozen build carries.

``counter_app.cli`` finds the commands of the outer layers through the
``counter_app.commands`` entry points (``importlib.metadata``), and a frozen
build has no installed distribution to read them from. They are written here
from ``pyproject.toml`` itself, so the build holds exactly the commands of the
tree being built, whatever version happens to be installed in the building
environment.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        data = tomllib.load(handle)
    found = data["project"]
    assert isinstance(found, dict)
    return found


def write_dist_info(target: Path) -> Path:
    """Write ``<name>-<version>.dist-info`` (METADATA, entry_points.txt) under ``target``."""
    info = project()
    name, version = str(info["name"]), str(info["version"])
    folder = target / f"{name.replace('-', '_')}-{version}.dist-info"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = []
    groups = info.get("entry-points", {})
    assert isinstance(groups, dict)
    for group, points in groups.items():
        lines.append(f"[{group}]")
        lines += [f"{key} = {value}" for key, value in points.items()]
        lines.append("")
    scripts = info.get("scripts", {})
    assert isinstance(scripts, dict)
    lines.append("[console_scripts]")
    lines += [f"{key} = {value}" for key, value in scripts.items() if key == "counter-app"]
    (folder / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def command_modules() -> list[str]:
    """The modules the ``counter_app.commands`` entry points name (loaded by name only)."""
    groups = project().get("entry-points", {})
    assert isinstance(groups, dict)
    points = groups.get("counter_app.commands", {})
    return sorted({str(value).split(":")[0] for value in points.values()})
