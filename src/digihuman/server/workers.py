"""Shared workers for live sessions: deadline-ordered threads and spawned render processes.

Deadlines are event-loop times (s) at which a result is needed on the client, so under load the
stream about to stall goes first instead of whoever asked first.
"""

from __future__ import annotations

import asyncio
import collections
import heapq
import os
import threading

from .._proc import die_with_parent as _die_with_parent


class Workers:
    """Worker threads shared by all live sessions, earliest deadline first.

    Deadlines are event-loop times (s) at which a result is needed on the client: a reply's
    next speech unit when its audio would run out, a frame when it is shown. Under load the
    stream about to stall goes first instead of whoever asked first.
    """

    def __init__(self, threads: int, name: str) -> None:
        self.n, self.name = threads, name
        self._heap: list = []
        self._cond = threading.Condition()
        self._seq = 0
        self._started = False

    def submit(self, deadline: float, fn, *args) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        with self._cond:
            if not self._started:
                for i in range(self.n):
                    threading.Thread(target=self._work, daemon=True, name=f"{self.name}-{i}").start()
                self._started = True
            self._seq += 1
            heapq.heappush(self._heap, (deadline, self._seq, fn, args, loop, fut))
            self._cond.notify()
        return fut

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                _, _, fn, args, loop, fut = heapq.heappop(self._heap)
            if fut.cancelled():  # its session moved on (interrupt, disconnect)
                continue
            try:
                result, exc = fn(*args), None
            except BaseException as e:  # noqa: BLE001 - handed to the awaiting task
                result, exc = None, e
            try:
                loop.call_soon_threadsafe(_settle, fut, result, exc)
            except RuntimeError:  # loop closed
                pass


def _settle(fut: asyncio.Future, result, exc) -> None:
    if not fut.cancelled():
        fut.set_exception(exc) if exc is not None else fut.set_result(result)


# ---- rendering in worker processes ---------------------------------------------------------
# The renderer is GIL-bound Python (a fill call per mesh triangle): in server threads it starved
# the dialog and TTS threads of 4 sessions (turns took seconds to start). Worker processes render
# and JPEG-encode; the main process keeps the event loop, dialog and TTS.
_PROC_RENDERERS: collections.OrderedDict = collections.OrderedDict()  # in a worker: key -> renderer
PROC_CACHE = 8  # renderers kept per worker process (one per live session; least recently used go)


def encode_frames(renderer, rows, quality: int) -> list[bytes]:
    import cv2

    out = []
    for row in rows:
        bgr = cv2.cvtColor(renderer.render(row), cv2.COLOR_RGB2BGR)
        out.append(cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes())
    return out


def _proc_render(key: str, rows, setup, quality: int):
    """In a worker process: JPEGs for ``rows``, or None if this worker lacks ``key``'s renderer
    and ``setup`` (photo, face analysis, size) was not sent (it is sent once per worker)."""
    r = _PROC_RENDERERS.get(key)
    if r is None:
        if setup is None:
            return None
        from ..face.renderer import FaceRenderer

        r = _PROC_RENDERERS[key] = FaceRenderer(*setup)
        while len(_PROC_RENDERERS) > PROC_CACHE:
            _PROC_RENDERERS.popitem(last=False)
    _PROC_RENDERERS.move_to_end(key)
    return encode_frames(r, rows, quality)


def _proc_warm() -> int:
    import importlib

    importlib.import_module("digihuman.face.renderer")  # cv2, numpy: ~1 s in a new process

    return os.getpid()


class RenderProcesses:
    """A lazily started pool of spawned render processes (0 processes: render in this process)."""

    def __init__(self, processes: int) -> None:
        self.n, self._pool, self._lock = processes, None, threading.Lock()

    def _get(self):
        with self._lock:
            if self._pool is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                # spawn, not fork: this process runs threads (onnxruntime, SQLite, asyncio)
                self._pool = ProcessPoolExecutor(self.n, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_die_with_parent, initargs=(os.getpid(),))
            return self._pool

    def warm(self) -> None:
        if self.n:
            list(self._get().map(_proc_warm, range(self.n)))

    def render(self, key: str, setup, rows, quality: int) -> list[bytes]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            out = self._get().submit(_proc_render, key, rows, None, quality).result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): start a fresh pool once
            self.shutdown()
            out = None
        if out is None:
            out = self._get().submit(_proc_render, key, rows, setup, quality).result()
        return out

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None


# One speech worker: onnxruntime already spreads one synthesis over the cores, and running
# several at once only makes each later. Two render dispatchers keep both render processes busy.
SPEECH = Workers(1, "live-speech")
RENDER = Workers(2, "live-render")
PROCESSES = RenderProcesses(int(os.environ.get("DIGIHUMAN_RENDER_PROCESSES", "2")))
