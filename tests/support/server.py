"""The real provincial server on loopback: in a thread (fast), or as a process (to kill it).

A free port is taken by binding port 0 and handing the bound socket to uvicorn,
so two tests can never race for the same port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
import uvicorn

from sync import protocol
from sync.server import admin
from sync.server.app import create_app
from sync.server.db import Database
from sync.server.settings import ServerLimits

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ThreadedServer:
    """``create_app`` served by uvicorn in a daemon thread of the test process."""

    def __init__(
        self, database_url: str, blob_dir: Path | str, limits: ServerLimits | None = None
    ) -> None:
        self.database_url = database_url
        self.blob_dir = blob_dir
        self.database = Database.open(database_url, pool_size=5, max_overflow=20)
        self.app = create_app(self.database, blob_dir, limits)
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the provincial server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()
        self.app.state.tokens.close()
        self.app.state.blobs.close()
        self.app.state.holders.close()
        self.database.close()


class ServerProcess:
    """``province-server serve`` as a child process on a fixed port, so it can be killed."""

    def __init__(
        self,
        database_url: str,
        blob_dir: Path | str,
        port: int | None = None,
        logs: Path | None = None,
        workers: int = 1,
        start_timeout: float = START_TIMEOUT_S,
    ) -> None:
        self.workers = workers
        self.start_timeout = start_timeout
        self.database_url = database_url
        self.blob_dir = blob_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.logs = logs  # where each start's output is kept (server-N.stderr), for reading
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        output = None
        if self.logs is not None:
            output = (self.logs / f"server-{self.starts}.stderr").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync.server.cli",
                "serve",
                "--database-url",
                self.database_url,
                "--blob-dir",
                str(self.blob_dir),
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--workers",
                str(self.workers),
            ],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        if output is not None:
            output.close()  # the child writes through its own copy
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("province-server serve exited at start")
            try:
                with requests.get(f"{self.url}/api/v1/health", timeout=1) as answer:
                    if answer.ok:
                        return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("province-server serve did not answer in time")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        """Let it shut down as on a normal stop (a kill is the crash)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


def device_headers(server: ThreadedServer, unit_code: str, slot: int) -> dict[str, str]:
    """The Authorization header of a device enrolled over HTTP in ``unit_code``'s ``slot``."""
    code = admin.enrol(server.database, unit_code=unit_code, unit_name="UBND", slot=slot)
    answer = requests.post(
        f"{server.url}{protocol.path('enrol')}",
        json={"code": code, "unit_code": unit_code, "device_slot": slot, "device_id": f"d{slot}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['device_token']}"}
