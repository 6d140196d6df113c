"""Counter settings kept beside the store: language, idle lock, paper, place, backups, receipts.

A typed model read from a path passed in, never from a global: the window, the
CLI and the tests each say which data directory they mean. The file is read
strictly (a wrong value is named with its key, ``counter_app.settings_file``);
a damaged one is kept beside when saved again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from counter_app import limits, settings_file
from counter_app.errors import ValidationError
from counter_app.limits import length_error

SETTINGS_FILE = "settings.json"
LANGUAGES = ("vi", "en")
PAPERS = ("A5", "A4")
PAPER_RECEIPTS, ELECTRONIC_RECEIPTS = "paper", "electronic"
RECEIPT_MODES = (PAPER_RECEIPTS, ELECTRONIC_RECEIPTS)
# Ký hiệu mẫu and ký hiệu as the tax office registered them, e.g. "01BLP0-001" and "AA-25P".
_SYMBOL = re.compile(r"[0-9A-Z/\-]{1,16}")
_TAX_CODE = re.compile(r"[0-9]{10}(-[0-9]{3})?")


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
    # Fee receipts (Decree 123/2020 art. 32 as amended by Decree 70/2025): printed by this
    # counter with its own series (so counters printing offline never share a number), or
    # electronic from the province's provider. counter_app.fee_receipts explains the choice.
    receipt_mode: str = PAPER_RECEIPTS
    receipt_form_symbol: str = ""
    receipt_series: str = ""
    tax_code: str = ""

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
        if self.receipt_mode not in RECEIPT_MODES:
            errors["receipt_mode"] = "Loại biên lai phải là paper (in từ máy) hoặc electronic."
        if self.receipt_form_symbol and not _SYMBOL.fullmatch(self.receipt_form_symbol):
            errors["receipt_form_symbol"] = (
                "Ký hiệu mẫu biên lai gồm tối đa 16 chữ in hoa không dấu, chữ số, / hoặc -, "
                "như trên thông báo phát hành biên lai (ví dụ 01BLP0-001)."
            )
        if self.receipt_series and not _SYMBOL.fullmatch(self.receipt_series):
            errors["receipt_series"] = (
                "Ký hiệu biên lai gồm tối đa 16 chữ in hoa không dấu, chữ số, / hoặc -, "
                "như trên thông báo phát hành biên lai (ví dụ AA-25P)."
            )
        if self.tax_code and not _TAX_CODE.fullmatch(self.tax_code):
            errors["tax_code"] = "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu - và 3 chữ số."
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
    """The data directory's settings (strict: see ``settings_file``), the defaults if none."""
    return settings_file.read(settings_path(data_dir), Settings, "Tệp cài đặt")


def save_settings(data_dir: Path, settings: Settings) -> None:
    """Write atomically, so a crash mid-write never leaves a half file behind."""
    settings_file.write(settings_path(data_dir), settings, Settings)
