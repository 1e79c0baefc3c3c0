"""A dialog engine for any OpenAI-compatible ``/v1/chat/completions`` server.

Works with Ollama, llama.cpp's server, vLLM, LM Studio and hosted APIs. Only the standard library
is used (``urllib``), so choosing this engine adds no dependency. Streaming reads the server-sent
events (``data: {...}`` lines, ending with ``data: [DONE]``) as they arrive, so speech can start
on the first sentence while the rest is still being generated.

The API key (argument or ``DIGIHUMAN_LLM_API_KEY``) is sent only in the ``Authorization`` header;
it never appears in ``repr``, error messages or :attr:`OpenAICompatEngine.last_request`.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

from ..errors import BackendUnavailable, DigihumanError, InputError
from .engine import DialogEngine
from .prompt import build_messages, fold_system
from .types import Context

API_KEY_ENV = "DIGIHUMAN_LLM_API_KEY"


class LLMUnreachable(BackendUnavailable):
    """The server cannot be reached or did not answer in time."""


class LLMRequestError(InputError):
    """The server refused the request: bad key (401/403), unknown model (404), bad request (400)."""

    def __init__(self, message: str, hint: str = "", status: int = 0) -> None:
        super().__init__(message, hint)
        self.status = status


class LLMResponseError(DigihumanError):
    """The server failed (5xx) or answered with something that is not a chat completion."""


def chat_url(url: str) -> str:
    """The chat-completions endpoint for a base URL given with or without ``/v1``."""
    url = url.strip().rstrip("/")
    if not url:
        raise InputError("no LLM server URL given", "pass --llm-url, e.g. http://127.0.0.1:11434/v1")
    if "://" not in url:
        url = "http://" + url  # "localhost:8080" is how people type it
    if url.endswith("/chat/completions"):
        return url
    if not url.endswith("/v1"):
        url += "/v1"
    return url + "/chat/completions"


class OpenAICompatEngine(DialogEngine):
    """Chat through an OpenAI-compatible HTTP server.

    ``fold_system=True`` merges the system prompt into the first user message, for servers whose
    chat template has no system role and would drop it. ``stop`` adds stop strings (e.g.
    ``["<|im_end|>"]`` for base models that write the template's markers as text).
    """

    name = "openai"
    streaming = True

    def __init__(self, url: str, model: str, *, api_key: str | None = None, timeout: float = 60.0,
                 temperature: float = 0.7, max_tokens: int = 256, fold_system: bool = False,
                 stop: list[str] | None = None, extra: dict | None = None) -> None:
        self.url = url
        self.endpoint = chat_url(url)
        self.model = model
        self._api_key = api_key if api_key is not None else os.environ.get(API_KEY_ENV) or None
        self.timeout = float(timeout)
        self.temperature = float(temperature)
        self.max_tokens = int(max_tokens)
        self.fold_system = fold_system
        self.stop = list(stop) if stop else None
        self.extra = dict(extra or {})
        """More request fields, e.g. ``{"top_p": 0.9}`` or llama.cpp's ``{"cache_prompt": False}``."""
        self.last_request: dict | None = None
        """The JSON body of the latest request (no key in it): to see what the model was told."""

    def __repr__(self) -> str:  # no api key here, ever
        key = "set" if self._api_key else "none"
        return f"OpenAICompatEngine(url={self.url!r}, model={self.model!r}, api_key={key})"

    # -- requests ------------------------------------------------------------------------------

    def request_body(self, ctx: Context, stream: bool) -> dict:
        messages = build_messages(ctx)
        if self.fold_system:
            messages = fold_system(messages)
        body = {"model": self.model, "messages": messages, "temperature": self.temperature,
                "max_tokens": self.max_tokens, "stream": stream}
        if self.stop:
            body["stop"] = self.stop
        return {**body, **self.extra}

    def _open(self, body: dict):
        self.last_request = body
        headers = {"Content-Type": "application/json",
                   "Accept": "text/event-stream" if body.get("stream") else "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        req = urllib.request.Request(self.endpoint, data=json.dumps(body).encode(), headers=headers, method="POST")
        try:
            return urllib.request.urlopen(req, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc) from None
        except urllib.error.URLError as exc:
            raise self._connect_error(exc.reason) from None
        except (TimeoutError, socket.timeout, ConnectionError, OSError) as exc:
            raise self._connect_error(exc) from None

    def _connect_error(self, reason) -> DigihumanError:
        if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
            return LLMUnreachable(f"the LLM server at {self.url} did not answer within {self.timeout:g} s",
                                  "raise the timeout, use a smaller model, or check the server's load")
        if isinstance(reason, ConnectionRefusedError) or "refused" in str(reason).lower():
            return LLMUnreachable(f"connection refused by {self.url}", f"is the server running at {self.url}?")
        if isinstance(reason, socket.gaierror):
            return LLMUnreachable(f"cannot resolve the host in {self.url}", "check the LLM server URL")
        return LLMUnreachable(f"cannot reach the LLM server at {self.url} ({reason})",
                              f"is the server running at {self.url}?")

    def _http_error(self, exc: urllib.error.HTTPError) -> DigihumanError:
        try:
            raw = exc.read(4000).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - the status alone is enough to report
            raw = ""
        detail = self._redact(_error_text(raw))
        code = exc.code
        if code in (401, 403):
            return LLMRequestError(f"the LLM server at {self.url} refused the API key (HTTP {code}: {detail})",
                                   f"set --api-key / {API_KEY_ENV}", code)
        if code == 404:
            if "model" in detail.lower():
                return LLMRequestError(f"model {self.model!r} not found on {self.url} ({detail})",
                                       "check --llm-model against the server's model list (GET /v1/models)", code)
            return LLMRequestError(f"{self.endpoint} not found (HTTP 404)",
                                   "check the URL: it should be the server's base URL, e.g. http://host:port/v1", code)
        if code == 408 or code == 504:
            return LLMUnreachable(f"the LLM server at {self.url} timed out (HTTP {code})", "retry, or use a smaller model")
        if 400 <= code < 500:
            return LLMRequestError(f"the LLM server rejected the request (HTTP {code}: {detail})",
                                   "check the model name and the server's limits (context size, max tokens)", code)
        return LLMResponseError(f"the LLM server failed (HTTP {code}: {detail})", "check the server's log")

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, "***") if self._api_key else text

    def _malformed(self, what: str) -> LLMResponseError:
        return LLMResponseError(f"the LLM server at {self.url} sent {what}",
                                "is this an OpenAI-compatible /v1/chat/completions endpoint?")

    # -- engine ---------------------------------------------------------------------------------

    def respond(self, ctx: Context) -> str:
        resp = self._open(self.request_body(ctx, stream=False))
        try:
            with resp:
                raw = resp.read()
        except (TimeoutError, socket.timeout, OSError, http.client.HTTPException) as exc:
            raise self._connect_error(exc) from None  # reset or cut off mid-answer (IncompleteRead)
        data = self._json(raw, f"a non-JSON answer ({raw[:80]!r})")
        try:
            content = data["choices"][0]["message"].get("content") or ""
        except (KeyError, IndexError, TypeError, AttributeError):
            raise self._malformed("JSON without choices[0].message") from None
        return str(content).strip()

    def stream(self, ctx: Context) -> Iterator[str]:
        resp = self._open(self.request_body(ctx, stream=True))
        first = True
        with resp:
            for piece in self._events(resp):
                if first:  # models often open with a space or newline; the caller speaks the text
                    piece = piece.lstrip()
                if piece:
                    first = False
                    yield piece

    def _json(self, raw: bytes | str, what: str):
        """Parse one JSON answer or stream event; an error object from the server is raised."""
        try:
            data = json.loads(raw)
        except ValueError:
            raise self._malformed(what) from None
        if isinstance(data, dict) and "error" in data:
            raise LLMResponseError(f"the LLM server reported an error: {self._redact(_error_text(data))}",
                                   "check the server's log")
        return data

    def _events(self, resp) -> Iterator[str]:
        """Content pieces from a server-sent event stream."""
        got_any = finished = False
        while True:
            try:
                line = resp.readline()
            except (TimeoutError, socket.timeout, OSError, http.client.HTTPException) as exc:
                raise self._connect_error(exc) from None  # reset or cut off mid-reply (server killed)
            if not line:
                break
            line = line.decode("utf-8", "replace").strip()
            if not line.startswith("data:"):
                continue  # blank separators, ": ping" comments, "event:" lines
            payload = line[5:].strip()
            if payload == "[DONE]":
                return
            event = self._json(payload, f"a malformed stream event ({payload[:80]!r})")
            try:
                choices = event.get("choices") or []
                delta = choices[0].get("delta") or {} if choices else {}
            except (AttributeError, IndexError, TypeError):
                raise self._malformed("a stream event without choices[0].delta") from None
            got_any = True
            finished = finished or bool(choices and choices[0].get("finish_reason"))
            text = delta.get("content")
            if text:
                yield str(text)
        if not got_any:
            raise self._malformed("an empty stream")
        if not finished:  # no [DONE], no finish_reason: the server went away in the middle
            raise LLMUnreachable(f"the LLM server at {self.url} stopped in the middle of the reply",
                                 f"is the server still running at {self.url}?")


def _error_text(raw) -> str:
    """The human part of an error body: OpenAI's {"error": {"message"}}, Ollama's {"error": "..."}."""
    data = raw
    if isinstance(raw, str):
        try:
            data = json.loads(raw)
        except ValueError:
            return " ".join(raw.split())[:300] or "no details"
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            return str(err.get("message") or err)[:300]
        return str(err)[:300]
    return str(data)[:300]
