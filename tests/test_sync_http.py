"""The counter's HTTP connection and the machine's environment: proxy, .netrc."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.client.http import ServerConnection
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer

pytest_plugins = ["tests.support.sync_fixtures"]

HEALTH = b'{"server_epoch":"e","server_time":"2026-11-23T06:00:00Z","head_seq":0}'


class ForwardProxy:
    """An HTTP proxy that answers every request itself and keeps the request heads it saw."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.heads: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                peer, _ = self.listener.accept()
            except OSError:
                return
            with peer:
                head = b""
                while b"\r\n\r\n" not in head and (piece := peer.recv(4096)):
                    head += piece
                self.heads.append(head.decode("latin-1"))
                answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                answer += b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(HEALTH)
                peer.sendall(answer + HEALTH)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def forward_proxy() -> Iterator[ForwardProxy]:
    proxy = ForwardProxy()
    yield proxy
    proxy.close()


def test_the_proxy_named_in_the_environment_carries_the_requests(
    forward_proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.url)

    with ServerConnection("http://tinh.invalid:8123", "token") as connection:
        monkeypatch.delenv("HTTP_PROXY")  # read when the connection was made, not per request
        answer = connection.call("GET", "health")

    assert answer.content == HEALTH
    [head] = forward_proxy.heads
    assert head.startswith("GET http://tinh.invalid:8123/api/v1/health HTTP/1.1\r\n"), head
    assert "Authorization: Bearer token\r\n" in head


def test_a_netrc_entry_for_the_server_does_not_replace_the_device_token(
    province: ThreadedServer,
    make_counter: CounterFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = make_counter("a")
    counter.enrol(province)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password not-the-token\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))

    with counter.connection() as connection:
        answer = connection.call("GET", "changes")

    assert answer.status_code == 200  # with the .netrc login instead of the token: 401
