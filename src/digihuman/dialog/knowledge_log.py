"""The history of the persona's shared knowledge: who changed what and when, with undo.

Every change (a taught statement, a file added, a passage forgotten) is one row of
``knowledge_log``; the passages it added and removed are linked to it in ``knowledge_log_items``.
A removed passage is not deleted but moved, with its id and embedding, to ``knowledge_trash``, so
undo puts back exactly what was there (no re-embedding, same ids). Each change runs in one SQLite
transaction: a crash leaves the knowledge either before or after the change, never in between.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..errors import InputError
from .embed import DIM

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase

_SCHEMA = """
CREATE TABLE IF NOT EXISTS knowledge_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
    source TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS knowledge_log_items (
    log_id INTEGER NOT NULL, passage_id INTEGER NOT NULL, op TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS knowledge_log_items_log ON knowledge_log_items(log_id);
CREATE INDEX IF NOT EXISTS knowledge_log_items_passage ON knowledge_log_items(passage_id);
CREATE TABLE IF NOT EXISTS knowledge_trash (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,
    vec BLOB NOT NULL, added TEXT NOT NULL, log_id INTEGER NOT NULL);
"""
ACTIONS = ("add", "replace", "forget", "undo")
_RESERVED = "\x00reserved"  # source of the placeholder row that keeps passage ids from being reused
_PCOLS = "id, source, title, text, vec, added"


@dataclass(frozen=True)
class Change:
    """One entry of the knowledge history."""

    id: int
    at: str
    """ISO-8601 UTC time of the change."""
    who: str
    """Who made it: the teaching user's id, "owner" for the CLI, "file" for documents at creation."""
    action: str
    """One of :data:`ACTIONS`."""
    source: str
    """"conversation" for taught statements, else the file name."""
    title: str
    text: str
    """The passage taught or forgotten (a file: its name)."""
    undone: bool = False


@dataclass(frozen=True)
class Entry:
    """A current passage of the shared knowledge, with where it came from."""

    id: int
    source: str
    title: str
    text: str
    added: str
    who: str
    """Who taught or added it ("" for passages older than the history)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class KnowledgeLog:
    """History and undo for one :class:`~digihuman.dialog.knowledge.KnowledgeBase`."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        with kb._lock:
            kb._db.executescript(_SCHEMA)
            kb._db.execute("DELETE FROM passages WHERE source=?", (_RESERVED,))  # left by a crash mid-change
            kb._db.commit()

    # ---- changes --------------------------------------------------------------------------------
    def teach(self, title: str, text: str, *, who: str, replace: bool = True) -> int:
        """Add one taught statement (replacing a taught passage with the same ``title``); its id."""
        kb = self.kb
        with kb._lock:
            db = kb._db
            row = db.execute("SELECT id FROM passages WHERE source='conversation' AND title=? AND text=?",
                             (title, text)).fetchone()
            if row:
                return int(row[0])  # said before: nothing changes, nothing to log
            old = [r[0] for r in db.execute("SELECT id FROM passages WHERE source='conversation' AND title=?",
                                            (title,))] if replace else []
            new = self._apply("replace" if old else "add", who, "conversation", title, text, remove=old,
                              add=lambda: kb.add_text(title, text, "conversation"))
            return new[0]

    def add_file(self, path, *, who: str) -> int:
        """Index a document (replacing an earlier version of it, which undo restores); passages added."""
        from pathlib import Path

        kb, name = self.kb, Path(path).name
        with kb._lock:
            old = [r[0] for r in kb._db.execute("SELECT id FROM passages WHERE source=?", (name,))]
            new = self._apply("replace" if old else "add", who, name, name, name, remove=old,
                              add=lambda: kb.add_file(path))
            return len(new)

    def forget(self, passage_id: int, *, who: str) -> Entry:
        """Remove one passage (kept in the trash for undo); InputError when there is no such passage."""
        kb = self.kb
        with kb._lock:
            row = kb._db.execute("SELECT id, source, title, text FROM passages WHERE id=?", (int(passage_id),)).fetchone()
            if row is None:
                raise InputError(f"no knowledge passage #{passage_id}", "see the ids with 'digihuman knowledge list'")
            entry = next(e for e in self.entries(ids=[row[0]]))
            self._apply("forget", who, row[1], row[2], row[3], remove=[row[0]])
            return entry

    def forget_by(self, who: str) -> int:
        """Remove every current passage ``who`` taught in conversation (their ``forget --all``), as one change."""
        with self.kb._lock:
            mine = [e for e in self.entries() if e.who == who and e.source == "conversation"]
            if mine:
                self._apply("forget", who, "conversation", f"all {len(mine)} taught by {who}",
                            "\n".join(e.text for e in mine), remove=[e.id for e in mine])
            return len(mine)

    def undo(self, *, who: str) -> Change | None:
        """Revert the newest change not yet undone; the change reverted, or None when there is none."""
        kb = self.kb
        with kb._lock:
            db = kb._db
            row = db.execute("SELECT id, at, who, action, source, title, text, undone FROM knowledge_log "
                             "WHERE undone=0 AND action!='undo' ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            change = Change(*row[:7], undone=True)
            items = db.execute("SELECT passage_id, op FROM knowledge_log_items WHERE log_id=?", (change.id,)).fetchall()
            try:
                cur = db.execute("INSERT INTO knowledge_log(at, who, action, source, title, text) VALUES (?,?,?,?,?,?)",
                                 (_now(), who, "undo", change.source, change.title, change.text))
                undo_id = cur.lastrowid
                for pid, op in items:
                    if op == "added":
                        self._trash(pid, undo_id)
                    else:
                        self._restore(pid)
                db.execute("UPDATE knowledge_log SET undone=1 WHERE id=?", (change.id,))
                db.commit()
            except BaseException:
                db.rollback()
                raise
            kb._cache = None
            return change

    # ---- reading --------------------------------------------------------------------------------
    def history(self, limit: int = 100) -> list[Change]:
        """The newest ``limit`` changes, oldest first."""
        with self.kb._lock:
            rows = self.kb._db.execute("SELECT id, at, who, action, source, title, text, undone FROM knowledge_log "
                                       "ORDER BY id DESC LIMIT ?", (max(0, int(limit)),)).fetchall()
        return [Change(*r[:7], undone=bool(r[7])) for r in reversed(rows)]

    def entries(self, ids: list[int] | None = None) -> list[Entry]:
        """Current passages with who added them, in id order (``ids``: only those)."""
        where = f" WHERE p.id IN ({','.join('?' * len(ids))})" if ids else ""
        with self.kb._lock:
            rows = self.kb._db.execute(
                "SELECT p.id, p.source, p.title, p.text, p.added, "
                "(SELECT l.who FROM knowledge_log_items i JOIN knowledge_log l ON l.id = i.log_id "
                " WHERE i.passage_id = p.id AND i.op = 'added' ORDER BY l.id DESC LIMIT 1) "
                f"FROM passages p{where} ORDER BY p.id", tuple(ids or ())).fetchall()
        return [Entry(r[0], r[1], r[2], r[3], r[4], r[5] or "") for r in rows]

    # ---- plumbing -------------------------------------------------------------------------------
    def _apply(self, action: str, who: str, source: str, title: str, text: str, *, remove: list[int],
               add=None) -> list[int]:
        """One logged change: move ``remove`` to the trash, run ``add`` (which inserts and commits),
        link the new passages; on any error the removed passages come back and nothing is logged."""
        db = self.kb._db
        db.commit()  # start from a clean transaction state
        # Passage ids must never be reused while the trash or the log names them: SQLite gives a
        # new row max(id)+1, so a placeholder row at the high-water mark pushes new ids above it.
        high = db.execute("SELECT max(coalesce((SELECT max(id) FROM passages), 0), "
                          "coalesce((SELECT max(id) FROM knowledge_trash), 0), "
                          "coalesce((SELECT max(passage_id) FROM knowledge_log_items), 0))").fetchone()[0]
        log_id = None
        try:
            db.execute(f"INSERT OR IGNORE INTO passages({_PCOLS}) VALUES (?,?,'','',?,'')",
                       (high + 1, _RESERVED, bytes(4 * DIM)))
            log_id = db.execute("INSERT INTO knowledge_log(at, who, action, source, title, text) VALUES (?,?,?,?,?,?)",
                                (_now(), who, action, source, title[:200], text[:2000])).lastrowid
            for pid in remove:
                self._trash(pid, log_id)
            if add is not None:
                add()  # commits the trash moves and the log row together with the new passages
            db.execute("DELETE FROM passages WHERE source=?", (_RESERVED,))
            new = [r[0] for r in db.execute("SELECT id FROM passages WHERE id > ? ORDER BY id", (high + 1,))]
            db.executemany("INSERT INTO knowledge_log_items(log_id, passage_id, op) VALUES (?,?,?)",
                           [(log_id, pid, "added") for pid in new] + [(log_id, pid, "removed") for pid in remove])
            db.commit()
        except BaseException:
            db.rollback()
            self._rescue(high, log_id)
            raise
        self.kb._cache = None
        return new

    def _rescue(self, high: int, log_id: int | None) -> None:
        """Undo a half-applied change whose ``add`` already committed (it failed after that)."""
        db = self.kb._db
        if log_id is not None:
            for (pid,) in db.execute("SELECT id FROM knowledge_trash WHERE log_id=?", (log_id,)).fetchall():
                self._restore(pid)
            db.execute("DELETE FROM knowledge_log WHERE id=?", (log_id,))
            db.execute("DELETE FROM knowledge_log_items WHERE log_id=?", (log_id,))
        db.execute("DELETE FROM passages WHERE id > ? OR source=?", (high, _RESERVED))
        db.commit()
        self.kb._cache = None

    def _trash(self, pid: int, log_id: int) -> None:
        db: sqlite3.Connection = self.kb._db
        db.execute(f"INSERT OR REPLACE INTO knowledge_trash({_PCOLS}, log_id) SELECT {_PCOLS}, ? FROM passages "
                   "WHERE id=?", (log_id, pid))
        db.execute("DELETE FROM passages WHERE id=?", (pid,))

    def _restore(self, pid: int) -> None:
        db: sqlite3.Connection = self.kb._db
        db.execute(f"INSERT OR IGNORE INTO passages({_PCOLS}) SELECT {_PCOLS} FROM knowledge_trash WHERE id=?", (pid,))
        db.execute("DELETE FROM knowledge_trash WHERE id=?", (pid,))
