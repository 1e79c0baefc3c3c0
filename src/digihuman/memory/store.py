"""Long-term conversation memory: one SQLite file per persona (turn log + remembered facts).

Durability: WAL journal with ``synchronous=NORMAL`` and one transaction per write, so a crash or a
kill mid-turn never corrupts the file and loses nothing already committed (NORMAL can drop the
last commits only on an OS crash / power loss, never on a process crash). Corrections never
overwrite: the old row stays with ``superseded_by`` pointing at its replacement (history).

Isolation: every query is ``WHERE user = ?`` with the user id as a bound parameter, validated
first; the per-user vector cache is keyed by user too. No method reads rows of another user.

Search: e5 cosine similarity (vectors computed once at write time, stored as float32 BLOBs) plus
a small boost for exact word overlap, over a per-user in-memory matrix (one dot product for
10,000 memories is well under a millisecond; the query embedding itself costs ~10 ms).
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..dialog.embed import DIM, embed_passages, embed_query
from ..dialog.types import Memory, Turn
from ..errors import InputError, PersonaError
from .facts import UNIQUE_REL, Fact, is_single_valued, opposite_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, role TEXT NOT NULL,
    text TEXT NOT NULL, created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS turns_user ON turns(user, id);
CREATE TABLE IF NOT EXISTS memories (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, about TEXT NOT NULL, key TEXT NOT NULL,
    value TEXT NOT NULL, text TEXT NOT NULL, created TEXT NOT NULL, source_turn INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '', superseded_by INTEGER, embedding BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS memories_current ON memories(user, superseded_by, about, key);
"""
# AUTOINCREMENT: ids are never reused after `forget`, so a superseded_by link can't dangle onto a new row.
_COLS = "id, user, about, key, value, text, created, source_turn, reason, superseded_by"
_KEYWORD_BOOST = 0.03  # per shared content word; e5 scores sit in a narrow 0.75-0.9 band
_MAX_BOOST = 0.09
_STOP = frozenset("""a an the i me my mine you your we our is are was were am be been do does did what
where when who whom which why how that this it of in on at to for from with and or but not no
partner self s 's about tell know remember please can could would should have has had any some
there their they he she his her them there so just any ever""".split())
_WORD = re.compile(r"[\w']+")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _stem(w: str) -> str:
    """Crude stem so 'lives'/'live'/'living' and 'dogs'/'dog' share a keyword."""
    for suf in ("ing", "es", "ed", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def _words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower().replace("_", " ")) if w not in _STOP}


def check_user(user: object) -> str:
    """A valid user id (1-64 letters/digits/_-.@) or InputError: ids end up in files and logs."""
    if not isinstance(user, str) or not 1 <= len(user) <= 64 or not all(ch.isalnum() or ch in "_-.@" for ch in user):
        raise InputError(f"invalid user id {str(user)[:80]!r}",
                         "use 1-64 letters, digits, '_', '-', '.' or '@' (e.g. an e-mail or 'guest_1')")
    return user


class _UserIndex:
    """Current memories of one user as a matrix, plus an inverted word index for the keyword boost."""

    def __init__(self, mems: list[Memory], vecs: np.ndarray) -> None:
        self.mems, self.vecs = mems, vecs
        self.about = np.array([m.about for m in mems])
        words: dict[str, list[int]] = {}
        for i, m in enumerate(mems):
            for w in _words(f"{m.text} {m.key}"):
                words.setdefault(w, []).append(i)
        self.words = {w: np.asarray(ix, np.intp) for w, ix in words.items()}


class MemoryStore:
    """Conversation log and memories of one persona, for all its users (each strictly separate)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise PersonaError(f"folder {str(self.path.parent)!r} does not exist", "create the persona first")
        self._lock = threading.RLock()  # one connection shared by the threads of a chat server
        self._cache: dict[str, _UserIndex] = {}
        self._data_version = -1
        self._qcache: OrderedDict[str, np.ndarray] = OrderedDict()  # same message searched twice per turn
        try:
            self._db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise PersonaError(f"memory file {str(self.path)!r} is damaged or not a database ({e})",
                               "move it away; a new empty memory will be created") from e

    # ------------------------------------------------------------ plumbing
    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, fn):
        """Run ``fn(db)`` in one IMMEDIATE transaction: all of it is committed or none of it."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                out = fn(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return out

    @staticmethod
    def _mem(row: tuple, score: float = 0.0) -> Memory:
        return Memory(id=row[0], user=row[1], about=row[2], key=row[3], value=row[4], text=row[5],
                      created=row[6], source_turn=row[7], reason=row[8], superseded_by=row[9], score=score)

    # ------------------------------------------------------------ turns
    def log_turn(self, user: str, role: str, text: str) -> Turn:
        check_user(user)
        if role not in ("user", "persona"):
            raise InputError(f"invalid role {role!r}", "use 'user' or 'persona'")
        if not isinstance(text, str):
            raise InputError("turn text must be a string", "pass the message text")
        created = _now()
        tid = self._write(lambda db: db.execute(
            "INSERT INTO turns(user, role, text, created) VALUES (?, ?, ?, ?)", (user, role, text, created)).lastrowid)
        return Turn(id=tid, user=user, role=role, text=text, created=created)

    def history(self, user: str, n: int = 10) -> list[Turn]:
        """The last ``n`` turns with ``user``, oldest first."""
        check_user(user)
        with self._lock:
            rows = self._db.execute("SELECT id, user, role, text, created FROM turns WHERE user = ? "
                                    "ORDER BY id DESC LIMIT ?", (user, max(0, int(n)))).fetchall()
        return [Turn(*r) for r in reversed(rows)]

    # ------------------------------------------------------------ memories
    def remember(self, user: str, fact: Fact, *, source_turn: int, reason: str = "",
                 embedding: np.ndarray | None = None) -> Memory | None:
        """Store ``fact``; supersede what it replaces; None when it is already a current memory.

        Replaced: current memories with the same (user, about, key) when the key is single-valued
        or the fact is a correction/negation; the opposite like/dislike of the same item; for a
        negated single-valued fact ("I don't live in Seoul anymore") only a matching value.
        ``embedding`` (optional, (384,) L2-normalised) skips computing it, e.g. for bulk imports.
        """
        check_user(user)
        if fact.about not in ("partner", "self") or not fact.key or not fact.text:
            raise InputError(f"invalid fact {fact!r}", "create facts with extract_facts()")
        if fact.key == "correction":
            return self._correct(user, fact, source_turn=source_turn, reason=reason)
        if fact.key.startswith("person:"):
            fact = self._known_person(user, fact)
        vec = embed_passages([fact.text])[0] if embedding is None else np.asarray(embedding, np.float32)
        if vec.shape != (DIM,):
            raise InputError(f"embedding must have shape ({DIM},), not {vec.shape}", "pass embed_passages(...)[0]")
        blob = vec.astype("<f4").tobytes()
        reason = (reason or "")[:1000]
        created = _now()

        def tx(db: sqlite3.Connection) -> Memory | None:
            keys = [fact.key] + ([k] if (k := opposite_key(fact.key)) else [])
            marks = ",".join("?" * len(keys))
            rows = db.execute(f"SELECT {_COLS} FROM memories WHERE user = ? AND about = ? AND key IN ({marks}) "
                              "AND superseded_by IS NULL", (user, fact.about, *keys)).fetchall()
            same = [r for r in rows if r[3] == fact.key]
            if any(r[4].casefold() == fact.value.casefold() and r[5] == fact.text for r in same):
                return None  # exact duplicate: keep the original (its source turn and time)
            old = [r for r in rows if r[3] != fact.key]  # opposite like/dislike: always replaced
            if fact.replaces:  # "I'm allergic to shellfish, not peanuts": the peanut allergy goes
                family = fact.key.split(":")[0] + ":"
                old += [r for r in db.execute(
                    f"SELECT {_COLS} FROM memories WHERE user = ? AND about = ? AND key LIKE ? AND superseded_by IS NULL",
                    (user, fact.about, family.replace("%", "") + "%")).fetchall()
                    if r[4].casefold() == fact.replaces.casefold() and r[3] != fact.key]
            if fact.key.startswith("plan:") and fact.correction and fact.when:
                # "actually, I'm going to Tokyo next week instead": the plan for that date changed
                old += [r for r in db.execute(
                    f"SELECT {_COLS} FROM memories WHERE user = ? AND about = ? AND key LIKE 'plan:%' AND value = ? "
                    "AND superseded_by IS NULL AND key != ?", (user, fact.about, fact.when, fact.key)).fetchall()
                    if re.search(r"\binstead\b|\bactually\b|\bnot\b", reason, re.I)]
            if fact.negated and is_single_valued(fact.key):  # "I quit the studio": the studio in Stokes Croft
                head = fact.value.casefold().split()[-1] if fact.value.split() else ""
                old += [r for r in same if r[4].casefold() == fact.value.casefold() or head == "job" or
                        head in re.findall(r"[\w'-]+", r[4].casefold())]
            elif is_single_valued(fact.key) or fact.correction or fact.negated or fact.key.startswith(
                    ("likes:", "dislikes:", "allergy:", "avoids:", "pet:")):
                old += same  # the item is in these keys: same key = same item, newest statement wins
            cur = db.execute("INSERT INTO memories(user, about, key, value, text, created, source_turn, reason, "
                             "embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (user, fact.about, fact.key, fact.value, fact.text, created, int(source_turn),
                              reason, blob))
            new_id = cur.lastrowid
            if old:
                db.executemany("UPDATE memories SET superseded_by = ? WHERE user = ? AND id = ?",
                               [(new_id, user, r[0]) for r in old])
            return Memory(new_id, user, fact.about, fact.key, fact.value, fact.text, created,
                          int(source_turn), reason, None)

        with self._lock:  # commit and cache drop together, so a search can't re-cache the old state
            mem = self._write(tx)
            if mem is not None:
                self._cache.pop(user, None)
        return mem

    def _known_person(self, user: str, fact: Fact) -> Fact:
        """A fact about someone named ("Priya is head of marketing", key person:priya:job) becomes a
        fact about the relation the user gave that name ("(partner)'s wife", family:wife:job);
        unchanged when no current memory names them."""
        _, name, slot = fact.key.split(":", 2)
        with self._lock:
            rows = self._db.execute("SELECT key, value FROM memories WHERE user = ? AND about = ? AND key LIKE "
                                    "'family:%' AND superseded_by IS NULL ORDER BY id DESC",
                                    (user, fact.about)).fetchall()
        rel = next((k.split(":")[1] for k, v in rows if v.casefold() == name and len(k.split(":")) == 3), "")
        if not rel or fact.text.startswith(f"({fact.about})"):
            return fact
        if rel not in UNIQUE_REL:  # one of two kids: the slot stays the person's own ("Femi is 8")
            text = re.sub(rf"^({re.escape(name)})\b", rf"({fact.about})'s {rel} \1", fact.text, flags=re.I)
            return dataclasses.replace(fact, text=text)
        who = f"({fact.about})'s {rel}"
        text = re.sub(rf"^{re.escape(name)}\b", who, fact.text, flags=re.I)
        return dataclasses.replace(fact, key=f"family:{rel}:{slot}", text=text)

    def _correct(self, user: str, fact: Fact, *, source_turn: int, reason: str) -> Memory | None:
        """A correction with no slot of its own ("she's called Mia, not Nia", "no, I said Busan"):
        rewrite the current memory holding the wrong value (``fact.replaces``; else the newest name-like
        value) with ``fact.value``, superseding it. None when there is nothing to correct."""
        new = fact.value.strip()
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLS} FROM memories WHERE user = ? AND about = ? AND superseded_by IS NULL "
                                    "ORDER BY id DESC", (user, fact.about)).fetchall()
        if fact.replaces:
            word = re.compile(rf"\b{re.escape(fact.replaces)}\b", re.I)
            targets = [r for r in rows if word.search(r[4])][:1] or [r for r in rows if word.search(r[5])][:1]
        else:  # "no, I said Busan": a misheard name or place, so the most similar-sounding one, newest first
            from rapidfuzz import fuzz

            named = [(fuzz.ratio(r[4].lower(), new.lower()), r) for r in rows
                     if r[4][:1].isupper() and len(r[4].split()) <= 3 and r[4] != new]
            best = max((score for score, _ in named), default=0)
            targets = [r for score, r in named if score == best and score >= 50][:1]
        if not new or not targets:
            return None
        r = targets[0]
        old = fact.replaces or r[4]
        sub = re.compile(rf"\b{re.escape(old)}\b", re.I)
        value, text = sub.sub(new, r[4]), sub.sub(new, r[5])
        parts = r[3].split(":")
        key = ":".join(new.lower() if p == old.lower() else p for p in parts)
        blob = embed_passages([text])[0].astype("<f4").tobytes()
        created = _now()

        def tx(db: sqlite3.Connection) -> Memory | None:
            if db.execute("SELECT superseded_by FROM memories WHERE user = ? AND id = ?", (user, r[0])).fetchone() != (None,):
                return None  # corrected meanwhile by another writer
            same = db.execute("SELECT id FROM memories WHERE user = ? AND about = ? AND key = ? AND superseded_by IS NULL "
                              "AND id != ?", (user, fact.about, key, r[0])).fetchall()
            new_id = db.execute("INSERT INTO memories(user, about, key, value, text, created, source_turn, reason, "
                                "embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (user, fact.about, key, value, text, created, int(source_turn), (reason or "")[:1000],
                                 blob)).lastrowid
            db.executemany("UPDATE memories SET superseded_by = ? WHERE user = ? AND id = ?",
                           [(new_id, user, i) for i in [r[0], *(x[0] for x in same)]])
            return Memory(new_id, user, fact.about, key, value, text, created, int(source_turn), (reason or "")[:1000])

        with self._lock:  # the rewritten memory and the superseded old one: one transaction
            mem = self._write(tx)
            self._cache.pop(user, None)
        return mem

    def _index(self, user: str) -> _UserIndex:
        with self._lock:
            # another process (a second chat server, the CLI's `memory forget`) committed: drop the cache
            dv = self._db.execute("PRAGMA data_version").fetchone()[0]
            if dv != self._data_version:
                self._cache.clear()
                self._data_version = dv
            idx = self._cache.get(user)
            if idx is None:
                rows = self._db.execute(f"SELECT {_COLS}, embedding FROM memories WHERE user = ? "
                                        "AND superseded_by IS NULL ORDER BY id", (user,)).fetchall()
                vecs = (np.frombuffer(b"".join(r[10] for r in rows), "<f4").reshape(len(rows), DIM)
                        if rows else np.zeros((0, DIM), np.float32))
                idx = self._cache[user] = _UserIndex([self._mem(r) for r in rows], vecs)
        return idx

    def _query_vec(self, query: str) -> np.ndarray:
        v = self._qcache.get(query)
        if v is None:
            v = self._qcache[query] = embed_query(query)
            if len(self._qcache) > 64:
                self._qcache.popitem(last=False)
        return v

    def search(self, user: str, query: str, k: int = 5, *, min_score: float = 0.0,
               about: str | None = None, query_vec: np.ndarray | None = None) -> list[Memory]:
        """The ``k`` current memories of ``user`` most relevant to ``query``, best first.

        ``score`` = cosine similarity of e5 embeddings + up to 0.09 for exact shared words.
        ``about`` limits to "partner" or "self"; ``query_vec`` reuses an embedding of ``query``.
        """
        check_user(user)
        if not isinstance(query, str) or k <= 0:
            return []
        idx = self._index(user)
        if not idx.mems:
            return []
        q = self._query_vec(query) if query_vec is None else np.asarray(query_vec, np.float32)
        scores = idx.vecs @ q
        boost = np.zeros(len(idx.mems), np.float32)
        for w in _words(query):
            if (ix := idx.words.get(w)) is not None:
                boost[ix] += _KEYWORD_BOOST
        scores = scores + np.minimum(boost, _MAX_BOOST)
        if about is not None:
            scores = np.where(idx.about == about, scores, -np.inf)
        n = min(k, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        out = []
        for i in top:
            s = float(scores[i])
            if s >= min_score and np.isfinite(s):
                m = idx.mems[i]
                out.append(Memory(m.id, m.user, m.about, m.key, m.value, m.text, m.created, m.source_turn,
                                  m.reason, None, s))
        return out

    def current(self, user: str, about: str | None = None) -> list[Memory]:
        """Current (not superseded) memories of ``user``, oldest first."""
        return [m for m in self._index(check_user(user)).mems if about is None or m.about == about]

    def all(self, user: str, include_superseded: bool = True) -> list[Memory]:
        """Every memory of ``user`` (with the superseded history unless told otherwise), oldest first."""
        check_user(user)
        where = "" if include_superseded else " AND superseded_by IS NULL"
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLS} FROM memories WHERE user = ?{where} ORDER BY id",
                                    (user,)).fetchall()
        return [self._mem(r) for r in rows]

    def get(self, user: str, id: int) -> Memory | None:
        check_user(user)
        with self._lock:
            row = self._db.execute(f"SELECT {_COLS} FROM memories WHERE user = ? AND id = ?",
                                   (user, int(id))).fetchone()
        return self._mem(row) if row else None

    def forget(self, user: str, id: int | None = None, all: bool = False) -> int:
        """Delete one memory with the history it superseded, or (``all``) every memory and turn of
        ``user``; returns how many memories were deleted."""
        check_user(user)
        if all == (id is not None):
            raise InputError("forget needs exactly one of a memory id or all=True",
                             "see the ids with 'memory list'")

        def tx(db: sqlite3.Connection) -> int:
            if all:
                db.execute("DELETE FROM turns WHERE user = ?", (user,))
                return db.execute("DELETE FROM memories WHERE user = ?", (user,)).rowcount
            # the memory plus everything it (transitively) superseded, so no old fact resurfaces
            ids = [r[0] for r in db.execute(
                "WITH RECURSIVE chain(id) AS (SELECT id FROM memories WHERE user = ? AND id = ? "
                "UNION SELECT m.id FROM memories m JOIN chain c ON m.superseded_by = c.id WHERE m.user = ?) "
                "SELECT id FROM chain", (user, int(id), user))]
            db.executemany("DELETE FROM memories WHERE user = ? AND id = ?", [(user, i) for i in ids])
            return len(ids)

        with self._lock:
            n = self._write(tx)
            self._cache.pop(user, None)
        return n

    def users(self) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT user FROM turns UNION SELECT user FROM memories ORDER BY 1").fetchall()
        return [r[0] for r in rows]

    def integrity_ok(self) -> bool:
        with self._lock:
            return self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
