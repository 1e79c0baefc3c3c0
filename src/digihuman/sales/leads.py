"""Sales leads: who asked to be contacted, how, about what, and that they said yes to it.

One SQLite file per persona (``leads.sqlite``), WAL journal, one transaction per write, so a
crash never leaves half a lead. A lead cannot be stored without consent (a CHECK constraint, not
only a rule in the dialog). The dialog's in-progress state (asked consent / asked the name / asked
the contact / asked to confirm) is a row per user too, so a restart mid-dialog resumes it.
Every query is ``WHERE user = ?``: one user never reads or changes another's lead.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .._fs import write_text_atomic
from ..errors import InputError
from ..memory.store import check_user

LEADS_FILE = "leads.sqlite"
PENDING_TTL = timedelta(hours=24)  # a dialog left half-way for a day starts over
_SCHEMA = """
CREATE TABLE IF NOT EXISTS leads (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, name TEXT NOT NULL, contact TEXT NOT NULL,
    contact_kind TEXT NOT NULL, interest TEXT NOT NULL DEFAULT '', consent INTEGER NOT NULL CHECK (consent = 1),
    created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS leads_user ON leads(user, id);
CREATE TABLE IF NOT EXISTS pending (
    user TEXT PRIMARY KEY, step TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', contact TEXT NOT NULL DEFAULT '',
    contact_kind TEXT NOT NULL DEFAULT '', interest TEXT NOT NULL DEFAULT '', lang TEXT NOT NULL DEFAULT 'en',
    updated TEXT NOT NULL);
"""
_COLS = "id, user, name, contact, contact_kind, interest, consent, created"
CSV_COLUMNS = ("id", "user", "name", "contact", "contact_kind", "interest", "consent", "created")


@dataclass(frozen=True)
class Lead:
    """A person who agreed to be contacted by the team."""

    id: int
    user: str
    """The chat user id the lead came from."""
    name: str
    contact: str
    """An e-mail address or a phone number, as given."""
    contact_kind: str
    """"email" or "phone"."""
    interest: str
    """What they want (a product name, or their words)."""
    consent: bool
    created: str
    """ISO-8601 UTC time it was stored."""


@dataclass(frozen=True)
class Pending:
    """Where a user's lead dialog stands."""

    user: str
    step: str
    """"consent", "name", "contact" or "confirm": what we asked last."""
    name: str = ""
    contact: str = ""
    contact_kind: str = ""
    interest: str = ""
    lang: str = "en"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _safe_cell(text: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: quote it (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class LeadStore:
    """The leads of one persona (``path`` is ``leads.sqlite`` or the persona folder holding it)."""

    def __init__(self, path: str | Path) -> None:
        p = Path(path).expanduser()
        self.path = p / LEADS_FILE if p.is_dir() else p
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(str(self.path), check_same_thread=False)
            self._db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + _SCHEMA)
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot open the leads file {str(self.path)!r} ({exc})",
                             "check that the folder exists and is writable") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @staticmethod
    def _lead(row) -> Lead:
        return Lead(id=row[0], user=row[1], name=row[2], contact=row[3], contact_kind=row[4], interest=row[5],
                    consent=bool(row[6]), created=row[7])

    def add(self, user: str, name: str, contact: str, interest: str = "", consent: bool = False) -> Lead:
        """Store a lead; InputError without consent or with an invalid contact."""
        from .dialog import parse_contact

        check_user(user)
        if consent is not True:
            raise InputError("a lead can only be stored with the person's consent",
                             "ask them first; pass consent=True only after they said yes")
        name = " ".join(str(name).split())[:100]
        if not name:
            raise InputError("a lead needs a name", "ask for the name the team should use")
        found = parse_contact(str(contact))
        if found is None:
            raise InputError(f"{contact!r} is not an e-mail address or a phone number",
                             "give e.g. name@example.com or 010-1234-5678")
        created = _now().isoformat(timespec="seconds")
        with self._lock, self._db:
            cur = self._db.execute(
                "INSERT INTO leads(user, name, contact, contact_kind, interest, consent, created) VALUES (?,?,?,?,?,1,?)",
                (user, name, found[0], found[1], " ".join(str(interest).split())[:300], created))
        return Lead(cur.lastrowid, user, name, found[0], found[1], " ".join(str(interest).split())[:300], True, created)

    def list(self, user: str | None = None) -> list[Lead]:
        """Leads, oldest first: one user's (``user``) or every user's (the owner's view)."""
        with self._lock:
            if user is None:
                rows = self._db.execute(f"SELECT {_COLS} FROM leads ORDER BY id").fetchall()
            else:
                rows = self._db.execute(f"SELECT {_COLS} FROM leads WHERE user = ? ORDER BY id",
                                        (check_user(user),)).fetchall()
        return [self._lead(r) for r in rows]

    def export_csv(self, path: str | Path) -> int:
        """Write every lead to a UTF-8 CSV (atomically); returns how many."""
        from .._fs import check_writable

        dest = check_writable(path, suffixes=(".csv",))
        leads = self.list()
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(CSV_COLUMNS)
        for ld in leads:
            w.writerow([ld.id, _safe_cell(ld.user), _safe_cell(ld.name), _safe_cell(ld.contact), ld.contact_kind,
                        _safe_cell(ld.interest), "yes" if ld.consent else "no", ld.created])
        write_text_atomic(dest, buf.getvalue())
        return len(leads)

    def forget(self, user: str) -> int:
        """Erase a user's leads and any half-finished lead dialog; returns the leads removed."""
        check_user(user)
        with self._lock, self._db:
            n = self._db.execute("DELETE FROM leads WHERE user = ?", (user,)).rowcount
            self._db.execute("DELETE FROM pending WHERE user = ?", (user,))
        return n

    # ---- the dialog's state ---------------------------------------------------------------------
    def pending(self, user: str) -> Pending | None:
        """The user's unfinished lead dialog (None if none, or if it was left over a day ago)."""
        with self._lock:
            row = self._db.execute("SELECT user, step, name, contact, contact_kind, interest, lang, updated "
                                   "FROM pending WHERE user = ?", (check_user(user),)).fetchone()
        if row is None:
            return None
        if _now() - datetime.fromisoformat(row[7]) > PENDING_TTL:
            self.clear_pending(user)
            return None
        return Pending(*row[:7])

    def set_pending(self, p: Pending) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO pending(user, step, name, contact, contact_kind, interest, lang, updated) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (check_user(p.user), p.step, p.name, p.contact, p.contact_kind, p.interest, p.lang,
                 _now().isoformat(timespec="seconds")))

    def clear_pending(self, user: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM pending WHERE user = ?", (check_user(user),))
