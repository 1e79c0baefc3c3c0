"""Long-term conversation memory (BlenderBot 2.0 style): extract facts after every turn, store them
per persona and user in SQLite with e5 embeddings, retrieve the relevant ones every turn.

    from digihuman.memory import MemoryStore, extract_facts
    store = MemoryStore(persona_dir / "memory.sqlite")
    turn = store.log_turn("kim", "user", message)
    for fact in extract_facts(message, about="partner"):
        store.remember("kim", fact, source_turn=turn.id, reason=message)
    store.search("kim", "where do I live?", k=5)
"""

from .extract import extract_facts
from .facts import Fact, is_single_valued, opposite_key
from .store import MemoryStore, check_user

__all__ = ["Fact", "MemoryStore", "check_user", "extract_facts", "is_single_valued", "opposite_key"]
