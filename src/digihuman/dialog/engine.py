"""The dialog-engine interface and its registry of named backends.

An engine turns a :class:`~digihuman.dialog.types.Context` (message, emotion, retrieved memories
and knowledge, personality) into reply text. Everything else in a turn (emotion recognition,
retrieval, memory writing, logging) is the conversation's job, so engines stay small and
interchangeable. Backends are imported on first use; a missing optional dependency is reported
when that backend is chosen, with the extra to install.
"""

from __future__ import annotations

import abc
import importlib
from collections.abc import Iterator

from ..errors import BackendUnavailable
from .types import Context


class DialogEngine(abc.ABC):
    """Writes the persona's reply."""

    name: str = ""
    streaming: bool = False
    """True when :meth:`stream` yields pieces as they are generated (not all at the end)."""

    @abc.abstractmethod
    def respond(self, ctx: Context) -> str:
        """The whole reply text."""

    def stream(self, ctx: Context) -> Iterator[str]:
        """Reply text in pieces (sentences or tokens); joined they equal :meth:`respond`'s text."""
        yield self.respond(ctx)


# name -> (module, class, what to install when missing)
_ENGINES: dict[str, tuple[str, str, str]] = {
    "builtin": ("digihuman.dialog.builtin", "BuiltinEngine", ""),
    "openai": ("digihuman.dialog.openai_compat", "OpenAICompatEngine", ""),
    "llamacpp": ("digihuman.dialog.llamacpp", "LlamaCppEngine", "pip install xllamacpp"),
}


def available_engines() -> list[str]:
    return sorted(_ENGINES)


def get_engine(name: str = "builtin", **options) -> DialogEngine:
    """Create the named engine; ``options`` go to its constructor (e.g. ``url=``, ``model=``)."""
    key = name.lower().strip()
    if key not in _ENGINES:
        raise BackendUnavailable(f"unknown dialog engine {name!r}", f"choose one of: {', '.join(available_engines())}")
    module, cls, extra = _ENGINES[key]
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise BackendUnavailable(f"the {key!r} dialog engine is not available ({exc})", extra or "reinstall digihuman") from exc
    return getattr(mod, cls)(**options)
