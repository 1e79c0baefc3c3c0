"""Process helpers shared by the server's render processes and batch workers."""

from __future__ import annotations

import os
import threading


def die_with_parent(parent: int, every: float = 0.5) -> None:
    """In a worker process: exit as soon as the process that started it (a server, a batch) is gone.

    A ``kill -9`` of the parent runs no clean-up, and pool workers blocked on their task queue
    kept rendering and holding memory for minutes. A watchdog thread polls the parent id (it
    changes when the parent dies and the worker is re-parented); prctl(PR_SET_PDEATHSIG) is not
    used because it fires when the *thread* that spawned the worker ends, not the process.
    """
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
