"""Counter settings kept beside the store: language, idle lock, paper, place name, backups.

A typed model read from a path passed in, never from a global: the window, the
CLI and the tests each say which data directory they mean. A damaged file is
reported by name and replaced by the defaults only when saved again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from counter_app import private
from counter_app.errors import ValidationError

SETTINGS_FILE = "settings.json"
LANGUAGES = ("vi", "en")
PAPERS = ("A5", "A4")


@dataclass(frozen=True)
class Settings:
    language: str = "vi"
    idle_lock_minutes: int = 10
    paper: str = "A5"
    place_name: str = ""
    parent_agency: str = ""
    # The daily automatic backup (counter_app.backup): off while no folder is chosen.
    backup_folder: str = ""
    backup_keep: int = 14

    def validated(self) -> Settings:
        errors = {}
        if self.language not in LANGUAGES:
            errors["language"] = "Ngôn ngữ phải là vi hoặc en."
        if not 1 <= self.idle_lock_minutes <= 240:
            errors["idle_lock_minutes"] = "Thời gian tự khóa phải từ 1 đến 240 phút."
        if self.paper not in PAPERS:
            errors["paper"] = "Khổ giấy phải là A5 hoặc A4."
        if not 1 <= self.backup_keep <= 365:
            errors["backup_keep"] = "Số bản sao lưu giữ lại phải từ 1 đến 365."
        if self.backup_folder and not Path(self.backup_folder).is_absolute():
            errors["backup_folder"] = (
                "Thư mục sao lưu phải là đường dẫn đầy đủ, vd. E:\\SaoLuu hoặc /media/usb/SaoLuu."
            )
        if errors:
            raise ValidationError(errors)
        return self


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def load_settings(data_dir: Path) -> Settings:
    path = settings_path(data_dir)
    if not path.exists():
        return Settings()
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            {str(path): f"Tệp cài đặt hỏng ({exc}); hãy lưu lại cài đặt."}
        ) from None
    known = {f.name for f in fields(Settings)}
    if not isinstance(raw, dict):
        raise ValidationError({str(path): "Tệp cài đặt phải là một đối tượng JSON."})
    try:
        return replace(Settings(), **{k: v for k, v in raw.items() if k in known}).validated()
    except TypeError as exc:
        raise ValidationError({str(path): f"Tệp cài đặt có giá trị sai kiểu ({exc})."}) from None


def save_settings(data_dir: Path, settings: Settings) -> None:
    """Write atomically, so a crash mid-write never leaves a half file behind."""
    settings.validated()
    path = settings_path(data_dir)
    temporary = path.with_suffix(".tmp")
    with open(private.open_new(temporary), "w", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(settings), ensure_ascii=False, indent=2))
    temporary.replace(path)
