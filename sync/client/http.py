"""One HTTP connection to the provincial server, and the sorting of its failures.

Every call goes through ``ServerConnection.call``, which turns whatever happened
into either a response the caller asked for or one of the errors of
``sync.client.errors``; the retry policy then only has to look at the type.
"""

from __future__ import annotations

import email.utils
import errno
import logging
import os
import socket
import ssl
import time
from collections.abc import Collection, Mapping
from typing import Any, Self

import requests
from requests.adapters import HTTPAdapter

from sync import protocol
from sync.client.errors import (
    AuthRequired,
    NetworkError,
    NotTheServer,
    RequestRejected,
    Transient,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 60.0
# Bodies are streamed from disk in blocks this big; urllib3's 16 KiB default costs
# a measurable share of a gigabit upload in Python overhead.
SEND_BLOCK = 1 << 20
RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})
NETWORK_AUTHENTICATION_REQUIRED = 511
# What the clerk reads when a status comes from a gateway's own page, not the server's JSON.
PLAIN_STATUS = {
    413: "Máy chủ tỉnh (hoặc cổng mạng trước nó) không nhận tệp lớn như vậy (lỗi 413); hãy "
    "báo quản trị tỉnh nâng giới hạn kích thước tải lên.",
    429: "Máy chủ tỉnh đang quá tải và đề nghị gửi lại sau (lỗi 429).",
    502: "Cổng mạng của tỉnh không liên lạc được với máy chủ tỉnh (lỗi 502).",
    503: "Máy chủ tỉnh đang tạm ngừng phục vụ hoặc quá tải (lỗi 503).",
    504: "Cổng mạng của tỉnh chờ máy chủ tỉnh trả lời quá lâu (lỗi 504).",
}


class _BigBlockAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["blocksize"] = SEND_BLOCK
        super().init_poolmanager(*args, **kwargs)


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (a number or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _problem(response: requests.Response) -> tuple[str, str]:
    """(code, message) from an error answer, whatever shape the body has."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body.get("code", "")), body["message"]
    if isinstance(body, dict) and "detail" in body:
        return "invalid_request", f"Máy chủ tỉnh không nhận yêu cầu ({body['detail']})."
    if response.status_code in PLAIN_STATUS:
        return "", PLAIN_STATUS[response.status_code]
    return "", f"Máy chủ tỉnh trả lời lỗi {response.status_code} {response.reason}."


def _not_the_server(response: requests.Response) -> bool:
    """An answer from something else than the server: a captive portal's page, most often.

    The server answers JSON, bytes or nothing; a web page (or 511, the status
    made for captive portals) means the network wants a sign-in first.
    """
    if response.status_code == NETWORK_AUTHENTICATION_REQUIRED:
        return True
    if response.status_code in RETRYABLE or response.status_code >= 400:
        return False  # a gateway's error page: its status says what happened
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml")


def not_the_server_message(base_url: str) -> str:
    return (
        f"Địa chỉ {base_url} không trả lời như máy chủ tỉnh mà trả về một trang web: có thể "
        "mạng này bắt đăng nhập trước (Wi-Fi khách sạn, cổng mạng cơ quan), hoặc địa chỉ máy "
        "chủ bị sai. Hãy mở trình duyệt để đăng nhập mạng, hoặc kiểm tra lại địa chỉ máy chủ."
    )


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what lies under it: requests wraps urllib3, which wraps the socket's error."""
    found: list[BaseException] = []
    waiting: list[object] = [exc]
    while waiting:
        item = waiting.pop(0)
        if not isinstance(item, BaseException) or any(item is seen for seen in found):
            continue
        found.append(item)
        waiting += [getattr(item, "reason", None), item.__cause__, item.__context__, *item.args]
    return found


def network_problem(exc: requests.RequestException, base_url: str) -> str:
    """What went wrong on the way to the server, in words for the clerk.

    The exception's class and text (``ConnectionError``, urllib3's pool
    details) mean nothing at a counter: they go to the log, the sentence to
    the screen.
    """
    log.info("no answer from %s: %r", base_url, exc)
    causes = _causes(exc)
    numbers = {getattr(cause, "errno", None) for cause in causes}
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(cause, ssl.SSLError) for cause in causes
    ):
        return (
            f"Không kết nối an toàn được với máy chủ tỉnh {base_url}: chứng chỉ bảo mật (TLS) "
            "của máy chủ không hợp lệ hoặc không được tin cậy, hoặc đồng hồ máy này bị sai "
            "ngày. Hãy kiểm tra ngày giờ của máy rồi báo quản trị tỉnh."
        )
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return f"Máy chủ tỉnh {base_url} trả lời quá chậm."
    if isinstance(exc, requests.exceptions.ProxyError):
        why = "máy chủ proxy của mạng cơ quan không cho qua"
    elif isinstance(exc, requests.exceptions.Timeout):
        why = "quá thời gian chờ; hãy kiểm tra mạng của máy này"
    elif any(isinstance(cause, socket.gaierror) for cause in causes):
        why = "không tìm thấy máy chủ (máy này chưa có mạng, hoặc địa chỉ máy chủ bị sai)"
    elif errno.ECONNREFUSED in numbers:
        why = "máy chủ từ chối kết nối (máy chủ chưa chạy, hoặc địa chỉ, cổng bị sai)"
    elif numbers & {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}:
        why = "không có đường mạng tới máy chủ; hãy kiểm tra dây mạng hoặc Wi-Fi"
    elif isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        why = "địa chỉ máy chủ không hợp lệ"
    elif isinstance(
        exc, requests.exceptions.ConnectionError | requests.exceptions.ChunkedEncodingError
    ):
        why = "kết nối bị ngắt giữa chừng"
    else:
        why = "lỗi mạng"
    return f"Không kết nối được máy chủ tỉnh {base_url}: {why}."


class ServerConnection:
    """The base URL, the device token and a keep-alive session; close it when done."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.session = requests.Session()
        # What requests would read from the environment on every request is read
        # once, here: the proxy for this server (HTTP_PROXY, NO_PROXY, …) and a
        # CA bundle. Per request, that scan of the environment (and a stat of
        # ~/.netrc) cost the counter more CPU than sending a 200 KB scan, and a
        # .netrc entry for the server would have replaced the device token.
        self.session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.session.verify = bundle or True
        self.session.trust_env = False
        adapter = _BigBlockAdapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def clone(self) -> Self:
        """Another connection to the same server with the same token (for another thread)."""
        return type(self)(self.base_url, self.token, timeout=self.timeout)

    def url(self, name: str) -> str:
        return self.base_url + protocol.path(name)

    def call(
        self,
        method: str,
        name: str,
        *,
        ok: Collection[int] = (),
        headers: Mapping[str, str] | None = None,
        timeout: tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request; 2xx and the statuses in ``ok`` come back, the rest raise."""
        all_headers = dict(headers or {})
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self.session.request(
                method,
                self.url(name),
                headers=all_headers,
                timeout=timeout or self.timeout,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise NetworkError(network_problem(exc, self.base_url)) from exc
        status = response.status_code
        if _not_the_server(response):
            response.close()
            raise NotTheServer(not_the_server_message(self.base_url))
        if 200 <= status < 300 or status in ok:
            return response
        code, message = _problem(response)
        response.close()
        if status in RETRYABLE:
            raise Transient(message, retry_after(response.headers.get("Retry-After")), code)
        if status == 401:
            raise AuthRequired(message, code)
        raise RequestRejected(message, status, code)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
