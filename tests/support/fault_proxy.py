"""An HTTP/1.1 proxy for the tests that misbehaves on purpose, between a counter and the server.

It understands just enough HTTP (request and response heads, Content-Length
bodies) to fail at precise points:

- ``reset_request``: forward N bytes of a request, then cut both connections
  (the server sees the client vanish; the client sees a reset);
- ``stall``: hold a request for some seconds before forwarding it (the client
  times out and retries while the original still arrives, late);
- ``gateway_timeout``: forward the request, let the server answer, then tell the
  client 504 (the server applied it; the client must not apply it twice);
- ``after_request`` / ``after_response``: run a hook at that instant (kill the
  client with SIGKILL, restart the server), then cut the connection;
- ``refuse``: cut the connection as soon as the request head arrives (offline);
- ``respond``: answer ``status`` with ``headers`` and ``body`` itself (429 with
  Retry-After, a gateway's 502 page, a captive portal's sign-in page, nginx's 413, …).

Every request is logged with its headers, so a test can see what the client sent.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

BUFFER = 1 << 16
BAD_GATEWAY = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@dataclass
class Fault:
    method: str
    path: str
    action: str
    n_bytes: int = 0
    seconds: float = 0.0
    times: int = 1
    hook: Callable[[], None] | None = None
    skip: int = 0
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and method == self.method and path.startswith(self.path)


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class _Cut(Exception):
    """This connection is over (on purpose, or because a peer went away)."""


def _reset(sock: socket.socket) -> None:
    """Close with RST, as a crashed peer or a middlebox dropping state would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class _Reader:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def head(self) -> bytes:
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(BUFFER)
            if not chunk:
                raise _Cut
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        return head + b"\r\n\r\n"

    def body(self, length: int) -> bytes:
        while len(self.buffer) < length:
            chunk = self.sock.recv(BUFFER)
            if not chunk:
                raise _Cut
            self.buffer += chunk
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return body

    def some(self, limit: int) -> bytes:
        if not self.buffer:
            chunk = self.sock.recv(min(BUFFER, limit))
            if not chunk:
                raise _Cut
            self.buffer = chunk
        piece, self.buffer = self.buffer[:limit], self.buffer[limit:]
        return piece


def _parse(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return lines[0], headers


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.faults: list[Fault] = []
        self.log: list[Logged] = []
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._closing = False
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.1)  # so the accept loop notices close()
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def requests(self, method: str, path: str = "") -> list[Logged]:
        with self._lock:
            return [r for r in self.log if r.method == method and r.path.startswith(path)]

    def close(self) -> None:
        self._closing = True
        self._accepting.join(timeout=10)
        self.listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=10)
        for sock in sockets:
            sock.close()

    # Internals -----------------------------------------------------------------

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.add(sock)
        return sock

    def _forget(self, sock: socket.socket, *, reset: bool = False) -> None:
        with self._lock:
            self._sockets.discard(sock)
        if reset:
            _reset(sock)
        else:
            sock.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            self._track(client)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            with self._lock:
                self._threads.append(thread)
            thread.start()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    if fault.skip:
                        fault.skip -= 1
                        continue
                    fault.times -= 1
                    fault.fired += 1
                    return fault
        return None

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        reset_client = False
        try:
            reader = _Reader(client)
            while True:
                head = reader.head()
                request_line, headers = _parse(head)
                method, path, _ = request_line.split(" ", 2)
                with self._lock:
                    self.log.append(Logged(method, path, headers))
                fault = self._take_fault(method, path)
                if fault and fault.action == "refuse":
                    reset_client = True
                    return
                if fault and fault.action == "respond":
                    reader.body(int(headers.get("content-length", "0")))
                    extra = "".join(f"{k}: {v}\r\n" for k, v in fault.headers.items())
                    canned = (
                        f"HTTP/1.1 {fault.status} Fault\r\n{extra}"
                        f"Content-Length: {len(fault.body)}\r\n\r\n"
                    )
                    client.sendall(canned.encode() + fault.body)
                    continue
                if fault and fault.action == "stall":
                    time.sleep(fault.seconds)
                if upstream is None:
                    try:
                        upstream = self._track(
                            socket.create_connection(("127.0.0.1", self.upstream_port), 5)
                        )
                    except OSError:
                        reader.body(int(headers.get("content-length", "0")))
                        client.sendall(BAD_GATEWAY)
                        return
                answer = self._exchange(reader, upstream, head, headers, method, fault)
                if answer is None:
                    reset_client = True
                    return
                client.sendall(answer)
                if b"\r\nconnection: close" in answer.split(b"\r\n\r\n", 1)[0].lower():
                    return
        except (_Cut, OSError):
            return
        finally:
            if upstream is not None:
                self._forget(upstream)
            self._forget(client, reset=reset_client)

    def _exchange(
        self,
        reader: _Reader,
        upstream: socket.socket,
        head: bytes,
        headers: dict[str, str],
        method: str,
        fault: Fault | None,
    ) -> bytes | None:
        """Forward one request and return the bytes for the client, or None to cut it off."""
        upstream.sendall(head)
        remaining = int(headers.get("content-length", "0"))
        forwarded = 0
        while remaining:
            piece = reader.some(remaining)
            if fault and fault.action == "reset_request":
                piece = piece[: max(0, fault.n_bytes - forwarded)]
            upstream.sendall(piece)
            forwarded += len(piece)
            remaining -= len(piece)
            if fault and fault.action == "reset_request" and forwarded >= fault.n_bytes:
                if fault.hook:
                    fault.hook()
                # Let the server read what was sent, then end the stream mid-body.
                time.sleep(0.3)
                upstream.shutdown(socket.SHUT_WR)
                time.sleep(0.2)
                return None
        if fault and fault.action == "after_request" and fault.hook:
            fault.hook()
        try:
            response = self._response(upstream, method)
        except (_Cut, OSError):
            return BAD_GATEWAY
        if fault and fault.action == "after_response":
            if fault.hook:
                fault.hook()
            return None
        if fault and fault.action == "gateway_timeout":
            return b"HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 0\r\n\r\n"
        return response

    def _response(self, upstream: socket.socket, method: str) -> bytes:
        reader = _Reader(upstream)
        head = reader.head()
        status_line, headers = _parse(head)
        status = int(status_line.split(" ")[1])
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            body = b""
        else:
            body = reader.body(int(headers.get("content-length", "0")))
        if reader.buffer:
            raise _Cut  # pipelined bytes we do not expect from our server
        return head + body
