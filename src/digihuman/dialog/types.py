"""Data carried through a conversation turn (frozen; the contract between dialog parts).

message -> :class:`Emotion` of the user -> retrieved :class:`Memory` and :class:`Passage` ->
:class:`Context` -> a :class:`DialogEngine` writes the reply text -> new memories -> :class:`Reply`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

EMOTIONS: tuple[str, ...] = ("neutral", "joy", "sadness", "anger", "fear", "surprise", "disgust")
"""Emotion labels used everywhere (text, voice, face): Ekman's six plus neutral."""

FEELINGS: tuple[str, ...] = ("grief", "worry", "tiredness", "gratitude", "frustration", "loneliness", "excitement",
                             "pride", "relief", "love", "embarrassment", "boredom", "stress", "disappointment")
"""Finer feelings carried in :attr:`Emotion.detail`; each belongs under one label of :data:`EMOTIONS`."""


@dataclass(frozen=True)
class Emotion:
    """An emotion with how sure we are of it."""

    label: str = "neutral"
    """One of :data:`EMOTIONS`."""
    confidence: float = 0.0
    """0..1: how sure the recogniser is (0 = no evidence)."""
    valence: float = 0.0
    """-1 (negative) .. 1 (positive)."""
    arousal: float = 0.0
    """0 (calm) .. 1 (excited)."""
    detail: str = ""
    """A finer feeling under ``label`` when one is clear, one of :data:`FEELINGS` (else "")."""
    secondary: str = ""
    """Mixed feelings: the second strongest of :data:`EMOTIONS` ("" when there is none)."""
    secondary_confidence: float = 0.0
    """0..1: how sure the recogniser is of ``secondary``."""
    sarcasm: bool = False
    """Positive words about a bad situation ("Great, my flight got cancelled"): ``label`` is the real feeling."""
    target: str = ""
    """Who the feeling is aimed at when it is clear: "persona" (us, the business) or "" (unknown / elsewhere)."""


@dataclass(frozen=True)
class Personality:
    """How the persona talks. Big-Five extraversion drives style (the talk's high/low example)."""

    extraversion: float = 0.5
    """0 = task-focused, no emoji, few exclamation marks; 1 = chatty, exclamation marks, emoji."""
    description: str = ""
    """Free text about who the persona is (role, tone), used by LLM engines and greetings."""

    @property
    def level(self) -> str:
        return "high" if self.extraversion >= 0.67 else "low" if self.extraversion <= 0.33 else "medium"


@dataclass(frozen=True)
class Memory:
    """One remembered fact about the user ("partner") or about the persona itself ("self")."""

    id: int
    user: str
    """The user this memory belongs to; memories never cross users."""
    about: str
    """"partner" (the user) or "self" (the persona)."""
    key: str
    """Slot for supersession, e.g. "name", "lives_in", "likes:music", "allergy", "fact:<hash>"."""
    value: str
    text: str
    """Readable statement, e.g. "(partner) likes My Beautiful Dark Twisted Fantasy"."""
    created: str
    """ISO-8601 UTC time it was written."""
    source_turn: int
    """Id of the conversation turn it was learned from."""
    reason: str = ""
    """The sentence it was learned from (why we believe it)."""
    superseded_by: int | None = None
    """Id of the memory that replaced it (a correction), or None while it is current."""
    score: float = 0.0
    """Relevance to the current message when retrieved (cosine similarity), else 0."""


@dataclass(frozen=True)
class Passage:
    """A piece of the persona's knowledge (markdown section, FAQ entry, product row)."""

    id: int
    source: str
    """File it came from (name only)."""
    title: str
    """Heading, question, or product name."""
    text: str
    score: float = 0.0
    """Relevance to the current message when retrieved (cosine similarity)."""


@dataclass(frozen=True)
class Turn:
    """One message in the conversation log."""

    id: int
    user: str
    role: str
    """"user" or "persona"."""
    text: str
    created: str


@dataclass(frozen=True)
class Resources:
    """What the built-in engine may consult beyond the retrieved context (owned by the Conversation).

    Typed loosely to keep this module free of imports: the stores live in their own packages.
    """

    knowledge: Any = None
    """The persona's :class:`~digihuman.dialog.knowledge.KnowledgeBase` (sentence-level answering)."""
    catalog: Any = None
    """The persona's product :class:`~digihuman.sales.Catalog`, or None."""
    leads: Any = None
    """The persona's :class:`~digihuman.sales.LeadStore` (sales personas), or None."""
    profile: Any = None
    """The persona's :class:`~digihuman.persona.profile.Profile` (who it is, likes, opinions), or None."""
    now: datetime | None = None
    """The time of the turn (local), for "today", "tomorrow", opening hours."""


@dataclass(frozen=True)
class Context:
    """Everything an engine may use to write one reply."""

    persona: str
    """Persona name."""
    personality: Personality
    user: str
    message: str
    user_emotion: Emotion
    reply_emotion: Emotion
    """The emotion the reply should carry (mirror joy, comfort sadness, calm anger)."""
    memories: tuple[Memory, ...] = ()
    """Relevant current memories about this user and about self, best first."""
    knowledge: tuple[Passage, ...] = ()
    """Relevant knowledge passages, best first."""
    history: tuple[Turn, ...] = ()
    """Recent turns with this user, oldest first."""
    role: str = "user"
    """"owner" when the persona's owner (teacher) is talking: only they change shared knowledge."""
    resources: Resources = field(default_factory=Resources)


@dataclass(frozen=True)
class Reply:
    """What :meth:`Persona.chat` returns."""

    text: str
    emotion: Emotion
    memories_used: tuple[Memory, ...] = ()
    memories_written: tuple[Memory, ...] = ()
    knowledge_used: tuple[Passage, ...] = field(default=())
    notice: str = ""
    """Something the user should know about how the reply was made, e.g. that the LLM failed and
    the built-in engine answered ("" normally). Shown as one line, never spoken."""
    user_emotion: Emotion = field(default_factory=Emotion)
    """The emotion recognised in the user's message (label, finer feeling, mixed second label,
    sarcasm, target); :attr:`emotion` is the one the reply carries."""
