"""Settings beside the store: defaults, round trip, and a damaged file named."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.errors import ValidationError
from counter_app.settings import Settings, load_settings, save_settings, settings_path


def test_defaults_then_round_trip(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    chosen = Settings(language="en", idle_lock_minutes=3, paper="A4", place_name="Hạc Thành")
    save_settings(tmp_path, chosen)
    assert load_settings(tmp_path) == chosen


def test_bad_values_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        save_settings(tmp_path, Settings(language="fr", idle_lock_minutes=0, paper="Letter"))
    assert set(caught.value.errors) == {"language", "idle_lock_minutes", "paper"}
    assert not settings_path(tmp_path).exists()


def test_damaged_file_is_named(tmp_path: Path) -> None:
    settings_path(tmp_path).write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_settings(tmp_path)
    assert str(settings_path(tmp_path)) in caught.value.errors


def test_backup_settings_round_trip_and_bad_ones_are_named(tmp_path: Path) -> None:
    usb = str(tmp_path / "usb")
    save_settings(tmp_path, Settings(backup_folder=usb, backup_keep=30))
    assert (load_settings(tmp_path).backup_folder, load_settings(tmp_path).backup_keep) == (usb, 30)
    with pytest.raises(ValidationError) as caught:
        save_settings(tmp_path, Settings(backup_folder="usb", backup_keep=0))
    assert set(caught.value.errors) == {"backup_folder", "backup_keep"}
