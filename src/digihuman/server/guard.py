"""What stands between the network and the app: body size, Host names, logs, render capacity.

* :class:`RequestGuard` (pure ASGI, outermost): refuses a Host the server was not told to
  answer to (DNS rebinding: a page on evil.example that re-resolves to 127.0.0.1 sends
  ``Host: evil.example``), and stops reading a body at the limit whether or not it declares a
  Content-Length (a chunked 1 GB upload used to be spooled to disk before the 413).
* :class:`RedactTokens`: a logging filter that replaces ``token=...`` in uvicorn's access and
  WebSocket lines, which otherwise printed the secret on every ``?token=`` request.
* :class:`RenderGate`: at most ``slots`` renders at once and ``queue`` waiting; beyond that 503
  (and 429 for one user holding more than their share), both with ``Retry-After``.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time

from starlette.exceptions import HTTPException

from .uploads import UploadError

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Host names a server bound to this machine answers to."""


def host_name(host_header: str) -> str:
    """``example.org:8000`` -> ``example.org``; ``[::1]:8000`` -> ``::1`` (lower case)."""
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def host_allowed(host_header: str, allowed) -> bool:
    """Whether ``host_header`` names one of ``allowed`` ("*" allows any)."""
    if allowed is None or "*" in allowed:
        return True
    return host_name(host_header) in {host_name(a) for a in allowed}


class _TooLarge(HTTPException):
    """Raised from ``receive`` at the limit; an HTTPException so parsers pass it through unchanged
    (FastAPI turns other body errors into a 400) and the app answers it with its error body."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request is larger than {limit // (1024 * 1024)} MB")
        self.hint = "upload smaller files"


class RequestGuard:
    """ASGI middleware: Host allow-list for HTTP and WebSocket, and a hard cap on body bytes."""

    def __init__(self, app, *, max_body: int, allowed_hosts=LOCAL_HOSTS) -> None:
        self.app, self.max_body = app, max_body
        self.allowed = None if allowed_hosts is None else tuple(allowed_hosts)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not host_allowed(headers.get("host", ""), self.allowed):
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await _json(send, 400, "the Host header names a server this is not",
                               "open the address that 'digihuman serve' printed (or start it with --allowed-host NAME)")
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return await _too_large(send, self.max_body)
        seen, started = 0, False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge(self.max_body)
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except _TooLarge:
            if not started:
                await _too_large(send, self.max_body)
        except Exception as exc:  # a parser wraps it (FastAPI: "error parsing the body")
            if not _caused_by_too_large(exc):
                raise
            if not started:
                await _too_large(send, self.max_body)


def _caused_by_too_large(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, _TooLarge):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


async def _json(send, status: int, error: str, hint: str, headers=()) -> None:
    body = json.dumps({"error": error, "hint": hint}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *headers]})
    await send({"type": "http.response.body", "body": body})


async def _too_large(send, limit: int) -> None:
    await _json(send, 413, f"the request is larger than {limit // (1024 * 1024)} MB", "upload smaller files")


_TOKEN_IN_URL = re.compile(r"(?i)(token=)[^&\s\"']+")


class RedactTokens(logging.Filter):
    """Replaces access tokens in log lines (uvicorn logs each request's path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_TOKEN_IN_URL.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                                for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_URL.sub(r"\1[redacted]", record.msg)
        return True


REDACTED_LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn")


def redact_logs() -> None:
    """Install :class:`RedactTokens` on uvicorn's loggers and their handlers (idempotent)."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers):
            if not any(isinstance(f, RedactTokens) for f in target.filters):
                target.addFilter(RedactTokens())


class Busy(UploadError):
    """The server cannot take this render now; ``retry_after`` seconds is a fair wait."""

    def __init__(self, status: int, message: str, retry_after: int) -> None:
        super().__init__(status, message, f"try again in about {retry_after} s")
        self.headers = {"Retry-After": str(retry_after)}


class RenderGate:
    """Admission for REST renders: ``slots`` run, ``queue`` wait, the rest are refused at once.

    One user may hold at most ``per_user`` places (running or waiting) so a single client cannot
    fill the queue (429); a full queue is 503. Retry-After is estimated from recent render times.
    """

    def __init__(self, slots: int = 2, queue: int = 8, per_user: int = 2) -> None:
        self.slots, self.queue, self.per_user = max(1, slots), max(0, queue), max(1, per_user)
        self._lock = threading.Lock()
        self._run = threading.Semaphore(self.slots)
        self._held = 0
        self._by_user: dict[str, int] = {}
        self._avg = 10.0  # s per render, a moving average

    @property
    def held(self) -> int:
        return self._held

    def _retry_after(self) -> int:
        return max(1, math.ceil(self._avg * (self._held + 1) / self.slots))

    def run(self, who: str | None, fn, *args, **kwargs):
        """Call ``fn`` when a slot is free; raise :class:`Busy` (429/503) when there is no room.
        ``who`` is the user the per-user share applies to (None: the admin, no share)."""
        with self._lock:
            if who is not None and self._by_user.get(who, 0) >= self.per_user:
                raise Busy(429, f"you already have {self.per_user} renders running or waiting", self._retry_after())
            if self._held >= self.slots + self.queue:
                raise Busy(503, "the server is busy rendering", self._retry_after())
            self._held += 1
            if who is not None:
                self._by_user[who] = self._by_user.get(who, 0) + 1
        try:
            with self._run:
                t0 = time.monotonic()
                out = fn(*args, **kwargs)
                took = time.monotonic() - t0
            with self._lock:
                self._avg = 0.8 * self._avg + 0.2 * took
            return out
        finally:
            with self._lock:
                self._held -= 1
                if who is not None:
                    n = self._by_user.pop(who, 1) - 1
                    if n:
                        self._by_user[who] = n
