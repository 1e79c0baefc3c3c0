"""The browser chat server: a REST API over the library and a live WebSocket chat.

``create_app`` builds the FastAPI app; ``digihuman serve`` runs it with uvicorn on 127.0.0.1.
The live protocol is documented in :mod:`digihuman.server.live`.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
