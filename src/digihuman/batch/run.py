"""Run a job file: a local process pool by default, Ray actors when asked; resumable.

Each persona is loaded once in the main process and travels to each worker once (process
initializer arguments, or one Ray object shared by the actors), never with each row. A manifest
in the output folder records each finished row's content hash (persona, filled script, options);
a later run skips rows whose output exists under the same hash. Every MP4 and the manifest are
replaced atomically, so a crash at any moment leaves only finished videos and a readable
manifest (one that may miss the last seconds' rows: those simply render again).
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .._fs import write_bytes_atomic, write_json_atomic, write_text_atomic
from ..errors import BackendUnavailable, DigihumanError, InputError, OutputError
from .jobs import Job, read_jobs

MANIFEST = "batch-manifest.json"
SUMMARY = "batch-summary.csv"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class RowResult:
    """What became of one row."""

    row: int
    status: str
    """"done", "skipped" (already done by an earlier run) or "failed"."""
    output: str
    seconds: float = 0.0
    error: str = ""
    peak_mb: float = 0.0
    """Peak resident memory of the worker that rendered the row (0 when not rendered)."""
    finished: float = 0.0
    """Wall-clock time (epoch seconds) the render ended, for throughput figures (0: not rendered)."""


@dataclass(frozen=True)
class BatchReport:
    """All rows' results in row order, and where the summary CSV and manifest are."""

    results: tuple[RowResult, ...]
    summary: Path
    manifest: Path

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> tuple[RowResult, ...]:
        return tuple(r for r in self.results if r.status == "failed")


def run_batch(jobs_file: str | os.PathLike, out_dir: str | os.PathLike, *, workers: int | None = None,
              ray: str | None = None, home: str | os.PathLike | None = None, progress: bool = False) -> BatchReport:
    """Render every row of ``jobs_file`` into ``out_dir``; failed rows are reported, not raised.

    ``workers``: processes (or Ray actors), default one per CPU core up to the number of rows.
    ``ray``: None for the local process pool, "auto" ($RAY_ADDRESS, else a local Ray instance
    with ``workers`` CPUs) or a cluster address. Raises :class:`InputError` for an unusable job
    file, :class:`OutputError` for an unusable folder, :class:`BackendUnavailable` without Ray.
    """
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers} must be at least 1", "e.g. --workers 2")
    jobs, bad = read_jobs(jobs_file)
    folder = _output_folder(out_dir)
    manifest = Manifest(folder / MANIFEST)
    results: dict[int, RowResult] = {b.row: RowResult(b.row, "failed", b.output, error=b.error) for b in bad}
    todo = []
    for job in jobs:
        if manifest.done(job, folder):
            results[job.row] = RowResult(job.row, "skipped", job.output)
        else:
            todo.append(job)
    personas, broken = _load_personas({j.persona for j in todo}, home)
    for job in [j for j in todo if j.persona in broken]:
        results[job.row] = RowResult(job.row, "failed", job.output, error=f"row {job.row}: {broken[job.persona]}")
    todo = [j for j in todo if j.persona not in broken]
    n = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    by_row = {j.row: j for j in todo}
    bar = _bar(progress, len(jobs) + len(bad), len(results))
    try:
        if todo:
            stream = _ray_rows(todo, personas, folder, n, ray) if ray else _local_rows(todo, personas, folder, n)
            for res in stream:
                results[res.row] = res
                if res.status == "done":
                    manifest.record(by_row[res.row], res.seconds)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(failed=sum(r.status == "failed" for r in results.values()), refresh=False)
    finally:
        if bar is not None:
            bar.close()
        manifest.flush()
        ordered = tuple(results[k] for k in sorted(results))
        write_summary(folder / SUMMARY, ordered)
    return BatchReport(ordered, folder / SUMMARY, manifest.path)


class Manifest:
    """output name -> {key, row, seconds} of finished rows, rewritten atomically at most every
    ``every`` seconds and at the end: a crash loses at most that much of the record (those rows
    render again), and thousands of rows do not rewrite a growing file thousands of times."""

    def __init__(self, path: Path, every: float = 2.0) -> None:
        self.path, self.every = path, every
        self._written, self._dirty = time.monotonic(), False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.entries: dict[str, dict] = data.get("rows", {}) if isinstance(data, dict) else {}
        except (OSError, ValueError):  # none yet, or edited by hand into nonsense: render again
            self.entries = {}

    def done(self, job: Job, folder: Path) -> bool:
        entry = self.entries.get(job.output)
        return isinstance(entry, dict) and entry.get("key") == job.key and (folder / job.output).is_file()

    def record(self, job: Job, seconds: float) -> None:
        self.entries[job.output] = {"key": job.key, "row": job.row, "seconds": seconds}
        self._dirty = True
        if time.monotonic() - self._written >= self.every:
            self.flush()

    def flush(self) -> None:
        if self._dirty:
            write_json_atomic(self.path, {"version": 1, "rows": self.entries})
            self._written, self._dirty = time.monotonic(), False


def write_summary(path: Path, results: tuple[RowResult, ...]) -> None:
    """row, status, output, seconds, error: one line per row of the job file."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(["row", "status", "output", "seconds", "error"])
    for r in results:
        w.writerow([r.row, r.status, r.output, f"{r.seconds:.2f}", r.error])
    write_text_atomic(path, buf.getvalue())


def _output_folder(out_dir: str | os.PathLike) -> Path:
    folder = Path(out_dir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"output folder {str(folder)!r} is a file", "give a folder, e.g. -o videos/")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"output folder {str(folder)!r} cannot be created ({exc.strerror})", "choose another folder") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {str(folder)!r} is not writable", "choose a folder you can write to")
    return folder


def _load_personas(names: set[str], home) -> tuple[dict, dict[str, str]]:
    """Load each persona once: (name -> Persona, name -> error message for those that failed)."""
    from ..persona import PersonaStore

    store, loaded, broken = PersonaStore(home), {}, {}
    for name in sorted(names):
        try:
            loaded[name] = store.load(name)
        except DigihumanError as exc:
            broken[name] = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return loaded, broken


def _bar(enabled: bool, total: int, initial: int):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="video", desc="batch")


# ---- in a worker ----------------------------------------------------------------------------
_PERSONAS: dict = {}  # name -> Persona, set once per worker by _worker_init


def _worker_init(personas: dict, parent: int | None) -> None:
    """Once per worker: single-threaded numeric libraries (workers are the parallelism), the
    personas, and (local pool) exit when the batch process is killed."""
    for var in THREAD_VARS:
        os.environ[var] = "1"
    import cv2

    cv2.setNumThreads(1)
    _PERSONAS.clear()
    _PERSONAS.update(personas)
    if parent is not None:
        from .._proc import die_with_parent

        die_with_parent(parent)


def _render_row(job: Job, path: str) -> RowResult:
    """Render one row to ``path``; any failure becomes a failed result, not an exception."""
    import resource

    from ..pipeline import say

    t0 = time.perf_counter()
    error = ""
    try:
        say(job.script, path, _PERSONAS[job.persona], options=job.options)
    except DigihumanError as exc:
        error = f"row {job.row}: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")
    except Exception as exc:  # a bug or a library failure on one row must not stop the others
        error = f"row {job.row}: {type(exc).__name__}: {exc}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return RowResult(job.row, "failed" if error else "done", job.output, round(time.perf_counter() - t0, 3), error, peak,
                     time.time())


# ---- local process pool ---------------------------------------------------------------------
def _local_rows(jobs: list[Job], personas: dict, folder: Path, workers: int) -> Iterator[RowResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    # spawned workers inherit the environment: numpy reads the thread variables when the
    # personas are unpickled, before the initializer runs, so they are set here too
    saved = {v: os.environ.get(v) for v in THREAD_VARS}
    os.environ.update({v: "1" for v in THREAD_VARS})
    try:
        # spawn, not fork: the parent may run threads (tqdm, onnxruntime) that fork would copy mid-lock
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_init, initargs=(personas, os.getpid()))
        try:
            futures = {pool.submit(_render_row, job, str(folder / job.output)): job for job in jobs}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    yield fut.result()
                except BrokenProcessPool as exc:  # a worker was killed (out of memory, signal)
                    yield RowResult(job.row, "failed", job.output, error=f"row {job.row}: worker died ({exc})")
        finally:  # on Ctrl-C or an error, rows not started yet are dropped, not rendered first
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


# ---- Ray ------------------------------------------------------------------------------------
class RayRenderer:
    """A Ray actor: holds the personas (sent once) and renders rows into bytes, so the workers
    need no shared folder with the machine that runs the batch."""

    def __init__(self, personas: dict) -> None:
        _worker_init(personas, None)

    def render(self, job: Job) -> tuple[RowResult, bytes | None]:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="digihuman-batch-") as tmp:
            path = Path(tmp) / "out.mp4"
            res = _render_row(job, str(path))
            return res, (path.read_bytes() if res.status == "done" else None)


def _ray_rows(jobs: list[Job], personas: dict, folder: Path, workers: int, address: str) -> Iterator[RowResult]:
    try:
        import ray
    except ImportError as exc:
        raise BackendUnavailable("--ray needs the 'ray' package, which is not installed",
                                 "pip install 'ray>=2.60', or leave out --ray to use the local process pool") from exc
    started = not ray.is_initialized()
    if started:
        if address != "auto":
            ray.init(address=address)
        elif os.environ.get("RAY_ADDRESS"):
            ray.init()
        else:
            import logging

            ray.init(num_cpus=workers, include_dashboard=False, logging_level=logging.ERROR)
    try:
        shared = ray.put(personas)  # one copy in the object store, however many actors
        # Ray workers import numpy before an actor's __init__ runs: the thread variables must be
        # in the worker's environment from the start (Ray itself sets only OMP_NUM_THREADS)
        actor_cls = ray.remote(num_cpus=1, runtime_env={"env_vars": {v: "1" for v in THREAD_VARS}})(RayRenderer)
        idle = [actor_cls.remote(shared) for _ in range(workers)]
        queue, pending = list(reversed(jobs)), {}
        while queue or pending:
            while queue and idle:
                actor, job = idle.pop(), queue.pop()
                pending[actor.render.remote(job)] = (job, actor)
            (ref,), _ = ray.wait(list(pending), num_returns=1)
            job, actor = pending.pop(ref)
            try:
                res, data = ray.get(ref)
            except ray.exceptions.RayError as exc:  # the actor or its node died: drop that actor
                yield RowResult(job.row, "failed", job.output, error=f"row {job.row}: Ray worker failed ({exc})")
                if not idle and not pending:
                    idle.append(actor_cls.remote(shared))
                continue
            if data is not None:
                write_bytes_atomic(folder / job.output, data)
            idle.append(actor)
            yield res
    finally:
        if started:
            ray.shutdown()
