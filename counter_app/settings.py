"""Counter settings kept beside the store: language, idle lock, paper, place name.

A typed model read from a path passed in, never from a global: the window, the
CLI and the tests each say which data directory they mean. A damaged file is
reported by name and replaced by the defaults only when saved again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from counter_app import limits
from counter_app.errors import ValidationError
from counter_app.limits import length_error

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

    def validated(self) -> Settings:
        errors = {}
        if self.language not in LANGUAGES:
            errors["language"] = "Ngôn ngữ phải là vi hoặc en."
        if not 1 <= self.idle_lock_minutes <= 240:
            errors["idle_lock_minutes"] = "Thời gian tự khóa phải từ 1 đến 240 phút."
        if self.paper not in PAPERS:
            errors["paper"] = "Khổ giấy phải là A5 hoặc A4."
        # Printed in every form's letterhead: bounded where typed, so every form fits.
        for field, label, value in (
            ("place_name", "Địa danh", self.place_name),
            ("parent_agency", "Cơ quan chủ quản", self.parent_agency),
        ):
            if message := length_error(label, value, limits.UNIT_NAME):
                errors[field] = message
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
    temporary.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), "utf-8")
    temporary.replace(path)
