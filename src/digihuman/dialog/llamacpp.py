"""A dialog engine that runs a local GGUF model in this process through xllamacpp.

xllamacpp wraps llama.cpp's own C++ server: ``xllamacpp.Server(params)`` loads the model and
answers OpenAI-format requests passed as dicts (``handle_chat_completions``), with the model's
chat template, continuous batching and prompt caching (the system prompt is reused between turns).
So this engine and :class:`~digihuman.dialog.openai_compat.OpenAICompatEngine` send the very same
request; only the transport differs.

Streaming: xllamacpp calls a callback for each chunk *on the calling thread* until generation
ends, so the request runs on a worker thread and chunks cross a queue; closing the generator
makes the callback return True, which stops generation early.
"""

from __future__ import annotations

import queue
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

from ..errors import BackendUnavailable, DigihumanError, InputError
from .engine import DialogEngine
from .prompt import build_completion_prompt, build_messages, completion_stops, fold_system
from .types import Context

_DONE = object()
CHAT_STOPS = ["<|im_end|>", "<|im_start|>", "<end_of_turn>", "<start_of_turn>"]
"""Chat-template markers as plain text. A base model (no chat template in its GGUF; llama.cpp
then uses ChatML) writes them as text and runs on into made-up turns; instruction-tuned models
emit them as special tokens, which never match, so these stops cost them nothing."""


def check_gguf(model_path: str | Path) -> Path:
    """``model_path`` as a Path, or InputError when it is missing or not a GGUF file."""
    path = Path(model_path).expanduser()
    if not path.is_file():
        raise InputError(f"model file not found: {path}",
                         "pass the path of a .gguf file (e.g. from huggingface.co, or the bundled test model)")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"GGUF":
        raise InputError(f"{path} is not a GGUF model file",
                         "llama.cpp needs a .gguf file; convert or download the GGUF build of the model")
    return path


def import_xllamacpp():
    try:
        import xllamacpp
    except ImportError as exc:
        raise BackendUnavailable(f"xllamacpp is not installed ({exc})", "pip install xllamacpp") from exc
    return xllamacpp


def make_params(xlc, path: Path, *, threads: int, n_ctx: int, port: int = 0, host: str = "127.0.0.1",
                api_key: str | None = None, verbosity: int = 0):
    """xllamacpp CommonParams for one CPU model slot (shared with :mod:`.llm_server`)."""
    params = xlc.CommonParams()
    params.model.path = str(path)
    params.n_ctx = int(n_ctx)
    params.n_parallel = 1  # one conversation at a time: all of n_ctx goes to it
    params.cpuparams.n_threads = int(threads)
    params.cpuparams_batch.n_threads = int(threads)  # prompt reading too: other work shares the CPU
    params.n_gpu_layers = 0
    params.warmup = False  # saves ~0.3 s at load; the first request pays it instead
    params.verbosity = int(verbosity)  # 0: llama.cpp logs only errors
    params.hostnames = [host]
    params.port = int(port)
    if api_key:
        params.api_keys = [api_key]
    return params


class LlamaCppEngine(DialogEngine):
    """A local GGUF model, in process.

    ``mode="chat"`` sends :func:`build_messages` through the model's chat template (for
    instruction-tuned models); ``mode="completion"`` sends :func:`build_completion_prompt`, a
    few-shot transcript that base models continue more sensibly.
    """

    name = "llamacpp"
    streaming = True

    def __init__(self, model_path: str | Path, *, threads: int = 1, n_ctx: int = 2048, temperature: float = 0.7,
                 max_tokens: int = 256, mode: str = "chat", fold_system: bool = False,
                 extra: dict | None = None) -> None:
        if mode not in ("chat", "completion"):
            raise InputError(f"unknown llama.cpp mode {mode!r}", "use mode='chat' or mode='completion'")
        self.model_path = check_gguf(model_path)
        xlc = import_xllamacpp()
        self.temperature = float(temperature)
        self.max_tokens = int(max_tokens)
        self.mode = mode
        self.fold_system = fold_system
        self.extra = dict(extra or {})  # more request fields, e.g. {"cache_prompt": False, "seed": 1}
        # xllamacpp's Server always opens an HTTP listener as well (127.0.0.1, random port); a
        # random key keeps other local programs from using this process's model through it.
        params = make_params(xlc, self.model_path, threads=threads, n_ctx=n_ctx, api_key=secrets.token_hex(16))
        try:
            self._server = xlc.Server(params)
        except Exception as exc:  # noqa: BLE001 - llama.cpp reports load failures as plain errors
            raise InputError(f"llama.cpp could not load {self.model_path.name} ({exc})",
                             "is it a complete GGUF of an architecture this llama.cpp supports?") from exc
        self.last_request: dict | None = None

    def close(self) -> None:
        """Free the model now (otherwise when the engine is garbage-collected)."""
        self._server = None

    def __enter__(self) -> "LlamaCppEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request_body(self, ctx: Context, stream: bool) -> dict:
        body: dict = {"temperature": self.temperature, "max_tokens": self.max_tokens, "stream": stream}
        if self.mode == "chat":
            messages = build_messages(ctx)
            body["messages"] = fold_system(messages) if self.fold_system else messages
            body["stop"] = CHAT_STOPS
        else:
            body["prompt"] = build_completion_prompt(ctx)
            body["stop"] = completion_stops(ctx)
        return {**body, **self.extra}

    def _call(self, body: dict, callback=None):
        if self._server is None:
            raise DigihumanError("this LlamaCppEngine was closed", "create a new engine")
        self.last_request = body
        handler = self._server.handle_chat_completions if self.mode == "chat" else self._server.handle_completions
        try:
            return handler(body) if callback is None else handler(body, callback)
        except ValueError as exc:  # llama.cpp's invalid_request errors, e.g. prompt longer than n_ctx
            raise InputError(f"llama.cpp rejected the request ({exc})",
                             "raise n_ctx or shorten the knowledge/memories given to the persona") from exc

    @staticmethod
    def _text(choice: dict) -> str:
        if "message" in choice:
            return choice["message"].get("content") or ""
        if "delta" in choice:
            return choice["delta"].get("content") or ""
        return choice.get("text") or ""

    def respond(self, ctx: Context) -> str:
        result = self._call(self.request_body(ctx, stream=False))
        if isinstance(result, dict) and "error" in result:
            raise DigihumanError(f"llama.cpp failed: {result['error']}", "see the log above")
        try:
            return self._text(result["choices"][0]).strip()
        except (KeyError, IndexError, TypeError) as exc:
            raise DigihumanError(f"unexpected answer from llama.cpp: {str(result)[:120]}", "report this") from exc

    def stream(self, ctx: Context) -> Iterator[str]:
        body = self.request_body(ctx, stream=True)
        chunks: queue.Queue = queue.Queue()
        stop = threading.Event()

        def on_chunk(chunk) -> bool:
            chunks.put(chunk)
            return stop.is_set()  # True tells llama.cpp to stop generating

        def work() -> None:
            try:
                self._call(body, on_chunk)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the consumer
                chunks.put(exc)
            finally:
                chunks.put(_DONE)

        worker = threading.Thread(target=work, name="llamacpp-stream", daemon=True)
        worker.start()
        first = True
        try:
            while True:
                item = chunks.get()
                if item is _DONE:
                    break
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, dict) and "error" in item:
                    raise DigihumanError(f"llama.cpp failed: {item['error']}", "see the log above")
                for choice in (item.get("choices") or []) if isinstance(item, dict) else []:
                    piece = self._text(choice)
                    if first:
                        piece = piece.lstrip()
                    if piece:
                        first = False
                        yield piece
        finally:
            stop.set()  # the consumer left early (or finished): end generation, then the thread
            worker.join()
