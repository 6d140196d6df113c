"""The device's enrolment: which server, and the token it gave this counter.

The token is the counter's password to the provincial server, so it is kept out
of the SQLite store (a copy of the store handed to the supervisor for a report,
or attached to a bug report, carries no token) and, where the PC has one, out
of plain files too: in the OS keyring (Windows Credential Manager, the macOS
Keychain, the Secret Service of a Linux desktop), as the design asks.

``sync-device.json`` in the data directory keeps the rest of the enrolment
(server, unit, slot, when) and says where the token is: ``"token_store":
"keyring"`` with the service and user name of the keyring entry, or
``"token_store": "file"`` with the token itself. A headless Linux counter (and
CI) has no usable keyring - the ``keyring`` library falls back to its ``fail``
or ``null`` backend there - so the token goes into the file, readable by the
owner only, which is what works on every counter PC. Any keyring error while
saving is taken as "no keyring" and falls back the same way.

The keyring user name is the resolved data directory, so two data directories on
one PC (two counters, or a test copy) never share an entry; enrolling again
overwrites the entry of this directory. Files written before the keyring was
used (``device_token`` and no ``token_store``) still load.

If the file says keyring but the entry is gone (deleted, a new Windows profile)
or the keyring cannot be read, ``load`` raises ``TokenMissing``: an
``AuthRequired`` (the worker stops and asks to enrol again) that is also a
``CounterError`` (``counter-app`` prints it in plain words and exits 2).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from counter_app.errors import CounterError
from sync.client.errors import AuthRequired

CREDENTIALS_FILE = "sync-device.json"
KEYRING_SERVICE: Final = "ward-counter-sync"
STORE_KEYRING: Final = "keyring"
STORE_FILE: Final = "file"

REENROL_HINT = (
    "Hãy xin quản trị tỉnh mã đăng ký mới rồi đăng ký lại máy này: "
    "counter-app enrol --server <địa chỉ máy chủ> --code <mã mới>. "
    "Các thay đổi chưa gửi vẫn được giữ trên máy này."
)


class TokenMissing(AuthRequired, CounterError):
    """The enrolment says the token is in the OS keyring, but it cannot be had from there."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "token_missing")


class CredentialsDamaged(AuthRequired, CounterError):
    """``sync-device.json`` cannot be read as an enrolment; it is left as found."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"Tệp đăng ký đồng bộ {path} bị hỏng ({detail}); phần mềm không sửa gì vào tệp. "
            + REENROL_HINT,
            "credentials_damaged",
        )


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    device_token: str
    unit_code: str
    device_slot: int
    enrolled_at: str


def credentials_path(data_dir: Path) -> Path:
    return data_dir / CREDENTIALS_FILE


def keyring_username(data_dir: Path) -> str:
    """The keyring entry's user name: one per data directory."""
    return str(data_dir.resolve())


def load(data_dir: Path) -> Enrolment | None:
    """The enrolment, or None if this data directory was never enrolled.

    Raises ``TokenMissing`` when the token should be in the OS keyring and is not.
    """
    path = credentials_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CredentialsDamaged(path, str(exc)) from None
    try:
        if raw.get("token_store", STORE_FILE) == STORE_KEYRING:
            token = _token_from_keyring(
                str(raw.get("keyring_service", KEYRING_SERVICE)),
                str(raw.get("keyring_username", keyring_username(data_dir))),
            )
        else:
            token = str(raw["device_token"])
        return Enrolment(
            server_url=str(raw["server_url"]),
            device_token=token,
            unit_code=str(raw["unit_code"]),
            device_slot=int(raw["device_slot"]),
            enrolled_at=str(raw.get("enrolled_at", "")),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise CredentialsDamaged(path, f"thiếu hoặc sai mục {exc}") from None


def save(data_dir: Path, enrolment: Enrolment) -> Path:
    """Keep the token in the OS keyring if there is a usable one, else in the file.

    The file is written atomically with owner-only permissions either way; a
    crash leaves the old file or the new.
    """
    username = keyring_username(data_dir)
    record: dict[str, Any] = {
        "server_url": enrolment.server_url,
        "unit_code": enrolment.unit_code,
        "device_slot": enrolment.device_slot,
        "enrolled_at": enrolment.enrolled_at,
    }
    if _store_in_keyring(username, enrolment.device_token):
        record |= {
            "token_store": STORE_KEYRING,
            "keyring_service": KEYRING_SERVICE,
            "keyring_username": username,
        }
    else:
        record |= {"token_store": STORE_FILE, "device_token": enrolment.device_token}
        _forget_keyring_entry(username)  # a token left there from an earlier enrolment
    return _write_private(credentials_path(data_dir), record)


def usable_backend() -> KeyringBackend | None:
    """The OS keyring the token would go to, or None (the preflight check reports it)."""
    return _usable_backend()


def keyring_round_trip(backend: KeyringBackend) -> bool:
    """Write, read back and delete an entry of no value: is the keyring usable right now?"""
    probe = "preflight-check"
    try:
        backend.set_password(KEYRING_SERVICE, probe, probe)
        ok = backend.get_password(KEYRING_SERVICE, probe) == probe
        backend.delete_password(KEYRING_SERVICE, probe)
    except Exception:
        return False  # locked, no D-Bus, denied: whichever, not usable now
    return ok


# Internals ----------------------------------------------------------------------


def _usable_backend() -> KeyringBackend | None:
    """The configured keyring, or None where it is one that cannot keep anything."""
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    return backend


def _store_in_keyring(username: str, token: str) -> bool:
    """Put the token in the keyring and read it back; False (nothing kept) if that fails."""
    backend = _usable_backend()
    if backend is None:
        return False
    # Keyring backends raise a zoo of errors (KeyringError, D-Bus, OS errors):
    # whichever it is, this PC has no keyring we can rely on.
    try:
        backend.set_password(KEYRING_SERVICE, username, token)
        stored = backend.get_password(KEYRING_SERVICE, username)
    except Exception:
        return False
    if stored != token:
        _forget_keyring_entry(username)
        return False
    return True


def _forget_keyring_entry(username: str) -> None:
    backend = _usable_backend()
    if backend is None:
        return
    try:
        if backend.get_password(KEYRING_SERVICE, username) is not None:
            backend.delete_password(KEYRING_SERVICE, username)
    except Exception:
        pass  # nothing to forget, or no keyring to forget it in: either way not in our way


def _token_from_keyring(service: str, username: str) -> str:
    backend = _usable_backend()
    if backend is None:
        raise TokenMissing(
            "Mã thiết bị (device token) của máy này được cất trong kho khóa của hệ điều hành "
            "(system keyring), nhưng máy hiện không có kho khóa dùng được. " + REENROL_HINT
        )
    try:
        token = backend.get_password(service, username)
    except Exception as exc:
        raise TokenMissing(
            "Không đọc được mã thiết bị (device token) trong kho khóa của hệ điều hành "
            f"(system keyring): {exc}. Nếu kho khóa đang bị khóa, hãy mở khóa rồi thử lại. "
            "Nếu vẫn không được: " + REENROL_HINT
        ) from exc
    if not token:
        raise TokenMissing(
            "Mã thiết bị (device token) của máy này không còn trong kho khóa của hệ điều hành "
            "(system keyring), nên chưa đồng bộ được. " + REENROL_HINT
        )
    return token


def _write_private(target: Path, record: dict[str, Any]) -> Path:
    temporary = target.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        if hasattr(os, "fchmod"):  # a .tmp left by a crash keeps its mode when reopened
            os.fchmod(handle.fileno(), 0o600)
        json.dump(record, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    return target
