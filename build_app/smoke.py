"""Run the frozen ``counter-app`` as a clerk's PC would, from a fresh HOME, and check what it made.

Run: ``python -m build_app.smoke [--dist DIR] [--runs N]`` after ``python -m build_app``.

Each command runs the built executable with a temporary HOME (no data directory,
no settings, no ``COUNTER_DATA_DIR``, no ``PYTHONPATH``), and its result is read
back: exit statuses, the printed text, the PDFs' pages and words (pypdf), an
enrolment and a sync with the reference server (run from this environment, on
loopback), the log-in window painted offscreen (``COUNTER_APP_STARTUP_MARK``). Then it prints
the build folder's size and the frozen cold start beside the development
environment's (the ``counter-app`` script beside this interpreter): the median
time from process start to the log-in dialog's first frame, offscreen. Last,
the update step (``build_app/smoke_update.py``): a copy of the build installed
as version N updates itself to N+1 published by the reference server, its data
intact; ``--no-update`` skips it. Exits 1 on the first check that fails, naming it.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_app.__main__ import ROOT, executable, folder_size

MARKER = "login-shown"


class SmokeFailure(Exception):
    pass


def clean_env(home: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "WINDIR", "TEMP", "TMP")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env |= {
        "HOME": str(home),
        "USERPROFILE": str(home),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "QT_QPA_PLATFORM": "offscreen",
        # No desktop session here: keyring's own "no keyring" backend, as on a headless PC.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    return env


def run(
    binary: Path, args: list[str], env: dict[str, str], expect: int = 0
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(binary), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=180,
        check=False,
    )
    shown = " ".join(args)
    if done.returncode != expect:
        raise SmokeFailure(
            f"counter-app {shown}: exit {done.returncode}, expected {expect}\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    if "Traceback" in done.stderr:
        raise SmokeFailure(f"counter-app {shown} printed a traceback:\n{done.stderr[-3000:]}")
    print(f"ok   counter-app {shown}")
    return done


def expect_in(text: str, *wanted: str, what: str) -> None:
    for word in wanted:
        if word not in text:
            raise SmokeFailure(f"{what}: {word!r} not found in:\n{text[-2000:]}")


def pdf_text(path: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() or "" for page in reader.pages)


def time_to_login(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert child.stdout is not None
    elapsed = None
    for line in child.stdout:
        if line.strip() == MARKER:
            elapsed = time.perf_counter() - started
            break
    child.stdout.close()
    code = child.wait(timeout=60)
    if elapsed is None:
        raise SmokeFailure(f"{command[0]} never painted the log-in window (exit {code})")
    return elapsed


def check(binary: Path, home: Path, work: Path) -> Path:
    """Every command of the brief, from a fresh HOME; returns the demo data directory."""
    env = clean_env(home)
    listed = run(binary, ["--help"], env).stdout
    expect_in(listed, "init", "demo", "print", "report", "enrol", "sync", "attach", "verify",
              "doctor", "backup", what="the commands of every plugin")  # fmt: skip

    counter = work / "counter"
    made = run(
        binary,
        ["--data-dir", str(counter), "init", "--unit-code", "000.00.11.H57",
         "--unit-name", "UBND phường Hạc Thành", "--device-slot", "3"],
        env | {"COUNTER_ADMIN_PASSWORD": "quan-tri-123"},
    ).stdout  # fmt: skip
    expect_in(made, "máy số 3", what="init")
    with sqlite3.connect(counter / "counter.sqlite3") as db:  # Alembic ran from the bundle
        revision = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        procedures = db.execute("SELECT count(*) FROM procedure").fetchone()[0]
    if not procedures:
        raise SmokeFailure("init: the seed catalog was not imported")
    print(f"     store at revision {revision}, {procedures} procedures from the seed catalog")
    found = run(binary, ["--data-dir", str(counter), "catalog", "search", "khai", "sinh"], env)
    expect_in(found.stdout, "Đăng ký khai sinh", what="catalog search")

    check_sync(binary, env, counter, work)

    config = work / "province.toml"
    config.write_text(
        '[counter]\nunit_code = "000.00.11.H57"\nunit_name = "UBND phường Hạc Thành"\n\n'
        f"[settings]\npaper = \"A4\"\n\n[digitize]\nscanner_folder = '{work / 'scans'}'\n",
        encoding="utf-8",
    )
    provisioned = work / "provisioned"
    set_up = run(
        binary,
        ["setup", "--config", str(config), "--device-slot", "5", "--data-dir", str(provisioned)],
        env | {"COUNTER_ADMIN_PASSWORD": "quan-tri-123"},
    ).stdout
    expect_in(set_up, "máy số 5", what="setup --config")
    if '"paper": "A4"' not in (provisioned / "settings.json").read_text(encoding="utf-8"):
        raise SmokeFailure("setup --config: the file's paper was not saved")

    demo = run(binary, ["demo"], env).stdout
    expect_in(demo, "hồ sơ", "demo1234", what="demo")
    data_dir = next(p.parent for p in home.rglob("counter.sqlite3") if "WardCounter" in str(p))
    with sqlite3.connect(data_dir / "counter.sqlite3") as db:
        code, received = db.execute(
            "SELECT code, received_at FROM dossier WHERE code IS NOT NULL ORDER BY code LIMIT 1"
        ).fetchone()
    day = str(received)[:10]

    receipt = work / "receipt.pdf"
    run(binary, ["print", "receipt", code, "--out", str(receipt)], env)
    pages, text = pdf_text(receipt)
    compact = "".join(text.split())
    if pages < 1 or code not in compact:
        raise SmokeFailure(f"print receipt: {pages} pages, code {code} not in the text")
    expect_in(text.upper(), "TIẾP NHẬN", what="the receipt's title")
    print(f"     receipt: {pages} pages, code {code} read back")

    report = work / "day.pdf"
    tally = run(binary, ["report", "daily", "--date", day, "--out", str(report)], env).stdout
    shown_day = f"{day[8:10]}/{day[5:7]}/{day[:4]}"
    expect_in(tally, f"Ngày {shown_day}: nhận", what="report daily's summary")
    pages, text = pdf_text(report)
    if pages < 1:
        raise SmokeFailure("report daily: an empty PDF")
    expect_in(text, "BÁO CÁO TÌNH HÌNH", f"Ngày {shown_day}", what="the daily report PDF")
    print(f"     daily report of {day}: {pages} page(s)")

    verified = run(binary, ["verify"], env).stdout
    expect_in(verified, "thiếu 0, hỏng 0", what="verify")

    checked = run(binary, ["doctor", "--data-dir", str(data_dir)], env).stdout
    expect_in(checked, "[Đạt", "Phông chữ in phiếu (Tinos)", what="doctor")
    for title in ("Thư viện hiển thị cửa sổ (Qt)", "Phông chữ in phiếu (Tinos)",
                  "Cơ sở dữ liệu quầy"):  # fmt: skip
        line = next(x for x in checked.splitlines() if f"] {title}:" in x)
        if not line.startswith("[Đạt"):
            raise SmokeFailure(f"doctor: {line}")

    seconds = time_to_login([str(binary)], env | {"COUNTER_APP_STARTUP_MARK": "1"})
    print(f"ok   counter-app (the window, offscreen): log-in painted after {seconds:.1f} s")
    return data_dir


def check_sync(binary: Path, env: dict[str, str], counter: Path, work: Path) -> None:
    """``enrol`` and ``sync`` of the frozen build against the reference server (the venv's)."""
    sys.path.insert(0, str(ROOT))
    from tests.support.server import ServerProcess

    database_url = f"sqlite:///{work / 'province.sqlite3'}"
    server = ServerProcess(database_url, work / "province-blobs")
    server.start()
    try:
        issued = subprocess.run(
            [sys.executable, "-m", "sync.server.cli", "enrol", "--database-url", database_url,
             "--unit-code", "000.00.11.H57", "--unit-name", "UBND phường Hạc Thành",
             "--device-slot", "3"],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        code = issued.stdout.split()[-1]
        admin = env | {"COUNTER_PASSWORD": "quan-tri-123"}
        enrolled = run(
            binary,
            ["--data-dir", str(counter), "enrol", "--server", server.url, "--code", code,
             "--user", "admin"],
            admin,
        ).stdout  # fmt: skip
        expect_in(enrolled, "Đã đăng ký máy số 3", what="enrol")
        synced = run(binary, ["--data-dir", str(counter), "sync"], env).stdout
        expect_in(synced, "Đồng bộ xong", what="sync")
        checked = run(binary, ["doctor", "--data-dir", str(counter)], env).stdout
        for title in ("Đăng ký với máy chủ tỉnh", "Kết nối máy chủ tỉnh"):
            line = next(x for x in checked.splitlines() if f"] {title}:" in x)
            if not line.startswith("[Đạt"):
                raise SmokeFailure(f"doctor after enrolment: {line}")
    finally:
        server.stop()


def compare_cold_start(binary: Path, data_dir: Path, home: Path, runs: int) -> None:
    env = clean_env(home) | {"COUNTER_APP_STARTUP_MARK": "1"}
    venv_script = Path(sys.executable).with_name("counter-app")
    commands = {"frozen": [str(binary), "--data-dir", str(data_dir)]}
    if venv_script.exists():
        venv_env = env | {"PYTHONPATH": str(ROOT)}
        commands["venv"] = [str(venv_script), "--data-dir", str(data_dir)]
    else:
        venv_env = env
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # the first run of each warms the file cache
        time_to_login(command, venv_env if name == "venv" else env)
    for _ in range(runs):
        for name, command in commands.items():
            timings[name].append(time_to_login(command, venv_env if name == "venv" else env))
    print(f"cold start to the log-in window painted (offscreen), median of {runs}:")
    for name, values in timings.items():
        print(f"  {name:7} {statistics.median(values):6.2f} s   (min {min(values):.2f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_app.smoke", description=__doc__)
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-update", action="store_true", help="skip the update step (build_app/smoke_update.py)"
    )
    args = parser.parse_args(argv)
    binary = executable(Path(args.dist))
    if not binary.exists():
        print(f"no build at {binary}: run python -m build_app first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="counter-smoke-") as scratch:
        home, work = Path(scratch) / "home", Path(scratch) / "work"
        home.mkdir()
        work.mkdir()
        try:
            data_dir = check(binary, home, work)
            size = folder_size(binary.parent)
            print(f"build folder {binary.parent}: {size / 1024**2:.0f} MB")
            compare_cold_start(binary, data_dir, home, args.runs)
            if not args.no_update:
                from build_app.smoke_update import check_update

                check_update(binary, work, home)
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            return 1
    print("frozen build: all checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
