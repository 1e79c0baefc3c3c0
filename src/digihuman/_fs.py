"""Small filesystem helpers: atomic writes and output-path checks.

Everything digihuman writes goes to a temporary file in the destination folder first and is
moved into place with ``os.replace`` (atomic on POSIX), so a crash or an error never leaves a
half-written file behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError


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


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success move it to ``path``, else delete it."""
    dest = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial" + dest.suffix, dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _FILE_MODE)
        os.replace(tmp_path, dest)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


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
