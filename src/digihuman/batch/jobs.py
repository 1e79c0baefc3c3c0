"""Job files for ``digihuman batch``: CSV or JSON Lines rows -> validated :class:`Job` values.

Each row names a persona and a script with ``{field}`` placeholders filled from the row's other
columns (a mail merge), plus optional per-row options. Problems with the whole file (not UTF-8,
empty, no ``persona``/``script`` column, two rows writing one output) are an :class:`InputError`
before anything renders; a problem with one row (a placeholder the row does not fill, an option
out of range) is a :class:`BadRow`, so that row fails alone and the others still render.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import string
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import DigihumanError, InputError
from ..pipeline import SayOptions, check_options

REQUIRED = ("persona", "script")
# per-row options: column -> (SayOptions field, type); anything else is a mail-merge field
OPTIONS = {"size": ("size", int), "fps": ("fps", float), "lang": ("lang", str), "rate": ("rate", float),
           "pitch": ("pitch", float), "volume": ("volume", float), "emotion": ("emotion", str),
           "emotion_strength": ("emotion_strength", float), "seed": ("seed", int)}
OUTPUT = "output"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,150}$")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Job:
    """One row to render: ``script`` is already filled in."""

    row: int
    """1-based data row in the job file (the CSV header is not counted)."""
    persona: str
    script: str
    options: SayOptions
    output: str
    """File name (no folder) of the MP4 in the output folder."""

    @property
    def key(self) -> str:
        """Content hash of (persona, filled script, options): a row whose output exists with the
        same key in the manifest is already done."""
        blob = json.dumps({"persona": self.persona, "script": self.script, "options": asdict(self.options)},
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BadRow:
    """A row that cannot render; ``error`` says why and names the row."""

    row: int
    output: str
    error: str


def read_jobs(path: str | Path) -> tuple[tuple[Job, ...], tuple[BadRow, ...]]:
    """Parse a ``.csv`` or ``.jsonl`` job file into jobs and bad rows (in row order).

    Raises :class:`InputError` if the file as a whole is unusable."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"job file {str(path)!r} does not exist", "give the path of a .csv or .jsonl file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise InputError(f"job file {str(path)!r} must end in .csv or .jsonl",
                         "CSV with a header row, or JSON Lines (one object per line)")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"job file {str(path)!r} is not UTF-8 text (byte {exc.start})", "save it as UTF-8") from exc
    rows = _csv_rows(text, path) if suffix == ".csv" else _jsonl_rows(text, path)
    if not rows:
        raise InputError(f"job file {str(path)!r} has no rows", "add one row per video: persona, script, ...")
    jobs: list[Job] = []
    bad: list[BadRow] = []
    owners: dict[str, int] = {}
    for n, row in enumerate(rows, 1):
        try:
            output = _output_name(n, row)
        except InputError as exc:
            bad.append(BadRow(n, "", f"{exc.message} ({exc.hint})"))
            continue
        if output in owners:  # two rows racing for one file is a mistake in the whole file
            raise InputError(f"rows {owners[output]} and {n} both write {output!r}", "give each row its own output name")
        owners[output] = n
        try:
            jobs.append(parse_row(n, row, output))
        except DigihumanError as exc:
            bad.append(BadRow(n, output, exc.message + (f" ({exc.hint})" if exc.hint else "")))
    return tuple(jobs), tuple(bad)


def parse_row(n: int, row: dict[str, str], output: str) -> Job:
    """Validate one row (``n`` is its number, for messages); raises :class:`InputError`."""
    persona = row.get("persona", "").strip()
    if not persona:
        raise InputError(f"row {n}: no persona", "write a persona name, or 'default' for the built-in one")
    template = row.get("script", "")
    if not template.strip():
        raise InputError(f"row {n}: empty script", "write the text to say, with {field} placeholders if needed")
    script = fill(template, row, n)
    changes: dict[str, object] = {}
    for column, (name, kind) in OPTIONS.items():
        value = row.get(column, "").strip()
        if not value:
            continue
        try:
            changes[name] = kind(value)
        except ValueError as exc:
            raise InputError(f"row {n}: {column} {value!r} is not a {kind.__name__}", f"write a number, e.g. {getattr(SayOptions(), name)}") from exc
    options = SayOptions(**changes)
    try:
        check_options(options)
    except InputError as exc:
        raise InputError(f"row {n}: {exc.message}", exc.hint) from exc
    return Job(n, persona, script, options, output)


def fill(template: str, row: dict[str, str], n: int) -> str:
    """``template`` with each ``{field}`` replaced by the row's value (``{{``/``}}`` are braces).

    Only plain names are allowed: no attribute access, indexing or format specs, so a job file
    cannot reach into Python objects."""
    out: list[str] = []
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise InputError(f"row {n}: the script has a stray brace ({exc})", "write {{ or }} for a literal brace") from exc
    for literal, name, spec, conversion in parts:
        out.append(literal)
        if name is None:
            continue
        if not _FIELD.fullmatch(name) or spec or conversion:
            raise InputError(f"row {n}: placeholder {{{name}}} is not a plain field name",
                             "use {column_name}: letters, digits and _")
        value = row.get(name, "").strip()
        if not value:
            what = "no column" if name not in row else "an empty value"
            raise InputError(f"row {n}: the script needs {{{name}}} but the row has {what} for it",
                             f"add a {name!r} column with a value in every row")
        out.append(value)
    return "".join(out)


def _output_name(n: int, row: dict[str, str]) -> str:
    name = row.get(OUTPUT, "").strip()
    if not name:
        persona = re.sub(r"[^A-Za-z0-9_-]", "_", row.get("persona", "").strip())[:40] or "row"
        return f"{n:05d}-{persona}.mp4"
    if not name.lower().endswith(".mp4"):
        name += ".mp4"
    if not _SAFE_NAME.fullmatch(name) or ".." in name:  # never a path that escapes the output folder
        raise InputError(f"row {n}: output {name!r} is not a plain file name",
                         "use letters, digits, '.', '_', '-' and spaces, no folders")
    return name


def _csv_rows(text: str, path: Path) -> list[dict[str, str]]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = reader.fieldnames
        if not header:
            return []
        header = [h.strip() for h in header]
        _check_columns(header, path)
        rows = []
        for raw in reader:
            if None in raw:  # more cells than columns
                raise InputError(f"job file {str(path)!r}, line {reader.line_num}: more cells than columns",
                                 "quote cells that contain commas")
            values = {k.strip(): (v or "") for k, v in raw.items()}
            if any(v.strip() for v in values.values()):  # blank lines are not rows
                rows.append(values)
        return rows
    except csv.Error as exc:
        raise InputError(f"job file {str(path)!r} is not valid CSV ({exc})", "check the quotes") from exc


def _jsonl_rows(text: str, path: Path) -> list[dict[str, str]]:
    rows = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"job file {str(path)!r}, line {line_no}: not JSON ({exc.msg})",
                             "write one JSON object per line") from exc
        if not isinstance(obj, dict):
            raise InputError(f"job file {str(path)!r}, line {line_no}: not a JSON object", 'e.g. {"persona": "default", "script": "Hi {name}!", "name": "Ann"}')
        if any(isinstance(v, (dict, list)) for v in obj.values()):
            raise InputError(f"job file {str(path)!r}, line {line_no}: values must be text or numbers", "flatten nested values into columns")
        _check_columns(list(obj), path, line_no)
        rows.append({str(k): "" if v is None else str(v) for k, v in obj.items()})
    return rows


def _check_columns(columns: list[str], path: Path, line_no: int | None = None) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        where = f", line {line_no}" if line_no else ""
        raise InputError(f"job file {str(path)!r}{where} has no {' or '.join(repr(c) for c in missing)} column",
                         f"columns found: {', '.join(map(repr, columns)) or 'none'}; every row needs persona and script")
