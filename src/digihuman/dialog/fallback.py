"""Keep talking when the LLM does not: an engine wrapper that falls back to the built-in engine.

An LLM server can be down, overloaded, misconfigured or killed in the middle of a reply; the
conversation must not end with a traceback then. :class:`FallbackEngine` answers with the
built-in engine instead and sets :attr:`FallbackEngine.notice` (the conversation copies it into
``Reply.notice``; the CLI prints it as one line on stderr). After a failure the LLM rests for
``retry_after`` seconds, so a dead server does not cost a timeout on every turn. Any ``Exception``
of the LLM side counts (a backend's own error type, a cut-off answer); Ctrl-C still stops.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from ..errors import DigihumanError
from .engine import DialogEngine, get_engine
from .types import Context

RETRY_AFTER_S = 30.0


class FallbackEngine(DialogEngine):
    """``primary`` (an LLM engine) with the built-in engine behind it."""

    def __init__(self, primary: DialogEngine, fallback: DialogEngine | None = None, *,
                 retry_after: float = RETRY_AFTER_S) -> None:
        self.primary = primary
        self.fallback = fallback if fallback is not None else get_engine("builtin")
        self.name = primary.name
        self.streaming = primary.streaming
        self.retry_after = float(retry_after)
        self.notice = ""
        """Why the last reply came from the built-in engine ("" when the LLM answered)."""
        self._resting_until = 0.0
        self._why = ""
        self._used_fallback = False
        self._lock = threading.Lock()  # the built-in engine keeps per-reply state

    @property
    def last_used(self):
        """What the built-in engine used for its reply (None when the LLM answered)."""
        return getattr(self.fallback, "last_used", None) if self._used_fallback else None

    @property
    def last_facts(self):
        """The (self) facts the built-in engine stated (None when the LLM answered: parse the reply)."""
        return getattr(self.fallback, "last_facts", None) if self._used_fallback else None

    def _available(self) -> bool:
        if time.monotonic() < self._resting_until:
            self.notice = f"the LLM is unavailable ({self._why}); the built-in engine answered"
            return False
        return True

    def _failed(self, exc: Exception, *, midway: bool) -> None:
        self._why = exc.message if isinstance(exc, DigihumanError) else \
            f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        self._resting_until = time.monotonic() + self.retry_after
        self.notice = (f"the LLM failed mid-reply ({self._why}); the built-in engine finished the answer" if midway
                       else f"the LLM failed ({self._why}); the built-in engine answered")

    def _builtin(self, ctx: Context) -> list[str]:
        self._used_fallback = True
        with self._lock:
            return [p for p in self.fallback.stream(ctx) if p]

    def respond(self, ctx: Context) -> str:
        self.notice, self._used_fallback = "", False
        if self._available():
            try:
                return self.primary.respond(ctx)
            except Exception as exc:  # noqa: BLE001 - any LLM failure: keep talking
                self._failed(exc, midway=False)
        return "".join(self._builtin(ctx))

    def stream(self, ctx: Context) -> Iterator[str]:
        self.notice, self._used_fallback = "", False
        said = False
        if self._available():
            try:
                for piece in self.primary.stream(ctx):
                    said = True
                    yield piece
                return
            except Exception as exc:  # noqa: BLE001 - any LLM failure: keep talking
                self._failed(exc, midway=said)
        pieces = self._builtin(ctx)
        if said and pieces:  # what the LLM already said stays said; the built-in answer follows
            pieces[0] = " " + pieces[0].lstrip()
        yield from pieces
