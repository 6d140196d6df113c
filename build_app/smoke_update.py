"""The smoke's update step: the frozen program on version N updates itself to N+1 from the province.

What it does, with the built folder and nothing made up:

1. copies the build into a scratch "install" folder: the counter on version N,
   the version the build carries (``_internal/ward_counter-N.dist-info``);
2. makes version N+1 from the same build: another copy whose dist-info says
   N+1 — the folder's name, which ``province-server updates publish`` checks,
   and its METADATA, which the running program reads (``counter-app
   --version``, and the updater's "current version"). Nothing else differs, so
   the step needs one build, not two;
3. starts the reference server (this environment's ``province-server serve``,
   a SQLite database in the scratch folder) with an update repository made by
   ``updates init`` and N+1 signed into it by ``updates publish``;
4. makes a counter's data with the installed program: ``demo`` (dossiers
   received by the real services, their changes waiting in the outbox), then
   ``enrol`` with a code the server's ``enrol`` issued;
5. opens the window offscreen until the background check has downloaded N+1
   (``updates/ready.json``), closes it, then runs ``--version`` once: that start
   backs up the store, puts N+1 in place of the install folder and becomes the
   new program, which prints N+1;
6. checks the install folder, a second ``--version``, the backup (verified,
   made before the swap, holding the same dossiers and outbox), ``verify`` and a
   dossier read back unchanged, and prints the times and sizes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from build_app.__main__ import ROOT, folder_size
from build_app.smoke import SmokeFailure, clean_env, expect_in, run

DIST_INFO_PREFIX = "ward_counter-"
DOWNLOAD_TIMEOUT_S = 180.0


def carried_version(folder: Path) -> tuple[Path, str]:
    """The build's dist-info and the version it names (what publish and the program read)."""
    found = sorted((folder / "_internal").glob(f"{DIST_INFO_PREFIX}*.dist-info"))
    if len(found) != 1:
        raise SmokeFailure(f"{folder}: expected one {DIST_INFO_PREFIX}*.dist-info, found {found}")
    info = found[0]
    return info, info.name.removeprefix(DIST_INFO_PREFIX).removesuffix(".dist-info")


def next_version(version: str) -> str:
    from packaging.version import Version

    parsed = Version(version)
    return f"{parsed.major}.{parsed.minor}.{parsed.micro + 1}"


def make_next_build(dist: Path, target: Path) -> str:
    """A copy of ``dist`` that says it is the next version, and differs in nothing else."""
    shutil.copytree(dist, target, symlinks=True)
    info, version = carried_version(target)
    newer = next_version(version)
    metadata = info / "METADATA"
    lines = metadata.read_text(encoding="utf-8").splitlines()
    metadata.write_text(
        "\n".join(f"Version: {newer}" if x.startswith("Version:") else x for x in lines) + "\n",
        encoding="utf-8",
    )
    info.rename(info.with_name(f"{DIST_INFO_PREFIX}{newer}.dist-info"))
    return newer


def province(*args: str) -> str:
    """``province-server`` of this environment, as the province's IT staff run it."""
    done = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SmokeFailure(f"province-server {' '.join(args)}: {done.stdout}{done.stderr}")
    return done.stdout


def store_contents(database: Path) -> tuple[list[str], int]:
    """The dossiers' codes and the changes not yet sent, read without writing anything."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        query = "SELECT code FROM dossier WHERE code IS NOT NULL ORDER BY code"
        codes = [str(r[0]) for r in db.execute(query)]
        pending = db.execute("SELECT count(*) FROM outbox_entry WHERE state = 'pending'")
        return codes, int(pending.fetchone()[0])


def log_tail(data_dir: Path) -> str:
    log = data_dir / "logs" / "counter.log"
    return log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.is_file() else ""


def wait_for_download(binary: Path, data_dir: Path, env: dict[str, str]) -> float:
    """Open the window (offscreen) until the update is downloaded; the seconds it took."""
    ready = data_dir / "updates" / "ready.json"
    started = time.perf_counter()
    window = subprocess.Popen(
        [str(binary), "--data-dir", str(data_dir)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        while not ready.is_file():
            if window.poll() is not None:
                raise SmokeFailure(
                    f"the window exited ({window.returncode}) before the update was downloaded\n"
                    f"{log_tail(data_dir)}"
                )
            if time.perf_counter() - started > DOWNLOAD_TIMEOUT_S:
                raise SmokeFailure(
                    f"no update downloaded in {DOWNLOAD_TIMEOUT_S:.0f} s\n{log_tail(data_dir)}"
                )
            time.sleep(0.2)
        return time.perf_counter() - started
    finally:
        window.send_signal(signal.SIGTERM)
        try:
            window.wait(timeout=30)
        except subprocess.TimeoutExpired:
            window.kill()
            window.wait(timeout=30)


def check_update(built: Path, work: Path, home: Path) -> None:
    """Steps 1 to 6 of the module's text; raises SmokeFailure on the first that fails."""
    sys.path.insert(0, str(ROOT))
    from counter_app.backup import verify_backup
    from sync.server.settings import ENV_UPDATES_DIR
    from tests.support.server import ServerProcess

    print("update: version N installed, N+1 published by the reference server, downloaded by")
    print("        the window, installed at the next start after a backup, the data checked")
    began = time.perf_counter()
    dist = built.parent
    install = work / "install" / dist.name
    shutil.copytree(dist, install, symlinks=True)
    binary = install / built.name
    _, current = carried_version(install)
    newer = make_next_build(dist, work / "build-next" / dist.name)
    copied = time.perf_counter() - began

    repo, keys = work / "province-updates", work / "update-keys"
    province("updates", "init", "--repo", str(repo), "--keys", str(keys))
    started = time.perf_counter()
    province(
        "updates",
        "publish",
        str(work / "build-next" / dist.name),
        "--repo",
        str(repo),
        "--keys",
        str(keys),
    )
    published = time.perf_counter() - started
    archive = repo / "targets" / f"ward-counter-{newer}.tar.gz"
    print(
        f"ok   province-server updates publish {newer}: {archive.name} "
        f"{archive.stat().st_size / 1024**2:.0f} MB in {published:.1f} s"
    )

    env = clean_env(home)
    data_dir = work / "updating"
    database_url = f"sqlite:///{work / 'province-updates.sqlite3'}"
    os.environ[ENV_UPDATES_DIR] = str(repo)  # the server process inherits it
    server = ServerProcess(database_url, work / "province-update-blobs", logs=work)
    server.start()
    try:
        expect_in(
            run(binary, ["--version"], env).stdout,
            f"counter-app {current}",
            what=f"the installed program's version ({current})",
        )
        run(binary, ["--data-dir", str(data_dir), "demo"], env)
        code = province(
            "enrol",
            "--database-url",
            database_url,
            "--unit-code",
            "000.00.11.H57",
            "--unit-name",
            "UBND phường Hạc Thành",
            "--device-slot",
            "1",
        ).split()[-1]
        run(
            binary,
            [
                "--data-dir",
                str(data_dir),
                "enrol",
                "--server",
                server.url,
                "--code",
                code,
                "--user",
                "admin",
            ],
            env | {"COUNTER_PASSWORD": "demo1234"},
        )
        database = data_dir / "counter.sqlite3"
        codes, pending = store_contents(database)
        if not codes or not pending:
            raise SmokeFailure(f"demo: {len(codes)} dossiers, {pending} changes waiting")
        shown = run(
            binary,
            ["--data-dir", str(data_dir), "dossier", "show", codes[0], "--format", "json"],
            env,
        ).stdout

        downloaded = wait_for_download(binary, data_dir, env)
        print(
            f"ok   counter-app (the window, offscreen): {newer} downloaded and unpacked "
            f"after {downloaded:.1f} s"
        )
        if carried_version(install)[1] != current:
            raise SmokeFailure("the window installed the update itself; only a start should")

        started = time.perf_counter()
        said = run(binary, ["--data-dir", str(data_dir), "--version"], env).stdout
        installed = time.perf_counter() - started
        expect_in(said, f"counter-app {newer}", what="the start that installs the update")
        print(f"     backup, install and restart as {newer}: {installed:.1f} s")
    finally:
        server.stop()
        os.environ.pop(ENV_UPDATES_DIR, None)

    if carried_version(install)[1] != newer:
        raise SmokeFailure(f"{install} does not carry {newer} after the update")
    expect_in(
        run(binary, ["--version"], env).stdout,
        f"counter-app {newer}",
        what="the next start's version",
    )
    kept = install.with_name(f"{install.name}.old-{current}")
    if carried_version(kept)[1] != current:
        raise SmokeFailure(f"version {current} was not kept aside at {kept}")
    applied = json.loads((data_dir / "updates" / "applied.json").read_text(encoding="utf-8"))
    backup = Path(applied["backup"])
    manifest = verify_backup(backup)
    if backup.stat().st_mtime_ns > install.stat().st_ctime_ns:
        raise SmokeFailure(f"the backup {backup} was made after the install")
    if store_contents(backup / "counter.sqlite3") != (codes, pending):
        raise SmokeFailure("the backup does not hold the store's dossiers and outbox")
    if store_contents(database) != (codes, pending):
        raise SmokeFailure(f"after the update: {store_contents(database)}, before {codes, pending}")
    verified = run(binary, ["--data-dir", str(data_dir), "verify"], env).stdout
    expect_in(verified, "thiếu 0, hỏng 0", what="verify after the update")
    again = run(
        binary, ["--data-dir", str(data_dir), "dossier", "show", codes[0], "--format", "json"], env
    ).stdout
    if json.loads(again) != json.loads(shown):
        raise SmokeFailure(f"dossier {codes[0]} reads differently after the update")
    size = manifest["database"]["size"]
    print(
        f"ok   updated {current} -> {newer}: {len(codes)} dossiers and {pending} changes "
        f"waiting for the province intact; backup {backup.name} ({size / 1024:.0f} KB) "
        "verified, made before the install"
    )
    print(
        f"     build {folder_size(install) / 1024**2:.0f} MB; copies {copied:.1f} s; "
        f"update step {time.perf_counter() - began:.0f} s in all"
    )
