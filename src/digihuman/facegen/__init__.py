"""Virtual faces: a person who does not exist, morphed from two or more photos.

``create_face(["a.jpg", "b.jpg"], weights=[0.6, 0.4], features={"eyes": "b"})`` returns a
:class:`~digihuman.facegen.morph.FaceBlend`; :func:`save_face` writes it as a PNG that carries a
``digihuman:synthetic`` text chunk (sources, weights), which :func:`synthetic_marker` reads back
(``persona create`` records it in the persona).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from ..errors import FaceError, InputError
from .morph import REGIONS, FaceBlend, Source, blend_faces

MARKER_KEY = "digihuman:synthetic"
MAX_SOURCES = 6
BALANCE_STEPS = (0.08, 0.16, 0.24)
"""Weight moved away from the most resembled source, tried in turn when no --weights are given."""
BALANCE_MARGIN = 0.03

__all__ = ["FaceBlend", "REGIONS", "create_face", "parse_features", "save_face", "synthetic_marker"]


def _source_index(key: str, names: list[str]) -> int:
    """A source named by its 1-based position or by its file name / stem."""
    if key.isdigit() and 1 <= int(key) <= len(names):
        return int(key) - 1
    hits = [i for i, n in enumerate(names) if key in (n, Path(n).name, Path(n).stem)]
    if len(hits) != 1:
        raise InputError(f"--features names source {key!r}, which is {'ambiguous' if hits else 'not one of the sources'}",
                         "name a source by its position (1, 2, ...) or its file name without extension: "
                         + ", ".join(Path(n).stem for n in names))
    return hits[0]


def parse_features(spec: str | dict | None, names: list[str]) -> dict[str, int]:
    """``"eyes=a,mouth=2"`` -> {"eyes": 0, "mouth": 1}: regions taken from a single source."""
    if not spec:
        return {}
    items = spec.items() if isinstance(spec, dict) else (
        part.split("=", 1) if "=" in part else (part, "") for part in str(spec).split(",") if part.strip())
    out = {}
    for region, src in items:
        region, src = region.strip().lower(), str(src).strip()
        if region in ("face", "face_shape", "outline"):
            region = "shape"
        if region not in REGIONS:
            raise InputError(f"unknown face region {region!r}", "regions: " + ", ".join(REGIONS))
        if not src:
            raise InputError(f"--features {region}= needs a source", "e.g. --features eyes=a,mouth=b")
        out[region] = _source_index(src, names)
    return out


def _weights(weights, n: int, notes: list[str]) -> np.ndarray:
    if weights is None:
        return np.full(n, 1.0 / n)
    w = np.array([float(x) for x in weights], dtype=np.float64)
    if len(w) != n:
        raise InputError(f"{len(w)} weights for {n} source photos", "give one weight per photo, e.g. --weights 0.6,0.4")
    if not np.all(np.isfinite(w)) or (w < 0).any() or w.sum() <= 0:
        raise InputError("weights must be zero or positive numbers, at least one above zero",
                         "e.g. --weights 0.6,0.4")
    if abs(w.sum() - 1.0) > 1e-3:
        notes.append(f"weights summed to {w.sum():g}; scaled to " + ",".join(f"{x:.3g}" for x in w / w.sum()))
    return w / w.sum()


def create_face(photos: list, weights=None, features=None, base: int = 0,
                check_identity: bool = True) -> FaceBlend:
    """A new face from ``photos`` (paths, or (name, RGB array) pairs); see :mod:`.morph`."""
    from ..face.landmarks import analyze_face
    from ..persona.photo import load_photo

    if len(photos) < 2:
        raise InputError("a virtual face needs at least two source photos", "e.g. --from a.jpg b.jpg")
    if len(photos) > MAX_SOURCES:
        raise InputError(f"{len(photos)} source photos; at most {MAX_SOURCES}", "choose fewer photos")
    notes: list[str] = []
    sources: list[Source] = []
    names = []
    for item in photos:
        name, img = (str(item), load_photo(item)) if not isinstance(item, tuple) else item
        try:
            fa = analyze_face(img)
        except FaceError as exc:
            raise FaceError(f"{name}: {exc.message}", exc.hint) from exc
        sources.append(Source(name, np.asarray(img)[:, :, :3], fa.landmarks))
        names.append(name)
    if not 0 <= base < len(sources):
        raise InputError(f"base {base + 1} is not one of the {len(sources)} sources", "e.g. --base 1")
    w = _weights(weights, len(sources), notes)
    chosen = parse_features(features, names)

    def blend(wv: np.ndarray) -> FaceBlend:
        per_region = {r: wv.copy() for r in REGIONS}
        for region, idx in chosen.items():
            one = np.zeros(len(sources))
            one[idx] = 1.0
            per_region[region] = one
        return blend_faces(sources, per_region, base)

    if not check_identity:
        res = blend(w)
        return FaceBlend(res.image, res.landmarks, res.weights, tuple(notes + list(res.notes)))
    from .measure import NEW_PERSON, descriptor, identity_distance

    src_d = [descriptor(s.image) for s in sources]

    def distances(img: np.ndarray) -> list[float]:
        d_new = descriptor(img)
        return [identity_distance(d_new, d) for d in src_d] if d_new is not None else []

    res = blend(w)
    dists = distances(res.image)
    if weights is None and dists and min(dists) < NEW_PERSON + BALANCE_MARGIN:
        # no weights asked for: shift a little weight away from the source the face resembles most,
        # so that it stays a new person (at most MAX_SHIFT of the total, in steps)
        best = (min(dists), res, w, dists)
        for step in BALANCE_STEPS:
            near = int(np.argmin(best[3]))
            wv = w.copy()
            wv[near] = max(0.0, wv[near] - step)
            wv /= wv.sum()
            cand = blend(wv)
            dd = distances(cand.image)
            if dd and min(dd) > best[0]:
                best = (min(dd), cand, wv, dd)
            if best[0] >= NEW_PERSON + BALANCE_MARGIN:
                break
        if best[1] is not res:
            res, dists = best[1], best[3]
            notes.append("weights set to " + ",".join(f"{x:.2f}" for x in best[2])
                         + " (from equal) so the face stays a new person")
    notes += res.notes
    if not dists:
        notes.append("the face recogniser finds no face in the result: check it before use")
    for s, d in zip(sources, dists):
        if d < NEW_PERSON:
            notes.append(f"the new face is close to {s.name} (identity distance {d:.2f} < {NEW_PERSON}): "
                         "it may be recognised as that person; lower its weight")
    return FaceBlend(res.image, res.landmarks, res.weights, tuple(notes))


def _sha256(path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (OSError, TypeError):
        return None


def save_face(face: FaceBlend, path: str | os.PathLike, sources: list | None = None) -> Path:
    """Write ``face`` as a PNG (atomically) with a ``digihuman:synthetic`` marker."""
    from PIL import Image, PngImagePlugin

    from .._fs import atomic_path, check_writable

    out = check_writable(path, suffixes=(".png",))
    info = PngImagePlugin.PngInfo()
    meta = {"synthetic": True, "method": "digihuman face create (landmark morph)",
            "weights": face.weights,
            "sources": [{"name": Path(str(s)).name, "sha256": _sha256(s)} for s in (sources or [])]}
    info.add_text(MARKER_KEY, json.dumps(meta, ensure_ascii=False))
    with atomic_path(out) as tmp:
        Image.fromarray(face.image).save(tmp, format="PNG", pnginfo=info)
    return out


def synthetic_marker(path: str | os.PathLike) -> dict | None:
    """The marker :func:`save_face` wrote, or None (not a digihuman virtual face / unreadable)."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            raw = im.info.get(MARKER_KEY) or getattr(im, "text", {}).get(MARKER_KEY)
    except (OSError, ValueError):
        return None
    if not raw:
        return None
    try:
        meta = json.loads(raw)
    except ValueError:
        return None
    return meta if isinstance(meta, dict) and meta.get("synthetic") else None
