"""The ``counter_app.commands`` entry points, read from the installed metadata directly.

Every ``counter-app`` start (the window's too) builds its parser from these.
``importlib.metadata`` would find the same entries, but importing it pulls in
the e-mail parser, zipfile and csv for metadata this lookup never reads, which
cost a one-form ``print`` command about a sixth of its time. The files are
the ones ``importlib.metadata`` reads, found the same way: each
``*.dist-info`` or ``*.egg-info`` folder on ``sys.path``, the first
distribution of a name winning, ``entry_points.txt`` in the INI format of the
entry points specification (packaging.python.org, "Entry points
specification").
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

GROUP = "counter_app.commands"
_METADATA_DIR = re.compile(r"^(?P<name>[^-]+)(?:-.*)?\.(?:dist|egg)-info$")


@dataclass(frozen=True)
class Plugin:
    """One entry point: ``name = module:attribute [extras]``."""

    name: str
    value: str

    def load(self) -> Callable[[Any], None]:
        target = self.value.split("[", 1)[0].strip()
        module_name, _, attribute = target.partition(":")
        found: Any = importlib.import_module(module_name.strip())
        for part in filter(None, attribute.strip().split(".")):
            found = getattr(found, part)
        return found  # type: ignore[no-any-return]


def command_plugins(path: Iterable[str] | None = None) -> list[Plugin]:
    """The entry points of the group ``counter_app.commands``, in the order installed."""
    return [
        plugin
        for folder in _distributions(sys.path if path is None else path)
        for plugin in _group(os.path.join(folder, "entry_points.txt"), GROUP)
    ]


def _distributions(path: Iterable[str]) -> Iterator[str]:
    """The metadata folder of each distribution, the first on ``path`` of each name."""
    seen: set[str] = set()
    for entry in path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue  # a zip file, a path hook or a folder that is gone
        for name in names:
            match = _METADATA_DIR.match(name)
            if match is None:
                continue
            key = re.sub(r"[-_.]+", "_", match["name"]).lower()
            if key not in seen:
                seen.add(key)
                yield os.path.join(entry or ".", name)


def _group(file: str, group: str) -> Iterator[Plugin]:
    try:
        with open(file, encoding="utf-8") as lines:
            section = None
            for raw in lines:
                line = raw.strip()
                if not line or line[0] in "#;":
                    continue
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1].strip()
                elif section == group and "=" in line:
                    name, _, value = line.partition("=")
                    yield Plugin(name.strip(), value.strip())
    except OSError:
        return
