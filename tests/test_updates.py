"""Counter updates from the province, end to end: the real server on loopback, real signing.

A counter "installed" as version N (a folder with a version file and a marker,
standing in for the frozen build) with a store holding dossiers and changes not
yet sent; the province publishes N+1; the counter downloads it at one start and
installs it at the next, after a backup, its data intact.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from counter_app.backup import restore, verify_backup
from counter_app.models import Dossier
from counter_app.outbox import pending_count
from counter_app.store import Store
from sync.client import credentials, update_apply
from sync.client.update_apply import Installation, apply_pending, at_start, pending_update
from sync.client.updates import Outcome, check_and_download
from sync.server import update_repo
from sync.server.cli import main as server_main
from sync.server.db import Database
from sync.server.settings import ENV_UPDATES_DIR
from tests.support.counters import Counter, CounterFactory, write_blob
from tests.support.server import ServerProcess, ThreadedServer, free_port

pytest_plugins = ["tests.support.sync_fixtures"]

OLD, NEW = "1.0.0", "1.1.0"
# Another process with the store open, as the window would have it.
HOLD_STORE = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("SELECT count(*) FROM dossier").fetchone()
print("open", flush=True)
time.sleep(60)
"""


def make_bundle(folder: Path, version: str) -> Path:
    """A made-up program folder: what matters is that every file arrives as published."""
    (folder / "lib").mkdir(parents=True)
    (folder / "VERSION").write_text(version, encoding="utf-8")
    (folder / "marker.txt").write_text(f"bản {version}", encoding="utf-8")
    (folder / "lib" / "part.bin").write_bytes(os.urandom(4096))
    return folder


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The province's repository (served) and its keys (not), made by the real command."""
    repo_dir, keys = tmp_path / "province-updates", tmp_path / "update-keys"
    code = server_main(["updates", "init", "--repo", str(repo_dir), "--keys", str(keys)])
    assert code == 0
    monkeypatch.setenv(ENV_UPDATES_DIR, str(repo_dir))
    return repo_dir, keys


@pytest.fixture
def installed(tmp_path: Path) -> Installation:
    return Installation(make_bundle(tmp_path / "app" / "counter-app", OLD), OLD)


@pytest.fixture
def counter(
    make_counter: CounterFactory, province: ThreadedServer, repo: tuple[Path, Path]
) -> Iterator[Counter]:
    """Enrolled, with two dossiers received and not yet pushed (its outbox pending)."""
    made = make_counter("a")
    made.receive(2)
    made.enrol(province)
    yield made


def publish(repo: tuple[Path, Path], bundle: Path, version: str) -> Path:
    repo_dir, keys = repo
    args = ["updates", "publish", str(bundle), "--version", version]
    assert server_main([*args, "--repo", str(repo_dir), "--keys", str(keys)]) == 0
    return repo_dir / "targets" / f"ward-counter-{version}.tar.gz"


def contents(store: Store) -> tuple[list[str], int]:
    with store.read() as session:
        codes = list(session.scalars(select(Dossier.code).order_by(Dossier.code)))
        return codes, pending_count(session)


def read_only_contents(database: Path) -> tuple[list[str], int]:
    """The same as ``contents``, read without opening a Store (which would write to it)."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        codes = [str(row[0]) for row in db.execute("SELECT code FROM dossier ORDER BY code")]
        query = "SELECT count(*) FROM outbox_entry WHERE state = 'pending'"
        return codes, int(db.execute(query).fetchone()[0])


def test_a_counter_on_version_n_installs_n_plus_1_at_its_next_start_with_its_data_intact(
    counter: Counter, installed: Installation, repo: tuple[Path, Path], tmp_path: Path
) -> None:
    with counter.store.write() as session:
        scan = write_blob(counter, session, b"%PDF-1.4 a scanned birth certificate")
    codes, pending = contents(counter.store)
    assert len(codes) == 2 and pending >= 2
    province_config = installed.install_dir / "counter-app.toml"
    province_config.write_text('[settings]\npaper_size = "A5"\n', encoding="utf-8")
    publish(repo, make_bundle(tmp_path / "build-1.1.0", NEW), NEW)

    # This start: found and downloaded, nothing installed yet.
    assert check_and_download(counter.data_dir, installed) is Outcome.READY
    ready = pending_update(counter.data_dir)
    assert ready is not None and ready.version == NEW
    assert (installed.install_dir / "VERSION").read_text(encoding="utf-8") == OLD
    counter.close()

    # The next start: a backup, then version N+1 in place.
    applied = apply_pending(counter.data_dir, installed, at=dt.datetime.now().astimezone())
    assert applied is not None and applied.version == NEW and applied.previous == OLD
    install = installed.install_dir
    assert (install / "VERSION").read_text(encoding="utf-8") == NEW
    assert (install / "marker.txt").read_text(encoding="utf-8") == f"bản {NEW}"
    published = tmp_path / "build-1.1.0" / "lib" / "part.bin"
    assert (install / "lib" / "part.bin").read_bytes() == published.read_bytes()
    assert province_config.read_text(encoding="utf-8").startswith("[settings]")
    assert applied.kept_old is not None
    assert (applied.kept_old / "VERSION").read_text(encoding="utf-8") == OLD

    # The backup exists, is whole, holds the unsent changes, and was made before the swap.
    assert applied.backup is not None
    manifest = verify_backup(applied.backup)
    assert applied.backup.stat().st_mtime_ns <= install.stat().st_ctime_ns
    assert read_only_contents(applied.backup / "counter.sqlite3") == (codes, pending)
    assert manifest["database"]["size"] > 0
    # The database alone: scans are never migrated, and stay where they are.
    assert manifest["scans"] == {} and manifest["scans_left_in_place"] == 1
    assert not (applied.backup / "blobs").exists()
    assert (counter.data_dir / "blobs" / scan[:2] / scan).is_file()

    # The store: same dossiers, same changes waiting for the province.
    reopened = Store.open(counter.data_dir, create=False)
    try:
        assert contents(reopened) == (codes, pending)
    finally:
        reopened.close()
    assert pending_update(counter.data_dir) is None
    record = json.loads((counter.data_dir / "updates" / "applied.json").read_text("utf-8"))
    assert record["version"] == NEW and record["backup"] == str(applied.backup)
    # Going back to the backup (the version before, say) works like any restore.
    restored = restore(counter.data_dir, applied.backup, actor="admin", at=dt.datetime.now())
    assert restored.kept_aside is not None and restored.scans == 0
    reopened = Store.open(counter.data_dir, create=False)
    try:
        assert contents(reopened) == (codes, pending)
    finally:
        reopened.close()
    # Nothing more to do at the start after.
    assert apply_pending(counter.data_dir, Installation(install, NEW), at=dt.datetime.now()) is None


def test_no_update_is_installed_under_a_program_holding_the_store(
    counter: Counter,
    installed: Installation,
    repo: tuple[Path, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The window still open while a command starts: the swap waits for a start with none."""
    publish(repo, make_bundle(tmp_path / "build", NEW), NEW)
    assert check_and_download(counter.data_dir, installed) is Outcome.READY
    runner = subprocess.Popen(
        [sys.executable, "-c", HOLD_STORE, str(counter.data_dir / "counter.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert runner.stdout is not None and runner.stdout.readline().strip() == "open"
        with caplog.at_level(logging.INFO, logger=update_apply.__name__):
            assert apply_pending(counter.data_dir, installed, at=dt.datetime.now()) is None
        assert "đang mở kho dữ liệu" in caplog.text
        assert (installed.install_dir / "VERSION").read_text(encoding="utf-8") == OLD
        assert pending_update(counter.data_dir) is not None
    finally:
        runner.kill()
        runner.communicate()


def test_the_frozen_start_installs_then_becomes_the_new_program(
    counter: Counter, installed: Installation, repo: tuple[Path, Path], tmp_path: Path
) -> None:
    publish(repo, make_bundle(tmp_path / "build", NEW), NEW)
    restarted: list[list[str]] = []

    def start(*argv: str) -> threading.Thread | None:
        return at_start(argv, installation=installed, become_new=lambda a: restarted.append([*a]))

    # A command from a script: nothing asked, nothing waited for.
    assert start("--data-dir", str(counter.data_dir), "report", "daily") is None
    assert pending_update(counter.data_dir) is None
    # The window: the check runs beside it.
    check = start("--data-dir", str(counter.data_dir))
    assert check is not None and check.daemon
    check.join(timeout=60)
    assert not check.is_alive() and pending_update(counter.data_dir) is not None
    assert (installed.install_dir / "VERSION").read_text(encoding="utf-8") == OLD
    counter.close()
    # The next start, whatever it runs: installed, then the new program in this one's place.
    argv = ["report", "daily", "--data-dir", str(counter.data_dir)]
    assert start(*argv) is None
    assert restarted == [argv]
    assert (installed.install_dir / "VERSION").read_text(encoding="utf-8") == NEW
    assert list((counter.data_dir / "updates" / "backups").iterdir())


def test_version_and_help_ask_nothing_while_the_window_does(
    counter: Counter, installed: Installation, repo: tuple[Path, Path], tmp_path: Path
) -> None:
    """They print and exit at once: a check beside them would be cut off mid-import."""
    publish(repo, make_bundle(tmp_path / "build", NEW), NEW)
    data = ["--data-dir", str(counter.data_dir)]
    for argv in ([*data, "--version"], [*data, "-h"], ["gui", "--help", *data]):
        assert at_start(argv, installation=installed, become_new=pytest.fail) is None
    assert pending_update(counter.data_dir) is None
    check = at_start([*data, "--verbose"], installation=installed, become_new=pytest.fail)
    assert check is not None
    check.join(timeout=60)
    assert pending_update(counter.data_dir) is not None


EXITS_AT_ONCE = """
import sys, time
from pathlib import Path
from sync.client import updates

def slow_check(data_dir, installation):
    time.sleep(1.0)
    (data_dir / "checked").write_text("whole", encoding="utf-8")

updates.check_and_download = slow_check
updates.start_check(Path(sys.argv[1]), None)
"""


def test_a_window_closed_at_once_lets_the_check_finish_its_step(tmp_path: Path) -> None:
    """The interpreter's end would cut the check off, inside cryptography's import say."""
    root = str(Path(__file__).resolve().parents[1])
    done = subprocess.run(
        [sys.executable, "-c", EXITS_AT_ONCE, str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "checked").read_text(encoding="utf-8") == "whole"


def test_a_tampered_bundle_is_refused_and_never_installed(
    counter: Counter,
    installed: Installation,
    repo: tuple[Path, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    archive = publish(repo, make_bundle(tmp_path / "build", NEW), NEW)
    content = bytearray(archive.read_bytes())
    content[len(content) // 2] ^= 0xFF  # same length, another hash: an attacker's bundle
    archive.write_bytes(bytes(content))

    with caplog.at_level(logging.WARNING, logger="sync.client.updates"):
        assert check_and_download(counter.data_dir, installed) is Outcome.FAILED
    assert "không khớp chữ ký của tỉnh" in caplog.text
    assert pending_update(counter.data_dir) is None
    assert apply_pending(counter.data_dir, installed, at=dt.datetime.now()) is None
    assert (installed.install_dir / "VERSION").read_text(encoding="utf-8") == OLD
    assert not (counter.data_dir / "updates" / "backups").exists()


def test_metadata_not_signed_by_the_trusted_root_is_refused(
    counter: Counter,
    installed: Installation,
    repo: tuple[Path, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert check_and_download(counter.data_dir, installed) is Outcome.UP_TO_DATE  # root pinned
    # Someone with the server but not the keys replaces the whole repository with their own.
    impostor, impostor_keys = tmp_path / "impostor", tmp_path / "impostor-keys"
    update_repo.initialise(impostor, impostor_keys)
    update_repo.publish(impostor, impostor_keys, make_bundle(tmp_path / "evil", NEW), NEW)
    os.environ[ENV_UPDATES_DIR] = str(impostor)  # monkeypatch (repo fixture) restores it

    with caplog.at_level(logging.WARNING, logger="sync.client.updates"):
        assert check_and_download(counter.data_dir, installed) is Outcome.FAILED
    assert "không đúng chữ ký đã tin cậy" in caplog.text
    assert pending_update(counter.data_dir) is None


def test_only_enrolled_counters_reach_the_updates(
    province: ThreadedServer, repo: tuple[Path, Path], make_counter: CounterFactory
) -> None:
    url = f"{province.url}/api/v1/updates/metadata/1.root.json"
    assert requests.get(url, timeout=10).status_code == 401
    bogus = {"Authorization": "Bearer not-a-device-token"}
    assert requests.get(url, headers=bogus, timeout=10).status_code == 401
    assert requests.get(url.replace("metadata", "targets"), timeout=10).status_code == 401

    enrolled = make_counter("b")
    enrolled.enrol(province)
    connection = enrolled.connection()
    try:
        answer = connection.call("GET", "updates/metadata/1.root.json")
        assert answer.json()["signed"]["_type"] == "root"
        missing = connection.call("GET", "updates/targets/ward-counter-9.9.9.tar.gz", ok=(404,))
        assert missing.status_code == 404
    finally:
        connection.close()


def test_a_counter_never_enrolled_does_not_ask(
    make_counter: CounterFactory, installed: Installation, repo: tuple[Path, Path]
) -> None:
    lone = make_counter("c")
    assert check_and_download(lone.data_dir, installed) is Outcome.NOT_ENROLLED
    assert not (lone.data_dir / "updates").exists()


def test_no_newer_version_changes_nothing(
    counter: Counter, installed: Installation, repo: tuple[Path, Path], tmp_path: Path
) -> None:
    publish(repo, make_bundle(tmp_path / "same", OLD), OLD)
    assert check_and_download(counter.data_dir, installed) is Outcome.UP_TO_DATE
    assert pending_update(counter.data_dir) is None
    counter.close()
    assert apply_pending(counter.data_dir, installed, at=dt.datetime.now()) is None
    assert (installed.install_dir / "VERSION").read_text(encoding="utf-8") == OLD
    assert not (counter.data_dir / "updates" / "backups").exists()


def test_a_development_install_downloads_nothing_and_replaces_nothing(
    counter: Counter,
    installed: Installation,
    repo: tuple[Path, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    publish(repo, make_bundle(tmp_path / "build", NEW), NEW)
    assert at_start(["--data-dir", str(counter.data_dir)]) is None  # not frozen: no check
    assert pending_update(counter.data_dir) is None
    assert check_and_download(counter.data_dir, installed) is Outcome.READY
    with caplog.at_level(logging.INFO, logger=update_apply.__name__):
        assert apply_pending(counter.data_dir, None, at=dt.datetime.now()) is None
    assert "không tự thay thế" in caplog.text
    assert pending_update(counter.data_dir) is not None  # left for a frozen start


def test_publishing_refuses_an_older_or_equal_version(
    repo: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo_dir, keys = repo
    publish(repo, make_bundle(tmp_path / "b1", NEW), NEW)
    args = ["updates", "publish", str(make_bundle(tmp_path / "b2", OLD)), "--version", OLD]
    assert server_main([*args, "--repo", str(repo_dir), "--keys", str(keys)]) == 2
    assert "không mới hơn phiên bản đã công bố" in capsys.readouterr().err
    assert update_repo.published_versions(repo_dir) == [NEW]


def test_a_build_is_published_under_its_own_version_only(
    repo: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A build of 1.2.0 published as 1.3.0 would be installed again at every other start."""
    repo_dir, keys = repo
    build = make_bundle(tmp_path / "dist" / "counter-app", "1.2.0")
    (build / "_internal" / "ward_counter-1.2.0.dist-info").mkdir(parents=True)
    folders = ["--repo", str(repo_dir), "--keys", str(keys)]
    assert server_main(["updates", "publish", str(build), "--version", "1.3.0", *folders]) == 2
    assert "phiên bản 1.2.0, không phải 1.3.0" in capsys.readouterr().err
    archive = shutil.make_archive(str(tmp_path / "counter-app"), "zip", build)
    assert server_main(["updates", "publish", archive, *folders]) == 0  # its version, from it
    assert update_repo.published_versions(repo_dir) == ["1.2.0"]


def test_a_server_out_of_reach_is_said_in_words_and_changes_nothing(
    counter: Counter,
    installed: Installation,
    repo: tuple[Path, Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert check_and_download(counter.data_dir, installed) is Outcome.UP_TO_DATE  # root pinned
    enrolment = credentials.load(counter.data_dir)
    assert enrolment is not None
    gone = replace(enrolment, server_url=f"http://127.0.0.1:{free_port()}")
    credentials.save(counter.data_dir, gone)
    with caplog.at_level(logging.WARNING, logger="sync.client.updates"):
        assert check_and_download(counter.data_dir, installed) is Outcome.FAILED
    assert "máy chủ từ chối kết nối" in caplog.text
    assert pending_update(counter.data_dir) is None


def test_refresh_re_signs_what_counters_check(
    counter: Counter,
    installed: Installation,
    repo: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo_dir, keys = repo
    timestamp = repo_dir / "metadata" / "timestamp.json"
    publish(repo, make_bundle(tmp_path / "build", NEW), NEW)
    before = json.loads(timestamp.read_text(encoding="utf-8"))["signed"]
    for role in ("targets", "snapshot", "timestamp"):  # as if run days later
        monkeypatch.setitem(update_repo.EXPIRATION_DAYS, role, update_repo.ROLE_DAYS + 3)
    assert server_main(["updates", "refresh", "--repo", str(repo_dir), "--keys", str(keys)]) == 0
    after = json.loads(timestamp.read_text(encoding="utf-8"))["signed"]
    assert after["version"] > before["version"] and after["expires"] > before["expires"]
    assert check_and_download(counter.data_dir, installed) is Outcome.READY


def test_publishing_without_a_signing_key_says_which_and_publishes_nothing(
    repo: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo_dir, keys = repo
    (keys / "timestamp").unlink()  # the private key; its .pub stays
    args = ["updates", "publish", str(make_bundle(tmp_path / "b", NEW)), "--version", NEW]
    assert server_main([*args, "--repo", str(repo_dir), "--keys", str(keys)]) == 2
    assert "thiếu khóa riêng timestamp" in capsys.readouterr().err
    assert not (repo_dir / "targets" / f"ward-counter-{NEW}.tar.gz").exists()
    assert update_repo.published_versions(repo_dir) == []


def test_the_root_key_can_stay_offline_for_publishing_and_refreshing(
    counter: Counter, installed: Installation, repo: tuple[Path, Path], tmp_path: Path
) -> None:
    repo_dir, keys = repo
    offline = tmp_path / "usb"
    offline.mkdir()
    (keys / "root").rename(offline / "root")
    publish(repo, make_bundle(tmp_path / "build", NEW), NEW)
    assert server_main(["updates", "refresh", "--repo", str(repo_dir), "--keys", str(keys)]) == 0
    assert check_and_download(counter.data_dir, installed) is Outcome.READY


@pytest.mark.slow
def test_province_server_serve_with_workers_hands_out_its_updates_dir(
    province_db_url: str,
    make_counter: CounterFactory,
    installed: Installation,
    repo: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    """The real ``serve`` command, two worker processes: each finds the repository."""
    publish(repo, make_bundle(tmp_path / "build", NEW), NEW)
    server = ServerProcess(province_db_url, tmp_path / "blobs", workers=2, start_timeout=120)
    server.start()
    database = Database.open(province_db_url)
    try:
        lone = make_counter("d")
        lone.enrol_at(database, server.url)
        assert check_and_download(lone.data_dir, installed) is Outcome.READY
    finally:
        database.close()
        server.stop()
