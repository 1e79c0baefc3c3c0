"""Long-term conversation memory (BlenderBot 2.0 style): extract facts after every turn, store them
per persona and user in SQLite with e5 embeddings, retrieve the relevant ones every turn.

    from digihuman.memory import MemoryStore, extract_facts
    store = MemoryStore(persona_dir / "memory.sqlite")
    turn = store.log_turn("kim", "user", message)
    for fact in extract_facts(message, about="partner"):
        store.remember("kim", fact, source_turn=turn.id, reason=message)
    store.search("kim", "where do I live?", k=5)
    answer_about_user("what's my dog called?", store.current("kim"))  # -> RecallAnswer | None
"""

from .extract import extract_facts
from .facts import Fact, is_single_valued, opposite_key
from .recall import RecallAnswer, answer_about_user, question_keys, rank_memories
from .store import MemoryStore, check_user

__all__ = ["Fact", "MemoryStore", "RecallAnswer", "answer_about_user", "check_user", "extract_facts",
           "is_single_valued", "opposite_key", "question_keys", "rank_memories"]
