"""Where the device token lives: the OS keyring when there is one, else an owner-only file.

The OS keyring is the outside world here, replaced at its edge: ``MemoryKeyring``
is a real ``keyring`` backend keeping entries in a dict, installed with
``keyring.set_keyring`` for one test. The ``fail`` backend is the library's own,
the one a headless Linux counter gets.
"""

from __future__ import annotations

import argparse
import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from counter_app import cli as counter_cli
from counter_app.errors import CounterError
from sync.client import commands, credentials
from sync.client.errors import AuthRequired
from sync.client.worker import EventKind, SyncWorker
from tests.support.counter_store import UNIT_CODE, open_counter
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]

TOKEN = "dt_4f9c2a7e-token-of-counter-1"


class OnlyWhenInstalled:
    """A ``priority`` that raises: ``keyring`` registers every backend class it sees,
    and one that raises here is never picked by its own discovery, only by ``set_keyring``."""

    def __get__(self, instance: object, owner: type | None = None) -> float:
        raise RuntimeError("a test keyring, only used where a test installs it")


class MemoryKeyring(KeyringBackend):
    """An OS keyring that forgets everything when the test ends."""

    priority = OnlyWhenInstalled()

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such entry")


class LockedKeyring(MemoryKeyring):
    """A keyring that is there but refuses to be read (a locked login keyring)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the login keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("the login keyring is locked")


@pytest.fixture
def use_keyring() -> Iterator[None]:
    """Let a test switch backends; whatever was configured before comes back afterwards."""
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


@pytest.fixture
def memory_keyring(use_keyring: None) -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def no_keyring(use_keyring: None) -> None:
    keyring.set_keyring(fail.Keyring())


def enrolment(token: str = TOKEN, slot: int = 1) -> credentials.Enrolment:
    return credentials.Enrolment(
        server_url="https://sync.thanhhoa.example",
        device_token=token,
        unit_code=UNIT_CODE,
        device_slot=slot,
        enrolled_at="2026-11-16T09:00:00+07:00",
    )


def on_disk(data_dir: Path) -> dict[str, object]:
    raw: dict[str, object] = json.loads(credentials.credentials_path(data_dir).read_text("utf-8"))
    return raw


def test_with_a_keyring_the_token_is_kept_there_and_not_on_disk(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    path = credentials.save(tmp_path, enrolment())

    assert TOKEN not in path.read_text("utf-8")
    raw = on_disk(tmp_path)
    assert raw["token_store"] == "keyring"
    assert "device_token" not in raw
    assert raw["server_url"] == "https://sync.thanhhoa.example"
    assert raw["unit_code"] == UNIT_CODE
    assert raw["device_slot"] == 1
    assert raw["enrolled_at"] == "2026-11-16T09:00:00+07:00"
    service, username = str(raw["keyring_service"]), str(raw["keyring_username"])
    assert memory_keyring.entries == {(service, username): TOKEN}
    assert username == str(tmp_path.resolve())
    assert credentials.load(tmp_path) == enrolment()


def test_without_a_usable_keyring_the_token_is_in_an_owner_only_file(
    tmp_path: Path, no_keyring: None
) -> None:
    path = credentials.save(tmp_path, enrolment())

    raw = on_disk(tmp_path)
    assert raw["token_store"] == "file"
    assert raw["device_token"] == TOKEN
    assert "keyring_username" not in raw
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.with_suffix(".tmp").exists()
    assert credentials.load(tmp_path) == enrolment()


def test_a_keyring_that_refuses_to_store_counts_as_no_keyring(
    tmp_path: Path, use_keyring: None
) -> None:
    keyring.set_keyring(LockedKeyring())
    credentials.save(tmp_path, enrolment())

    assert on_disk(tmp_path)["device_token"] == TOKEN
    assert credentials.load(tmp_path) == enrolment(), "the file is read; the keyring never asked"


def test_a_file_written_before_the_keyring_still_loads(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    old = {
        "server_url": "https://sync.thanhhoa.example",
        "device_token": TOKEN,
        "unit_code": UNIT_CODE,
        "device_slot": 1,
        "enrolled_at": "2026-11-16T09:00:00+07:00",
    }
    credentials.credentials_path(tmp_path).write_text(json.dumps(old), "utf-8")

    assert credentials.load(tmp_path) == enrolment()
    assert memory_keyring.entries == {}, "loading moves nothing"


def test_never_enrolled_is_none(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    assert credentials.load(tmp_path) is None


def test_a_token_gone_from_the_keyring_says_to_enrol_again(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    credentials.save(tmp_path, enrolment())
    memory_keyring.entries.clear()  # deleted by hand, or a new Windows profile

    with pytest.raises(credentials.TokenMissing) as caught:
        credentials.load(tmp_path)

    message = str(caught.value)
    assert "không còn trong kho khóa" in message
    assert "system keyring" in message
    assert "counter-app enrol --server" in message
    assert caught.value.code == "token_missing"
    assert isinstance(caught.value, AuthRequired), "the worker stops and asks to enrol again"
    assert isinstance(caught.value, CounterError), "counter-app prints it in plain words"


def test_a_keyring_gone_or_locked_since_enrolment_says_so(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    credentials.save(tmp_path, enrolment())

    keyring.set_keyring(fail.Keyring())
    with pytest.raises(credentials.TokenMissing, match="không có kho khóa dùng được"):
        credentials.load(tmp_path)

    keyring.set_keyring(LockedKeyring())
    with pytest.raises(credentials.TokenMissing, match="is locked") as caught:
        credentials.load(tmp_path)
    assert "mở khóa" in str(caught.value)
    assert "counter-app enrol" in str(caught.value)


def test_counter_app_sync_prints_the_error_and_exits_2(
    tmp_path: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    open_counter(tmp_path).close()
    credentials.save(tmp_path, enrolment())
    memory_keyring.entries.clear()

    assert counter_cli.main(["sync", "--data-dir", str(tmp_path)]) == 2

    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Mã thiết bị (device token)")
    assert "counter-app enrol --server" in err
    assert "Traceback" not in err


def test_the_worker_asks_to_enrol_again(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    data_dir = tmp_path / "counter"
    store = open_counter(data_dir)
    try:
        credentials.save(data_dir, enrolment())
        memory_keyring.entries.clear()

        event = SyncWorker(store, data_dir).run_cycle()
    finally:
        store.close()

    assert event.kind is EventKind.AUTH_REQUIRED
    assert event.status.reenrol_needed
    assert event.message is not None and "counter-app enrol" in event.message


def test_enrolling_again_replaces_the_keyring_entry(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    credentials.save(tmp_path, enrolment("old-token"))
    credentials.save(tmp_path, enrolment("new-token", slot=2))

    assert list(memory_keyring.entries.values()) == ["new-token"]
    loaded = credentials.load(tmp_path)
    assert loaded == enrolment("new-token", slot=2)


def test_keyring_to_file_and_back(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    credentials.save(tmp_path, enrolment("in-keyring"))

    keyring.set_keyring(fail.Keyring())  # the keyring was removed; enrol again
    credentials.save(tmp_path, enrolment("in-file"))
    assert on_disk(tmp_path)["token_store"] == "file"
    assert credentials.load(tmp_path) == enrolment("in-file")

    keyring.set_keyring(memory_keyring)  # it is back; enrol again
    memory_keyring.entries.clear()
    path = credentials.save(tmp_path, enrolment("back-in-keyring"))
    assert "back-in-keyring" not in path.read_text("utf-8")
    assert "in-file" not in path.read_text("utf-8"), "no stale token left in the file"
    assert credentials.load(tmp_path) == enrolment("back-in-keyring")


def test_file_enrolment_clears_a_stale_keyring_entry(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keyring that takes the token but hands back something else is not trusted."""
    credentials.save(tmp_path, enrolment("first"))

    def garbled(service: str, username: str, password: str) -> None:
        memory_keyring.entries[(service, username)] = password[::-1]

    monkeypatch.setattr(memory_keyring, "set_password", garbled)
    credentials.save(tmp_path, enrolment("second"))

    assert on_disk(tmp_path)["device_token"] == "second"
    assert memory_keyring.entries == {}, "neither the old token nor the garbled one stays"
    assert credentials.load(tmp_path) == enrolment("second")


def test_two_data_directories_on_one_pc_keep_their_own_tokens(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    first, second = tmp_path / "quay-1", tmp_path / "quay-2"
    first.mkdir()
    second.mkdir()
    credentials.save(first, enrolment("token-1", slot=1))
    credentials.save(second, enrolment("token-2", slot=2))

    assert len(memory_keyring.entries) == 2
    assert credentials.load(first) == enrolment("token-1", slot=1)
    assert credentials.load(second) == enrolment("token-2", slot=2)

    credentials.save(second, enrolment("token-2b", slot=2))
    loaded_first = credentials.load(first)
    assert loaded_first is not None and loaded_first.device_token == "token-1"


def test_enrol_and_sync_end_to_end_with_the_token_in_the_keyring(
    province: ThreadedServer,
    make_counter: CounterFactory,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    counter.receive(2)

    raw = on_disk(counter.data_dir)
    assert raw["token_store"] == "keyring"
    assert "device_token" not in raw
    assert len(memory_keyring.entries) == 1

    args = argparse.Namespace(data_dir=str(counter.data_dir), retry_rejected=False)
    assert commands.sync(args) == 0
    assert "gửi 2 thay đổi" in capsys.readouterr().out
