"""Settings beside the store: defaults, round trip, strict reading, and nothing stored lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from counter_app import settings_file
from counter_app.digitize_settings import (
    DigitizeSettings,
    digitize_settings_path,
    load_digitize_settings,
    save_digitize_settings,
)
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


def test_a_quoted_no_is_not_taken_for_yes(tmp_path: Path) -> None:
    path = digitize_settings_path(tmp_path)
    text = json.dumps({"dpi": 150, "compact": "no"})
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load_digitize_settings(tmp_path)

    message = caught.value.errors[str(path)]
    assert message.startswith(f'Tệp cài đặt số hóa {path}: mục "compact" phải là true hoặc false')
    assert 'đang là "no"' in message and "Hãy sửa mục đó trong tệp" in message
    assert path.read_text(encoding="utf-8") == text, "the file is left as it was"


@pytest.mark.parametrize(
    ("stored", "key", "wanted"),
    [
        ({"idle_lock_minutes": "10"}, "idle_lock_minutes", "một số nguyên"),
        ({"idle_lock_minutes": 2.5}, "idle_lock_minutes", "một số nguyên"),
        ({"paper": 4}, "paper", "một chuỗi trong dấu ngoặc kép"),
        ({"idle_lock_minutes": 0}, "idle_lock_minutes", "từ 1 đến 240 phút"),
    ],
)
def test_a_wrong_value_in_the_file_is_named_with_its_key(
    tmp_path: Path, stored: dict[str, object], key: str, wanted: str
) -> None:
    settings_path(tmp_path).write_text(json.dumps(stored), encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        load_settings(tmp_path)

    message = caught.value.errors[str(settings_path(tmp_path))]
    assert f'Tệp cài đặt {settings_path(tmp_path)}: mục "{key}"' in message
    assert wanted in message


def test_not_an_object_is_named(tmp_path: Path) -> None:
    settings_path(tmp_path).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValidationError, match="phải là một đối tượng JSON"):
        load_settings(tmp_path)


def test_saving_keeps_keys_a_newer_version_wrote(tmp_path: Path) -> None:
    settings_path(tmp_path).write_text(
        json.dumps({"paper": "A4", "printer_tray": 2}), encoding="utf-8"
    )
    settings = load_settings(tmp_path)
    assert settings.paper == "A4"

    save_settings(tmp_path, replace(settings, idle_lock_minutes=5))

    stored = json.loads(settings_path(tmp_path).read_text(encoding="utf-8"))
    assert stored["printer_tray"] == 2 and stored["idle_lock_minutes"] == 5
    assert load_settings(tmp_path) == replace(settings, idle_lock_minutes=5)


def test_saving_over_a_file_that_cannot_be_read_keeps_it_beside(tmp_path: Path) -> None:
    path = digitize_settings_path(tmp_path)
    path.write_text('{"dpi": 150, "compact": "no"}', encoding="utf-8")

    save_digitize_settings(tmp_path, DigitizeSettings(scanner_folder=str(tmp_path)))

    assert load_digitize_settings(tmp_path).scanner_folder == str(tmp_path)
    aside = path.with_name("digitize.json.damaged")
    assert aside.read_text(encoding="utf-8") == '{"dpi": 150, "compact": "no"}'


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"paper": "A4", "idle_lock_minutes": 3, "unknown": [1]},
        {"compact": True, "dpi": 150, "scanner_folder": "/srv/scan"},
        {"compact": 1},
        {"dpi": True},
        {"dpi": 150.0},
    ],
)
def test_the_quick_read_accepts_only_what_pydantic_accepts(stored: dict[str, object]) -> None:
    from pydantic import ValidationError as Invalid

    data = json.dumps(stored).encode()
    for kind in (Settings, DigitizeSettings):
        quick = settings_file._plain(data, kind)
        try:
            strict = settings_file._adapter(kind).validate_json(data, strict=True)
        except Invalid:
            assert quick is None
        else:
            assert quick in (None, strict)


def test_a_good_file_is_read_without_loading_pydantic(tmp_path: Path) -> None:
    """The window reads settings.json before its log-in dialog shows."""
    save_settings(tmp_path, Settings(paper="A4"))
    probe = (
        "import sys; from pathlib import Path; from counter_app.settings import load_settings; "
        f"print(load_settings(Path({str(tmp_path)!r})).paper, 'pydantic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        check=True,
    )
    assert done.stdout.split() == ["A4", "False"]
