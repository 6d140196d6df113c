"""The files in ``deploy/`` agree with the server they deploy.

The env file names only variables ``serve`` reads, with values it accepts; nginx
lets through a little more than each of the server's body limits (so the server
itself answers 413, in the JSON the counter reads) and waits longer than the
counter does; the systemd unit runs commands and options ``province-server`` has.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from sync.client import http
from sync.client.blobs import UPLOAD_TIMEOUT
from sync.server.cli import build_parser, limit_env, serve_limits
from sync.server.settings import KIB, MIB, ServerLimits

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NGINX_UNITS = {"k": KIB, "m": MIB, "g": 1024 * MIB}


def env_file() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "province-server.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            assert "#" not in value, f"systemd takes no comment after a value: {line}"
            values[name] = value
    return values


def serve_options() -> dict[str, str]:
    """The limit options of ``serve`` and their environment variables."""
    parser = build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command")
    serve = subcommands.choices["serve"]  # type: ignore[index]
    options = [a.option_strings[0] for a in serve._actions if a.option_strings]
    limits = [o for o in options if o.startswith(("--max-", "--rate-", "--upload-", "--queue-"))]
    return {limit_env(option): option for option in limits}


def test_the_env_file_sets_every_limit_serve_reads_and_nothing_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = env_file()
    settings = {name for name in values if name.startswith("PROVINCE_")}
    limits = serve_options()
    assert set(limits) <= settings, "every limit is written down"
    others = {
        "PROVINCE_DATABASE_URL", "PROVINCE_BLOB_DIR", "PROVINCE_HOST", "PROVINCE_PORT",
        "PROVINCE_WORKERS", "PROVINCE_BACKUP_DIR", "PROVINCE_BACKUP_KEEP",
        "PROVINCE_UPDATES_DIR",
    }  # fmt: skip
    assert settings - set(limits) == others
    for name in limits:
        monkeypatch.setenv(name, values[name])
    configured = serve_limits(build_parser().parse_args(["serve"]))
    assert configured.push_bytes == int(values["PROVINCE_MAX_PUSH_MB"]) * MIB
    assert configured.device_rate == float(values["PROVINCE_RATE_PER_DEVICE"]) > 0
    assert configured.enrol_bytes == ServerLimits().enrol_bytes
    assert configured.admission_slots == int(values["PROVINCE_MAX_CONCURRENT"])
    assert configured.admission_wait_s == int(values["PROVINCE_QUEUE_WAIT_MS"]) / 1000


def nginx_size(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", text.lower()).groups()  # type: ignore[union-attr]
    return int(number) * NGINX_UNITS.get(unit, 1)


def test_nginx_lets_through_a_little_more_than_each_server_limit() -> None:
    conf = (DEPLOY / "nginx-province-server.conf").read_text(encoding="utf-8")
    values = env_file()
    limits = {
        "/api/v1/enrol": int(values["PROVINCE_MAX_ENROL_KB"]) * KIB,
        "/api/v1/push": int(values["PROVINCE_MAX_PUSH_MB"]) * MIB,
        "/api/v1/blobs/": int(values["PROVINCE_MAX_BLOB_MB"]) * MIB,
    }
    server_block = conf[conf.index("listen 443") :]
    default = re.search(r"^    client_max_body_size (\S+);", server_block, re.M)
    assert default is not None
    sizes = {"": nginx_size(default.group(1))}
    for path, size in re.findall(
        r"location =? ?(\S+) \{\s*client_max_body_size (\S+);", server_block
    ):
        sizes[path] = nginx_size(size)
    limits[""] = int(values["PROVINCE_MAX_REQUEST_KB"]) * KIB
    assert set(sizes) == set(limits)
    for path, limit in limits.items():
        assert limit < sizes[path] <= limit + MIB, (path, limit, sizes[path])
    assert "proxy_request_buffering off;" in conf, "a scan streams through as it arrives"
    assert "proxy_set_header X-Request-ID $request_id;" in conf

    timeouts = dict(re.findall(r"^    (\w+_timeout) (\d+)s;", server_block, re.M))
    longest_wait = max(http.READ_TIMEOUT_S, UPLOAD_TIMEOUT[1])
    for name in ("proxy_read_timeout", "proxy_send_timeout", "client_body_timeout"):
        assert int(timeouts[name]) >= longest_wait, name


def test_the_systemd_unit_runs_commands_province_server_has() -> None:
    unit = (DEPLOY / "province-server.service").read_text(encoding="utf-8")
    unit = unit.replace("\\\n", " ")
    values = env_file()

    def command(key: str) -> list[str]:
        line = re.search(rf"^{key}=(.+)$", unit, re.M)
        assert line is not None, key
        expanded = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], line.group(1))
        words = shlex.split(expanded)
        assert words[0] == "/opt/ward-counter/bin/province-server"
        return words[1:]

    parser = build_parser()
    migrate = parser.parse_args(command("ExecStartPre"))
    assert migrate.command == "migrate"
    serve, unknown = parser.parse_known_args(command("ExecStart"))
    assert serve.command == "serve"
    assert (serve.host, serve.port) == ("127.0.0.1", int(values["PROVINCE_PORT"]))
    assert serve.blob_store == values["PROVINCE_BLOB_DIR"]
    # ``--workers`` comes with the multi-process server; until then it is the one left over.
    if not hasattr(serve, "workers"):
        assert unknown == ["--workers", values["PROVINCE_WORKERS"]]
    else:
        assert unknown == [] and serve.workers == int(values["PROVINCE_WORKERS"])
    assert "EnvironmentFile=/etc/province-server/province-server.env" in unit
    assert "User=province" in unit


@pytest.mark.parametrize("script", ["backup.sh", "restore.sh"])
def test_the_scripts_parse_and_stop_on_the_first_error(script: str) -> None:
    path = DEPLOY / script
    assert subprocess.run(["bash", "-n", str(path)], check=False).returncode == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert path.stat().st_mode & 0o111, "executable"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    names = ("province-server.service", "province-server-backup.service")
    units = [shutil.copy(DEPLOY / name, tmp_path / name) for name in names]
    units.append(shutil.copy(DEPLOY / "province-server-backup.timer", tmp_path))
    done = subprocess.run(
        ["systemd-analyze", "verify", *map(str, units)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    # The programs live under /opt/ward-counter on the province's server, not here.
    complaints = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert complaints == []
