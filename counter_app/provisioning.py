"""A counter set up from a file: what a province's IT staff write once for many PCs.

``counter-app setup --config province.toml`` (or ``.json``) reads the server's
address, the unit, the counter number, the paper and the scanner folder from
the file and sets the PC up without a question: by hand (``[counter]``) or by
enrolment with the province's one-time code (``[server]``: the unit and the
number then come from the province). The window's first start reads the same
file, when one lies at a documented place (``find_config_file``), to fill in
its setup dialog. Every key is checked before anything is made, and an error
names the key (``settings.paper``) in Vietnamese. Passwords are never read from
the file: the administrator's comes from ``COUNTER_ADMIN_PASSWORD`` (or a prompt).

    [server]                      # enrolment (leave out to set up by hand)
    url = "https://motcua.tinh.gov.vn"
    code = "ABCD-EFGH-JKLM"       # one per PC: better --code or COUNTER_ENROL_CODE

    [counter]                     # by hand
    unit_code = "000.00.11.H57"
    unit_name = "UBND phường Hạc Thành"
    device_slot = 2               # one per PC: or --device-slot

    [admin]
    username = "admin"
    full_name = "Quản trị hệ thống"

    [settings]                    # any key of counter_app.settings.Settings
    paper = "A5"
    place_name = "Hạc Thành"

    [digitize]
    scanner_folder = "D:\\\\MayQuet"
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from counter_app import installation
from counter_app.codes import check_slot
from counter_app.codes import check_unit_code as check_unit_code_text
from counter_app.errors import ValidationError

ENV_CONFIG = "COUNTER_CONFIG"
ENV_ENROL_CODE = "COUNTER_ENROL_CODE"
CONFIG_NAMES = ("counter-app.toml", "counter-app.json")
SECTIONS: dict[str, set[str]] = {
    "server": {"url", "code"},
    "counter": {"unit_code", "unit_name", "device_slot"},
    "admin": {"username", "full_name"},
    "digitize": {"scanner_folder"},
}
DEFAULT_ADMIN_NAME = "Quản trị hệ thống"


@dataclass(frozen=True)
class Provisioning:
    """What the file says; ``None`` where it says nothing."""

    source: Path
    server_url: str | None = None
    enrol_code: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    device_slot: int | None = None
    admin_username: str = "admin"
    admin_full_name: str = DEFAULT_ADMIN_NAME
    settings: dict[str, Any] = field(default_factory=dict)
    scanner_folder: str | None = None

    @property
    def enrols(self) -> bool:
        return bool(self.server_url and self.enrol_code)


def config_locations() -> list[Path]:
    """Where a config file is looked for, first found wins (``docs/install.md``).

    ``COUNTER_CONFIG``; beside the executable of a frozen build (the unzipped
    folder); the user's and then the machine's config folder of the platform
    (Windows: ``%LOCALAPPDATA%\\WardCounter``, ``C:\\ProgramData\\WardCounter``;
    Linux: ``~/.config/WardCounter``, ``/etc/xdg/WardCounter``).
    """
    places: list[Path] = []
    if os.environ.get(ENV_CONFIG):
        places.append(Path(os.environ[ENV_CONFIG]).expanduser())
    folders = []
    if getattr(sys, "frozen", False):
        folders.append(Path(sys.executable).resolve().parent)
    folders.append(Path(platformdirs.user_config_dir("WardCounter", appauthor=False)))
    folders.append(Path(platformdirs.site_config_dir("WardCounter", appauthor=False)))
    places += [folder / name for folder in folders for name in CONFIG_NAMES]
    return places


def find_config_file() -> Path | None:
    return next((path for path in config_locations() if path.is_file()), None)


def load(
    path: Path,
    *,
    enrol_code: str | None = None,
    device_slot: int | None = None,
    complete: bool = True,
) -> Provisioning:
    """Read and check ``path``; the command line's code and slot win over the file's.

    ``complete=False`` (the setup dialog, where a person types what is missing)
    does not ask for the keys that set a counter up, only checks those given.
    """
    raw = _read(path)
    errors: dict[str, str] = {}
    _reject_passwords(raw, "", errors)
    for section, value in raw.items():
        if section == "settings":
            if not isinstance(value, dict):
                errors[section] = "phải là một mục [settings]."
            continue
        if section not in SECTIONS:
            known = ", ".join(f"[{s}]" for s in [*SECTIONS, "settings"])
            errors[section] = f"mục không biết; các mục dùng được: {known}."
        elif not isinstance(value, dict):
            errors[section] = f"phải là một mục [{section}]."
        else:
            for key in value:
                if key not in SECTIONS[section] and f"{section}.{key}" not in errors:
                    allowed = ", ".join(sorted(SECTIONS[section]))
                    errors[f"{section}.{key}"] = (
                        f"khóa không biết; trong [{section}] chỉ có {allowed}."
                    )

    def part(name: str) -> dict[str, Any]:
        value = raw.get(name, {})
        return value if isinstance(value, dict) else {}

    server, counter, admin = part("server"), part("counter"), part("admin")
    digitize, settings = part("digitize"), part("settings")

    def text(name: str, key: str, values: dict[str, Any]) -> str | None:
        value = values.get(key)
        if value is None or isinstance(value, str):
            return value
        errors[f"{name}.{key}"] = "phải là chuỗi chữ trong ngoặc kép."
        return None

    slot = device_slot if device_slot is not None else counter.get("device_slot")
    if slot is not None and (isinstance(slot, bool) or not isinstance(slot, int)):
        errors["counter.device_slot"] = "phải là một số (1-9), không có ngoặc kép."
        slot = None
    found = Provisioning(
        source=path,
        server_url=(text("server", "url", server) or "").strip() or None,
        enrol_code=(enrol_code or text("server", "code", server) or "").strip() or None,
        unit_code=text("counter", "unit_code", counter),
        unit_name=text("counter", "unit_name", counter),
        device_slot=slot,
        admin_username=text("admin", "username", admin) or "admin",
        admin_full_name=text("admin", "full_name", admin) or DEFAULT_ADMIN_NAME,
        settings=dict(settings),
        scanner_folder=text("digitize", "scanner_folder", digitize),
    )
    # Every mistake at once, so the file is fixed in one go; the first found per key stays.
    errors = check(found, complete=complete) | errors
    if errors:
        raise ValidationError(_named(path, errors))
    return found


def check(found: Provisioning, *, complete: bool = True) -> dict[str, str]:
    """Everything wrong with the file's values, by key; nothing is made while any is."""
    from counter_app.settings import Settings

    errors: dict[str, str] = {}
    if found.server_url and not found.server_url.startswith(("https://", "http://")):
        errors["server.url"] = (
            "phải bắt đầu bằng https:// (hoặc http://), vd. https://motcua.tinh.gov.vn."
        )
    by_hand = ("unit_code", "unit_name", "device_slot")
    if not complete:
        given = {k: getattr(found, k) for k in by_hand}
        if given["unit_code"] is not None and (message := check_unit_code_text(given["unit_code"])):
            errors["counter.unit_code"] = message
        if given["device_slot"] is not None and (message := check_slot(given["device_slot"])):
            errors["counter.device_slot"] = message
    elif found.enrols:
        for key in by_hand:
            if getattr(found, key) is not None:
                errors[f"counter.{key}"] = (
                    "khi đăng ký bằng mã của tỉnh, đơn vị và số máy do máy chủ tỉnh cấp; "
                    "hãy bỏ khóa này (hoặc bỏ mã đăng ký để thiết lập bằng tay)."
                )
    else:
        missing = [key for key in by_hand if getattr(found, key) is None]
        if missing:
            hint = (
                "mã đăng ký một lần (--code hoặc COUNTER_ENROL_CODE)"
                if found.server_url
                else "mục [server] với url và mã đăng ký"
            )
            for key in missing:
                errors[f"counter.{key}"] = (
                    f"chưa có; cần khóa này để thiết lập bằng tay, hoặc {hint}."
                )
        # The keys given are checked even when another is missing: all mistakes at once.
        unit = installation.unit_errors(
            found.unit_code or "", found.unit_name or "", found.device_slot or 1
        )
        errors |= {
            f"counter.{key}": message
            for key, message in unit.items()
            if key not in missing and f"counter.{key}" not in errors
        }
    known = {f.name for f in fields(Settings)}
    for key in found.settings:
        if key not in known:
            errors[f"settings.{key}"] = "khóa không biết; xem danh sách trong docs/install.md."
    named = {key: value for key, value in found.settings.items() if key in known}
    defaults = Settings()
    for key, value in named.items():
        if type(value) is not type(getattr(defaults, key)):
            wanted = "một số" if isinstance(getattr(defaults, key), int) else "chuỗi chữ"
            errors[f"settings.{key}"] = f"phải là {wanted} (chữ trong ngoặc kép, số thì không)."
    typed = {key: value for key, value in named.items() if f"settings.{key}" not in errors}
    try:
        replace(defaults, **typed).validated()
    except ValidationError as exc:
        errors |= {f"settings.{key}": message for key, message in exc.errors.items()}
    if found.scanner_folder is not None and not Path(found.scanner_folder).is_absolute():
        errors["digitize.scanner_folder"] = (
            "phải là đường dẫn đầy đủ, vd. D:\\MayQuet hoặc /srv/may-quet."
        )
    return errors


def prepare_folders(found: Provisioning) -> None:
    """Make the scanner folder the file names, before the counter is set up, so a folder
    that cannot be made stops the setup before anything else is written."""
    if found.scanner_folder is None:
        return
    folder = Path(found.scanner_folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(
            {
                f"{found.source.name}: digitize.scanner_folder": (
                    f"không tạo được thư mục {folder} ({exc.strerror or exc}); hãy tạo nó "
                    "hoặc cấp quyền ghi cho thư mục cha."
                )
            }
        ) from None


def apply_settings(data_dir: Path, found: Provisioning) -> None:
    """Write the file's settings over this counter's (keys it does not name are kept)."""
    from counter_app.digitize_settings import load_digitize_settings, save_digitize_settings
    from counter_app.settings import Settings, load_settings, save_settings

    if found.settings:
        current = asdict(load_settings(data_dir))
        save_settings(data_dir, Settings(**(current | found.settings)))
    if found.scanner_folder is not None:
        prepare_folders(found)
        digitize = load_digitize_settings(data_dir)
        save_digitize_settings(data_dir, replace(digitize, scanner_folder=found.scanner_folder))


def _read(path: Path) -> dict[str, Any]:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            {str(path): f"không đọc được tệp cấu hình ({exc.strerror or exc})."}
        ) from None
    try:
        if path.suffix.lower() == ".json":
            raw = json.loads(content.decode("utf-8"))
        else:
            raw = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError({str(path): "tệp cấu hình phải lưu bằng mã UTF-8."}) from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise ValidationError(
            {str(path): f"tệp cấu hình không đúng cú pháp {kind}: {exc}."}
        ) from None
    if not isinstance(raw, dict):
        raise ValidationError({str(path): "tệp cấu hình phải là một đối tượng (các mục [..])."})
    return raw


def _reject_passwords(raw: dict[str, Any], prefix: str, errors: dict[str, str]) -> None:
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if "password" in key.lower() or "mat_khau" in key.lower():
            errors[name] = (
                "không ghi mật khẩu trong tệp cấu hình; đặt biến môi trường "
                "COUNTER_ADMIN_PASSWORD khi chạy counter-app setup."
            )
        elif isinstance(value, dict):
            _reject_passwords(value, f"{name}.", errors)


def _named(path: Path, errors: dict[str, str]) -> dict[str, str]:
    """Keys as the person finds them in their file: ``province.toml: settings.paper``."""
    return {
        (key if key == str(path) else f"{path.name}: {key}"): message
        for key, message in errors.items()
    }
