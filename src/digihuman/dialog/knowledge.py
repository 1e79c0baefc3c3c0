"""The persona's knowledge: documents split into passages, searched by meaning and by keywords.

Stored in one SQLite file (passages with float32 embedding BLOBs); the embedding matrix and the
keyword index are cached in memory and rebuilt only after an add. Search is hybrid because E5
cosines are compressed (unrelated questions still score ~0.75), so exact words (product names,
"croissant", "gluten") must count too: score = cosine + 0.15 * normalised BM25.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sqlite3
import threading
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..errors import InputError
from .embed import DIM, embed_passages, embed_query
from .knowledge_log import KnowledgeLog
from .types import Passage

MAX_FILE_BYTES = 5 * 1024 * 1024
CHUNK_CHARS = 500
SUFFIXES = (".md", ".markdown", ".txt", ".csv")

STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from about as into is are was were be been being am do does "
    "did doing have has had having i me my mine you your yours we our us he she it its they them their this that "
    "these those what which who whom whose when where why how can could would should will shall may might must "
    "there here not no yes so too very just also any some all each every much many more most other such than then "
    "please tell know let s t ll d re ve m get got one thing things anything something does dont don't isn't "
    "hi hello hey ok okay really".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def stem(word: str) -> str:
    """Crude English suffix stripping: enough to match open/opens/opening, loaf/loaves, bake/baked."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if not w.isascii() or len(w) <= 3:
        return w
    for suf, rep in (("ies", "y"), ("ves", "f"), ("ing", ""), ("ied", "y"), ("ed", ""), ("es", ""), ("s", ""),
                     ("ly", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3 and not w.endswith("ss"):
            w = w[: -len(suf)] + rep
            break
    return w[:-1] if w.endswith("e") and len(w) >= 4 else w  # name/named -> nam, bake/baked -> bak


def terms(text: str, *, keep_stop: bool = False) -> list[str]:
    """Stemmed content words of ``text`` (stop words dropped unless ``keep_stop``)."""
    out = []
    for tok in _TOKEN.findall(text.lower()):
        base = re.sub(r"['’](s|re|ll|ve|d|m)$", "", tok.replace("’", "'"))  # "what's" is "what"
        if not keep_stop and (tok in STOPWORDS or base in STOPWORDS):
            continue
        out.append(stem(tok))
    return out


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Split on paragraph/line/sentence boundaries into pieces of at most ~size characters."""
    text = text.strip()
    if len(text) <= size:
        return [text] if text else []
    pieces = [p for p in re.split(r"\n\s*\n|\n(?=[-*] )|(?<=[.!?])\s+", text) if p.strip()]
    out, cur = [], ""
    for p in pieces:
        if cur and len(cur) + len(p) + 1 > size:
            out.append(cur.strip())
            cur = ""
        cur = f"{cur}\n{p}" if cur else p
    if cur.strip():
        out.append(cur.strip())
    return out


def parse_markdown(text: str) -> list[tuple[str, str]]:
    """(title, text) pairs: FAQ "Q:/A:" pairs, else sections by heading (chunked, heading kept)."""
    qa = re.findall(r"^\s*Q:\s*(.+?)\s*\n\s*A:\s*(.+?)(?=\n\s*Q:|\n#|\Z)", text, re.M | re.S)
    out: list[tuple[str, str]] = [(q.strip(), " ".join(a.split())) for q, a in qa]
    if qa:
        text = re.sub(r"^\s*Q:.+?(?=\n\s*Q:|\n#|\Z)", "", text, flags=re.M | re.S)
    title, lines, doc_title = "", [], ""

    def flush() -> None:
        body = "\n".join(lines).strip()
        if body:
            t = title or doc_title or "General"
            out.extend((t, c) for c in _chunks(body))

    for line in text.splitlines():
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m:
            flush()
            lines = []
            title = m.group(2).strip()
            if len(m.group(1)) == 1 and not doc_title:
                doc_title = title
        else:
            lines.append(line)
    flush()
    return out


def parse_csv(text: str) -> list[tuple[str, str]]:
    """FAQ CSV (question, answer columns) or a table of products (one passage per row)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not rows[0]:
        return []
    cols = {c.strip().lower(): c for c in rows[0] if c}
    if "question" in cols and "answer" in cols:
        return [(r[cols["question"]].strip(), r[cols["answer"]].strip()) for r in rows
                if (r.get(cols["question"]) or "").strip() and (r.get(cols["answer"]) or "").strip()]
    name_col = next((cols[c] for c in ("name", "product", "item", "title") if c in cols), next(iter(cols.values())))
    out = []
    for r in rows:
        name = (r.get(name_col) or "").strip()
        if not name:
            continue
        fields = [f"{(k or '').strip().lower()}: {(v or '').strip()}" for k, v in r.items()
                  if k and (v or "").strip()]
        out.append((name, "; ".join(fields)))
    return out


class KnowledgeBase:
    """Passages from documents, in an SQLite file, searchable with :meth:`search`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False)
        self._db.executescript(
            """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS passages (
                id INTEGER PRIMARY KEY, source TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,
                vec BLOB NOT NULL, added TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS passages_source ON passages(source);
            """
        )
        self._db.commit()
        self._cache: tuple | None = None  # (ids, passages, matrix, postings, lengths, avg length)
        self._data_version = -1
        self.log = KnowledgeLog(self)
        """Who changed what and when, with undo (teach, add_file, forget, undo)."""

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- adding -------------------------------------------------------------------------------
    def add_file(self, path: Path | str) -> int:
        """Index a .md/.markdown/.txt/.csv file (replacing an earlier version); returns passages added."""
        p = Path(path).expanduser()
        if not p.is_file():
            raise InputError(f"knowledge file {str(p)!r} does not exist", "check the path and try again")
        if p.suffix.lower() not in SUFFIXES:
            raise InputError(f"cannot read knowledge file {p.name!r} (type {p.suffix or 'none'})",
                             "use markdown (.md), plain text (.txt) or a CSV with question,answer or product rows")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"knowledge file {p.name!r} is {size / 1e6:.1f} MB, over the 5 MB limit",
                             "split it into smaller files")
        try:
            raw = p.read_bytes()
            text = raw.decode("utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read knowledge file {p.name!r} ({exc.strerror})", "check its permissions") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"knowledge file {p.name!r} is not UTF-8 text", "save it as UTF-8 text") from exc
        if "\x00" in text:
            raise InputError(f"knowledge file {p.name!r} looks binary", "give a text, markdown or CSV file")
        suffix = p.suffix.lower()
        try:
            pairs = parse_csv(text) if suffix == ".csv" else parse_markdown(text) if suffix != ".txt" else [
                (p.stem.replace("_", " "), c) for para in re.split(r"\n\s*\n", text) for c in _chunks(para)]
        except csv.Error as exc:
            raise InputError(f"knowledge file {p.name!r} is not valid CSV ({exc})", "check its quoting") from exc
        if not pairs:
            raise InputError(f"knowledge file {p.name!r} has no usable text", "add some content or check the format")
        if suffix == ".csv":
            from ..sales import Catalog, is_catalog_file

            if is_catalog_file(p):  # product rows: also a typed catalog for filters, comparisons, sums
                Catalog.from_file(p).save(self.path.parent)
        with self._lock:
            self._db.execute("DELETE FROM passages WHERE source = ?", (p.name,))
            return self._insert(p.name, pairs)

    def add_text(self, title: str, text: str, source: str = "conversation", *, replace: bool = False) -> int:
        """Add one passage (knowledge taught in chat); returns its id. Same title+text is not duplicated.

        ``replace``: first delete this source's passages with the same title (a taught fact that
        was updated, e.g. "shop opening hours", must not leave the old value searchable).
        """
        title, text = " ".join(str(title).split())[:200], str(text).strip()[:CHUNK_CHARS * 4]
        if not text:
            raise InputError("cannot add empty knowledge", "give some text")
        with self._lock:
            row = self._db.execute("SELECT id FROM passages WHERE source=? AND title=? AND text=?",
                                   (source, title, text)).fetchone()
            if row:
                return int(row[0])
            if replace:
                with self._db:
                    self._db.execute("DELETE FROM passages WHERE source=? AND title=?", (source, title))
                self._cache = None
            self._insert(source, [(title or "Note", text)])
            return int(self._db.execute("SELECT max(id) FROM passages").fetchone()[0])

    def _insert(self, source: str, pairs: list[tuple[str, str]]) -> int:
        vecs = embed_passages([f"{t}: {x}" for t, x in pairs])
        now = _now()
        with self._db:  # one transaction: a file is indexed entirely or not at all
            self._db.executemany(
                "INSERT INTO passages(source, title, text, vec, added) VALUES (?,?,?,?,?)",
                [(source, t, x, v.astype(np.float32).tobytes(), now) for (t, x), v in zip(pairs, vecs)],
            )
        self._cache = None
        return len(pairs)

    def remove_source(self, source: str) -> int:
        with self._lock, self._db:
            n = self._db.execute("DELETE FROM passages WHERE source = ?", (source,)).rowcount
        self._cache = None
        return n

    def sources(self) -> list[str]:
        """Names of the files (and "conversation") knowledge came from."""
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT DISTINCT source FROM passages ORDER BY source")]

    def titles(self) -> list[str]:
        """Distinct passage titles in file order (the topics this knowledge covers)."""
        self._load()
        seen: dict[str, None] = {}
        for p in self._cache[1]:
            seen.setdefault(p.title, None)
        return list(seen)

    def passages(self) -> list[Passage]:
        """Every stored passage in file order (read-only; answer selection splits them into sentences)."""
        return list(self._load()[1])

    def __len__(self) -> int:
        return len(self._load()[0])

    # ---- searching ----------------------------------------------------------------------------
    def _load(self) -> tuple:
        with self._lock:
            # another connection (the CLI adding a file while a chat runs) committed: reload
            dv = self._db.execute("PRAGMA data_version").fetchone()[0]
            if dv != self._data_version:
                self._cache, self._data_version = None, dv
            if self._cache is None:
                rows = self._db.execute("SELECT id, source, title, text, vec FROM passages ORDER BY id").fetchall()
                passages = [Passage(r[0], r[1], r[2], r[3]) for r in rows]
                mat = (np.frombuffer(b"".join(r[4] for r in rows), np.float32).reshape(len(rows), DIM)
                       if rows else np.zeros((0, DIM), np.float32))
                tfs = [Counter(terms(f"{p.title} {p.title} {p.text}")) for p in passages]
                postings: dict[str, list[tuple[int, int]]] = {}  # term -> [(passage index, count)]
                for i, tf in enumerate(tfs):
                    for t, f in tf.items():
                        postings.setdefault(t, []).append((i, f))
                lens = np.array([sum(tf.values()) for tf in tfs], np.float32)
                avg = float(lens.mean()) if len(lens) else 1.0
                self._cache = ([p.id for p in passages], passages, mat, postings, lens, avg)
            return self._cache


    def search(self, query: str, k: int = 3, *, vector: np.ndarray | None = None) -> list[Passage]:
        """The ``k`` passages best matching ``query``; ``Passage.score`` is the hybrid score."""
        _, passages, mat, postings, lens, avg = self._load()
        if not passages or not query.strip() or k <= 0:
            return []
        q = embed_query(query[:2000]) if vector is None else vector
        cos = mat @ q
        qt = set(terms(query[:2000]))
        n = len(passages)
        bm = np.zeros(n, np.float32)
        for t in qt:
            post = postings.get(t, ())
            idf = math.log(1 + (n - len(post) + 0.5) / (len(post) + 0.5))
            for i, f in post:
                bm[i] += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * lens[i] / avg))
        if bm.max() > 0:
            bm = bm / bm.max()
        score = cos + 0.15 * bm
        top = np.argsort(-score)[:k]
        return [Passage(passages[i].id, passages[i].source, passages[i].title, passages[i].text, float(score[i]))
                for i in top]
