"""The data directory: --data-dir beats COUNTER_DATA_DIR beats the platform's default."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from counter_app.paths import ENV_DATA_DIR, resolve_data_dir


def test_explicit_directory_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "given") == (tmp_path / "given").resolve()


def test_environment_beats_the_platform_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert resolve_data_dir() == (tmp_path / "from-env").resolve()


def test_platform_default_is_the_user_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    default = resolve_data_dir()
    assert default == Path(platformdirs.user_data_dir("WardCounter", appauthor=False))
