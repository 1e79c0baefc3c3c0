"""digihuman: a digital human from one photo and a voice, offline on a CPU.

Library first, CLI second::

    import digihuman
    digihuman.say("Hello! I'm a digital human.", "hello.mp4")
    store = digihuman.PersonaStore()
    alice = store.create("alice", "alice.jpg")
    digihuman.say("Nice to meet you.", "alice.mp4", alice, options=digihuman.SayOptions(size=1024))

Heavy modules (models, OpenCV, PyAV) load on first use, not on import.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Persona", "PersonaStore", "SayOptions", "SayResult", "lipsync_audio", "say", "speak", "__version__"]

_LAZY = {
    "Persona": "digihuman.persona",
    "PersonaStore": "digihuman.persona",
    "SayOptions": "digihuman.pipeline",
    "SayResult": "digihuman.pipeline",
    "say": "digihuman.pipeline",
    "speak": "digihuman.pipeline",
    "lipsync_audio": "digihuman.pipeline",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'digihuman' has no attribute {name!r}")
