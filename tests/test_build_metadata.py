"""The frozen build's distribution metadata carries the commands of the tree being built."""

from __future__ import annotations

import importlib
import tomllib
from importlib.metadata import PathDistribution
from pathlib import Path

from build_app.metadata import ROOT, command_modules, write_dist_info


def test_the_written_entry_points_are_pyprojects(tmp_path: Path) -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    folder = write_dist_info(tmp_path)

    found = PathDistribution(folder)
    assert found.metadata["Name"] == project["name"]
    assert found.version == project["version"]
    commands = {e.name: e.value for e in found.entry_points.select(group="counter_app.commands")}
    assert commands == project["entry-points"]["counter_app.commands"]
    scripts = found.entry_points.select(group="console_scripts")
    assert [e.value for e in scripts] == [project["scripts"]["counter-app"]]


def test_every_command_module_the_build_names_imports() -> None:
    modules = command_modules()
    assert "ui.launcher" in modules and "sync.client.cli" in modules
    for name in modules:
        assert callable(importlib.import_module(name).register)
