"""Small filesystem helpers: atomic writes and output-path checks.

Everything digihuman writes goes to a temporary file in the destination folder first and is
moved into place with ``os.replace`` (atomic on POSIX), so a crash or an error never leaves a
half-written file behind. Temporary files and folders carry the writing process's id and this
machine's tag in their names (``.out.mp4.dh1234-3fa2c1-k2j4h1xq.partial.mp4``): after a
``kill -9`` the next run that writes into the same folder removes those whose process is gone.
A full disk is an :class:`OutputError` (what could not be written, what to do), never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError

# errno values that mean "this storage cannot take the write", whatever the file
DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}
_HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
# ".dh<pid>-<host>-<8 random>" as made by owned_temp (mkstemp/mkdtemp add the 8 random chars)
_OWNED = re.compile(r"\.dh(\d+)-([0-9a-f]{6})-[a-z0-9_]{8}")
_swept: set[str] = set()  # folders already cleaned by this process
_sweep_lock = threading.Lock()


def check_writable(path: str | os.PathLike, *, suffixes: tuple[str, ...] = ()) -> Path:
    """Validate an output path before any expensive work starts; return it as a Path."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise OutputError(f"output path {str(p)!r} is a directory", "give a file name, e.g. out.mp4")
    if suffixes and p.suffix.lower() not in suffixes:
        raise OutputError(
            f"output file {str(p)!r} must end in {' or '.join(suffixes)}",
            f"rename it, e.g. {p.with_suffix(suffixes[0]).name}",
        )
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {str(parent)!r} does not exist", "create it first or choose another path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"folder {str(parent)!r} is not writable", "choose a folder you can write to")
    if p.exists() and not os.access(p, os.W_OK):
        raise OutputError(f"file {str(p)!r} exists and is read-only", "remove it or choose another name")
    return p


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would have given a new file (mkstemp gives 0600)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(folder: str | os.PathLike, *, force: bool = False) -> list[Path]:
    """Remove temporary files and folders left in ``folder`` by digihuman processes of this
    machine that no longer run (killed mid-write); return what was removed. Each folder is swept
    once per process unless ``force``. Names must start with "." or "digihuman-": user files are
    never touched, and neither are a live process's or another machine's (shared folders)."""
    folder = Path(folder)
    key = str(folder.resolve()) if folder.exists() else str(folder)
    with _sweep_lock:
        if key in _swept and not force:
            return []
        _swept.add(key)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith((".", "digihuman-")):
            continue
        m = _OWNED.search(entry.name)
        if m is None or m.group(2) != _HOST or pid_alive(int(m.group(1))):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError:
            pass  # someone else removed it first, or not ours to remove after all
    return removed


def owned_temp(folder: str | os.PathLike, prefix: str, suffix: str = "", *, directory: bool = False) -> Path:
    """A new temporary file (or ``directory``) in ``folder`` named after this process, so a later
    run can recognise it as abandoned once this process is gone (see :func:`remove_stale`)."""
    remove_stale(folder)
    prefix = f"{prefix}.dh{os.getpid()}-{_HOST}-"
    if directory:
        return Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=folder))
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    os.close(fd)
    return Path(tmp)


def disk_error(exc: OSError, what: str | os.PathLike) -> OutputError | None:
    """The user-facing error for a storage failure writing ``what`` (None if ``exc`` is another kind)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return OutputError(f"the disk is full: {str(what)!r} could not be written (nothing was kept)",
                           "free some space or write to another folder")
    if exc.errno == errno.EROFS:
        return OutputError(f"{str(what)!r} is on a read-only file system", "write to another folder")
    return None


@contextlib.contextmanager
def atomic_paths(*paths: str | os.PathLike | None) -> Iterator[list[Path | None]]:
    """Temporary paths next to each of ``paths`` (None stays None): on success all are moved into
    place together, on any error all are deleted, so a run leaves all of its outputs or none."""
    dests = [None if p is None else Path(p) for p in paths]
    tmps: list[Path | None] = []
    try:
        for d in dests:
            tmps.append(None if d is None else owned_temp(d.parent, f".{d.name}", ".partial" + d.suffix))
        yield tmps
        for t in tmps:
            if t is not None:
                os.chmod(t, _FILE_MODE)
        for t, d in zip(tmps, dests):
            if t is not None:
                os.replace(t, d)
    except BaseException as exc:
        for t in tmps:
            if t is not None:
                with contextlib.suppress(FileNotFoundError):
                    t.unlink()
        if isinstance(exc, OSError):
            err = disk_error(exc, next((d for d in dests if d is not None), "the output"))
            if err is not None:
                raise err from exc
        raise


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success move it to ``path``, else delete it."""
    with atomic_paths(path) as (tmp,):
        yield tmp


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: str | os.PathLike, obj: object) -> None:
    write_text_atomic(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
