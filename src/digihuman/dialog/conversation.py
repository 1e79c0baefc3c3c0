"""One conversation turn, end to end: log -> emotion -> retrieval -> reply -> log -> learn.

Order matters for durability: the user's message is committed to the turn log before anything
else runs, so a crash in retrieval or in the engine loses nothing the user said. Facts are
learned *after* the reply, so a correction ("I moved to Busan") is answered with the old memory
still current and only then supersedes it, and the reply never quotes a fact from the very
message it answers as if it were remembered.

One query embedding per turn is shared by memory and knowledge search (~10 ms on one core).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from datetime import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..emotion import recognize_text_emotion, reply_emotion
from ..errors import InputError
from ..memory import MemoryStore, check_user, extract_facts, question_keys
from .intents import ANALYSE_CHARS, taught_statement
from .embed import embed_query
from .engine import DialogEngine, get_engine
from .fallback import FallbackEngine
from . import teaching
from .knowledge import KnowledgeBase
from .nlp import detect_lang
from .types import Context, Emotion, Memory, Personality, Reply, Resources

if TYPE_CHECKING:
    from ..persona.profile import Profile

MAX_MESSAGE_BYTES = 100 * 1024
FUSED_TTL = 10.0  # s: a fused face/voice state older than this is not about the message at hand
HISTORY_TURNS = 20  # 10 exchanges: follow-ups, and no stock phrase twice within 10 replies
CATALOG_FILE = "catalog.json"  # written by digihuman.sales.Catalog.save into the persona folder
MEMORY_HITS = 12  # similarity-retrieved partner memories per turn (besides the key lookups)
# The persona's own statements about itself (BlenderBot-style self memories) are one set for all
# users, so every user and every later session hears the same likes, origin and stances. They
# live in a store of their own: no user id reaches them, and a user's `forget --all` keeps them.
SELF_FILE = "self_memory.sqlite"
SELF_USER = "persona"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps \t \n \r


def _recent(created: str, now: datetime, minutes: float = 30) -> bool:
    """Whether a turn logged at ``created`` (ISO, UTC) is within ``minutes`` of ``now``."""
    try:
        then = datetime.fromisoformat(created)
        return abs((now.astimezone() - then.astimezone()).total_seconds()) <= minutes * 60
    except (ValueError, TypeError):
        return False


def clean_message(message: object) -> str:
    """A message ready for the turn log, or InputError (not text, empty, over 100 KB)."""
    if not isinstance(message, str):
        raise InputError(f"a message must be text, not {type(message).__name__}", "pass a string")
    text = _CONTROL.sub("", message).replace("\r\n", "\n").strip()
    if not text:
        raise InputError("the message is empty", "type something to say")
    size = len(text.encode("utf-8", "replace"))
    if size > MAX_MESSAGE_BYTES:
        raise InputError(f"the message is {size // 1024} KB, over the {MAX_MESSAGE_BYTES // 1024} KB limit",
                         "send a shorter message or add long documents as knowledge files")
    return text


class Conversation:
    """A persona's conversations with its users (memory and knowledge live in ``folder``)."""

    def __init__(self, persona: str, folder: Path, personality: Personality, *,
                 engine: DialogEngine | str = "builtin", engine_options: dict | None = None,
                 profile: Profile | None = None, fallback: bool = True, owner: str | None = None) -> None:
        """``owner``: the user id of the persona's owner (teacher): their chats get role "owner" by
        default, so what they teach becomes shared knowledge; everyone else is a plain "user"."""
        self.persona = persona
        self.owner = check_user(owner) if owner is not None else None
        self._profile = profile  # who the persona is (persona/profile.py); derived from the description when None
        self._catalog = self._leads = self._catalog_version = None
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.personality = personality
        self.engine = get_engine(engine, **(engine_options or {})) if isinstance(engine, str) else engine
        if fallback and self.engine.name != "builtin":  # an LLM that fails: the built-in engine answers
            self.engine = FallbackEngine(self.engine)
        self.store = MemoryStore(self.folder / "memory.sqlite")
        self.knowledge = KnowledgeBase(self.folder / "knowledge.sqlite")
        self.self_store = MemoryStore(self.folder / SELF_FILE)
        self._self_cache: list[Memory] | None = None
        self.last_reply: Reply | None = None
        self._fused: dict[str, tuple] = {}  # user -> (UserState, monotonic s) from set_user_emotion
        self._lock = threading.RLock()  # engines keep per-reply state; one turn at a time

    def close(self) -> None:
        self.store.close()
        self.self_store.close()
        if self._leads is not None:
            self._leads.close()
        self.knowledge.close()

    def __enter__(self) -> Conversation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- a turn -------------------------------------------------------------------------------
    def role_of(self, user: str, role: str | None = None) -> str:
        """The role of ``user`` in a turn: ``role`` when given, else "owner" for :attr:`owner`, else "user"."""
        if role is None:
            role = "owner" if self.owner is not None and user == self.owner else "user"
        return teaching.check_role(role)

    def self_memories(self) -> list[Memory]:
        """The persona's current statements about itself, shared by all users (oldest first)."""
        if self._self_cache is None:
            self._self_cache = self.self_store.current(SELF_USER, about="self")
        return list(self._self_cache)

    def _prepare(self, user: str, message: str, role: str | None = None) -> tuple[Context, int]:
        check_user(user)
        role = self.role_of(user, role)
        text = clean_message(message)
        turn = self.store.log_turn(user, "user", text)  # committed first: a crash loses nothing said
        analysis = text[:ANALYSE_CHARS]
        vec = embed_query(analysis)
        user_emo = self._with_face_and_voice(user, recognize_text_emotion(analysis, vector=vec))
        mems: dict[int, Memory] = {}
        keys = question_keys(analysis, lang=detect_lang(analysis))
        # Key lookups first: "what's my name?" must find the name even among 10,000 memories,
        # and the name is used to greet; similarity search fills the rest.
        wanted = re.compile("|".join(map(re.escape, keys))) if keys else None  # one scan of the keys, not one per key
        hits = [m for m in self.store.current(user, about="partner")
                if m.key == "name" or wanted is not None and wanted.search(m.key)]
        for m in hits[-20:]:  # newest; the engine ranks them
            mems.setdefault(m.id, m)
        for m in self.store.search(user, analysis, k=MEMORY_HITS, about="partner", query_vec=vec):
            mems.setdefault(m.id, m)
        # the persona's shared statements first (a few dozen at most: all of them), then what an LLM
        # engine said about itself to this user (kept per user: a user could steer an LLM's words)
        own = self.self_memories()
        for m in self.store.search(user, analysis, k=3, about="self", query_vec=vec):
            mems.setdefault(m.id, m)
        passages = self.knowledge.search(analysis, k=3, vector=vec)
        history = [t for t in self.store.history(user, HISTORY_TURNS + 1) if t.id != turn.id][-HISTORY_TURNS:]
        ctx = Context(self.persona, self.personality, user, text, user_emo,
                      reply_emotion(user_emo, self.personality), (*mems.values(), *own), tuple(passages), tuple(history),
                      role, resources=self._resources())
        return ctx, turn.id

    def set_user_emotion(self, user: str, state) -> None:
        """The live page's fused state for ``user``'s next message (text + webcam face + voice,
        :class:`~digihuman.emotion.fusion.UserState`); used once, within ``FUSED_TTL`` seconds."""
        with self._lock:
            self._fused[user] = (state, time.monotonic())

    def _with_face_and_voice(self, user: str, text_emo: Emotion) -> Emotion:
        """The text's emotion, or the fused one when the face or voice saw something the words
        did not say (a frown behind "fine."): label, confidence, valence and arousal come from
        the fusion, the text's detail, target and sarcasm reading stay."""
        state, at = self._fused.pop(user, (None, 0.0))
        if state is None or time.monotonic() - at > FUSED_TTL or state.label == "unknown" or text_emo.sarcasm:
            # (a smile with sarcastic words is part of the sarcasm: the words' reading stands)
            return text_emo
        if not any(k in state.sources and "weight" in state.sources[k] for k in ("face", "voice")):
            return text_emo  # the fusion saw only the text: nothing to add
        fused = state.as_emotion()  # the fusion already weighed the words against face and voice
        return replace(text_emo, label=fused.label, confidence=fused.confidence, valence=fused.valence,
                       arousal=fused.arousal)

    @property
    def profile(self) -> Profile:
        """Who the persona is (identity, origin, likes, opinions): given, or derived from the description."""
        if self._profile is None:
            from ..persona.profile import default_profile

            self._profile = default_profile(self.persona, self.personality.description)
        return self._profile

    def _resources(self) -> Resources:
        from ..sales import Catalog, LeadStore

        f = self.folder / CATALOG_FILE
        version = f.stat().st_mtime_ns if f.exists() else None
        if version != self._catalog_version:  # a catalog was set or replaced (maybe by another process)
            self._catalog_version = version
            self._catalog = Catalog.load(self.folder)
            if self._catalog is not None and self._leads is None:
                self._leads = LeadStore(self.folder / "leads.sqlite")
        return Resources(self.knowledge, self._catalog, self._leads, self.profile, datetime.now().astimezone())

    def _finish(self, ctx: Context, turn_id: int, reply_text: str, used: tuple | None,
                self_facts: tuple | None = None) -> Reply:
        """Log the reply, then learn: the user's facts, and what the persona said about itself.

        ``self_facts``: (self) facts the engine stated for the first time (the built-in engine
        knows them exactly); None lets them be parsed from the reply (LLM engines).
        """
        user = ctx.user
        self.store.log_turn(user, "persona", reply_text)
        written: list[Memory] = []
        analysis = ctx.message[:ANALYSE_CHARS]
        now = ctx.resources.now
        # the user's previous message of this sitting says whom "he"/"she" means ("My grandad fell." "He's 87.")
        before = next((t.text for t in reversed(ctx.history) if t.role == "user"), "") if ctx.history and \
            _recent(ctx.history[-1].created, now) else ""
        facts = extract_facts(analysis, about="partner", now=now, before=before[:ANALYSE_CHARS])
        taught = taught_statement(analysis)
        if taught and not facts:  # "remember that ...": the clause alone may parse
            facts = extract_facts(taught, about="partner", now=now)
        # the trust policy: only the owner's world facts become shared knowledge (teaching.py)
        lesson = teaching.lesson(facts, taught, ctx.role)
        for fact in lesson.facts:
            mem = self.store.remember(user, fact, source_turn=turn_id, reason=analysis)
            if mem is not None:
                written.append(mem)
        for title, statement in lesson.shared:
            self.knowledge.log.teach(title, statement, who=user)
        if self_facts is None:  # an LLM's reply: what it said about itself, parsed, stays with this user
            for fact in extract_facts(reply_text, about="self"):
                mem = self.store.remember(user, fact, source_turn=turn_id, reason=reply_text[:1000])
                if mem is not None:
                    written.append(mem)
        else:  # the built-in engine's stances come from the profile alone: shared with every user
            for fact in self_facts:
                mem = self.self_store.remember(SELF_USER, fact, source_turn=turn_id, reason=reply_text[:1000])
                if mem is not None:
                    written.append(mem)
                    self._self_cache = None
        used_m, used_p = used or (ctx.memories, ctx.knowledge)
        reply = Reply(reply_text, ctx.reply_emotion, tuple(used_m), tuple(written), tuple(used_p),
                      getattr(self.engine, "notice", ""), ctx.user_emotion)
        self.last_reply = reply
        return reply

    def chat(self, user: str, message: str, *, role: str | None = None) -> Reply:
        """Answer one message from ``user``; everything said and learned is saved before returning.

        ``role``: "owner" (the persona's owner / teacher: what they teach becomes shared knowledge)
        or "user" (what they claim stays their own memory, see :mod:`.teaching`); None: "owner"
        for the ``owner`` given to the constructor, "user" for everyone else.
        """
        with self._lock:
            ctx, turn_id = self._prepare(user, message, role)
            text = self.engine.respond(ctx)
            return self._finish(ctx, turn_id, text, getattr(self.engine, "last_used", None),
                                getattr(self.engine, "last_facts", None))

    def stream(self, user: str, message: str, *, role: str | None = None) -> Iterator[str]:
        """Like :meth:`chat` but yields the reply in pieces; the Reply is then ``self.last_reply``.

        If the caller stops early, what was already yielded is logged as the reply.
        """
        # The lock is never held across a yield: a consumer may resume this generator from another
        # thread, and a lock released by a thread that did not take it raises.
        with self._lock:
            ctx, turn_id = self._prepare(user, message, role)
            # engines that only split a finished reply keep per-reply state: run them under the lock
            ready = None if self.engine.streaming else list(self.engine.stream(ctx))
            used = getattr(self.engine, "last_used", None) if ready is not None else None
            facts = getattr(self.engine, "last_facts", None) if ready is not None else None
        pieces: list[str] = []
        try:
            for piece in ready if ready is not None else self.engine.stream(ctx):
                pieces.append(piece)
                yield piece
        finally:
            with self._lock:
                self._finish(ctx, turn_id, "".join(pieces), used, facts)

    # ---- memory management ----------------------------------------------------------------------
    def forget(self, user: str, id: int | None = None, all: bool = False, *, role: str | None = None) -> int:
        """Delete one memory (and what it superseded) or everything about ``user`` (their leads too);
        returns the count.

        With ``role="owner"``, ``all`` also removes the shared knowledge ``user`` taught (undo brings
        it back); a plain user (whose id anyone may claim) cannot touch shared knowledge this way.
        """
        role = self.role_of(user, role)
        n = self.store.forget(user, id=id, all=all)
        if all:
            self._resources()  # opens the persona's lead store if it sells anything
            if self._leads is not None:
                n += self._leads.forget(user)  # contact details given to the sales assistant go too
        return n + (self.knowledge.log.forget_by(user) if all and role == "owner" else 0)

    def memories(self, user: str, include_superseded: bool = True) -> list[Memory]:
        return self.store.all(user, include_superseded=include_superseded)
