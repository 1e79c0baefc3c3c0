"""Motion capture from an ordinary video: the chosen person's body (and face) as a MotionClip.

One streaming pass over the frames collects the landmarks (33 body points per frame: a
10-minute video at 30 fps is ~18,000 x 33 points, a few MB; no frame is kept). Then, per shot:
resampling to a constant frame rate (phone videos have irregular timestamps; BVH has one frame
time), gap filling, zero-lag smoothing, retargeting to the skeleton, and the root's motion.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..body.skeleton import MotionClip, forward_kinematics, humanoid
from ..errors import InputError
from ..types import FaceTrack
from ..video.reader import probe, read_frames
from . import pose as P
from .retarget import retarget
from .smooth import MIN_VISIBILITY, fill_gaps, shots, smooth_track

ANALYSIS_SIDE = 960
"""Frames are analysed at most this large (pixels, longer side); Pose itself works at 256 px."""
VFR_SPREAD = 0.1
"""Frame intervals that vary by more than this fraction of their median mark a variable rate."""
CONTACT_HEIGHT = 0.05
"""Metres: a foot this close to the floor and ..."""
CONTACT_SPEED = 0.5
"""... slower than this (m/s) is planted."""
FOOT_JOINTS = ("LeftFoot", "LeftToeBase", "RightFoot", "RightToeBase")
REST_TOE_HEIGHT = 0.02  # metres above the floor of the lowest foot joint in the rest pose
SPLIT_SECONDS = 8.0
"""Videos at least this long are tracked by several processes at once (each a stretch)."""


@dataclass(frozen=True)
class Capture:
    """What a video's person did."""

    clip: MotionClip
    times: np.ndarray
    """(n_frames,) seconds of each clip frame in the video (constant steps)."""
    contact: np.ndarray
    """(n_frames, 2) bool: left / right foot planted."""
    face: FaceTrack | None
    """The performer's face parameters at the clip's frames (when asked for)."""
    hips_px: np.ndarray
    """(n_frames, 2) where the person's hip centre is in the (upright) video frame, pixels."""
    notes: tuple[str, ...] = field(default=())
    """What was handled on the way (several people, out of view, variable frame rate...)."""


def _track_span(path: str, person: int, face: bool, start: float, end: float | None,
                progress: Callable[[int, int], None] | None = None, total: int = 0) -> dict:
    """Landmarks of ``person`` on the frames of ``[start, end)`` s (one tracker; one process)."""
    tracker = P.PoseTracker(person)
    faces = None
    if face:
        from .face import FaceCapture

        faces = FaceCapture()
    times, world, image, vis, cuts = [], [], [], [], []
    empty = (np.zeros((P.N_LANDMARKS, 3), np.float32), np.zeros((P.N_LANDMARKS, 2), np.float32),
             np.zeros(P.N_LANDMARKS, np.float32))
    try:
        for fr in read_frames(path, max_side=ANALYSIS_SIDE, start=start, end=end):
            pf = tracker.process(fr.image, fr.time)
            times.append(fr.time)
            cuts.append(pf.cut)
            w, i, v = empty if pf.world is None else (pf.world, pf.image, pf.visibility)
            world.append(w)
            image.append(i)
            vis.append(v)
            if faces is not None:
                faces.process(fr.image, _head_box(pf))
            if progress is not None:
                progress(fr.index + 1, total)
    finally:
        tracker.close()
        if faces is not None:
            faces.close()
    return {"t": times, "W": world, "I": image, "V": vis, "cuts": cuts, "people": tracker.max_people,
            "rows": faces.rows if faces else None, "points": faces.points if faces else None}


def _spans(duration: float, workers: int) -> list[tuple[float, float | None]]:
    """Equal stretches of the video for ``workers`` processes (one stretch for short videos)."""
    if workers <= 1 or duration < SPLIT_SECONDS:
        return [(0.0, None)]
    edges = [duration * k / workers for k in range(workers)]
    return [(a, b) for a, b in zip(edges, edges[1:])] + [(edges[-1], None)]


def capture(path: str | os.PathLike, *, person: int = 1, face: bool = False, workers: int | None = None,
            progress: Callable[[int, int], None] | None = None) -> Capture:
    """Capture the motion of ``person`` (1 = the largest in view) in the video at ``path``.

    ``workers``: processes that track stretches of the video at once (default: the CPU count,
    at most 2; each restarts tracking at its stretch's first frame, which costs nothing visible).
    """
    info = probe(path)
    if person < 1:
        raise InputError(f"--person must be 1 or more, got {person}", "1 is the largest person in view")
    spans = _spans(info.duration, workers if workers is not None else min(2, os.cpu_count() or 1))
    if len(spans) == 1:
        parts = [_track_span(str(info.path), person, face, 0.0, None, progress, info.n_frames)]
    else:
        parts = _track_parallel(str(info.path), person, face, spans, progress, info.n_frames)
    times = [x for p in parts for x in p["t"]]
    world = [x for p in parts for x in p["W"]]
    image = [x for p in parts for x in p["I"]]
    vis = [x for p in parts for x in p["V"]]
    cuts = [x for p in parts for x in p["cuts"]]
    max_people = max(p["people"] for p in parts)
    notes: list[str] = []
    faces = None
    if face:
        from .face import face_track

        rows = [x for p in parts for x in p["rows"]]
        points = [x for p in parts for x in p["points"]]
        faces = lambda t, out_t, fps: face_track(rows, points, t, out_t, fps)  # noqa: E731
    if not times:
        raise InputError(f"{str(info.path)!r} holds no decodable frame", "re-encode or re-download the video")
    t = np.asarray(times, dtype=np.float64)
    W, I, V = np.stack(world), np.stack(image), np.stack(vis)
    present = V.max(axis=1) > 0
    if not present.any():
        raise InputError(f"no person was found in {str(info.path)!r}",
                         "use a video where one person's body is in view (head and shoulders at least)")
    if max_people > 1:
        notes.append(f"{max_people} people in view: following person {person} by size "
                     f"(1 = the largest; choose another with --person N)")
    if person > max(max_people, 1):
        raise InputError(f"--person {person} asked, but at most {max(max_people, 1)} "
                         f"{'people are' if max_people > 1 else 'person is'} in view at once",
                         "1 is the largest person in view; leave --person out for them")
    gone = (~present).sum() / max(info.fps, 1e-6)
    if gone > 0.2:
        notes.append(f"the person was out of view for {gone:.1f} s in all: the motion holds there")
    if info.rotation:
        notes.append(f"the video is stored turned by {info.rotation} degrees: turned upright")
    dt = np.diff(t)
    if dt.size > 2 and np.std(dt) > VFR_SPREAD * np.median(dt):
        notes.append(f"variable frame rate: resampled to a constant {info.fps:.2f} frames/s")
    n_cuts = int(np.sum(cuts[1:]))
    if n_cuts:
        notes.append(f"{n_cuts} shot cut{'s' if n_cuts > 1 else ''}: the motion restarts after each")
    # constant frame times, as BVH needs: from the first frame's time at the average rate
    fps = info.fps
    out_t = t[0] + np.arange(max(1, int(round((t[-1] - t[0]) * fps)) + 1)) / fps
    rot, root, contact = _solve(t, W, I, V, present, np.asarray(cuts), out_t)
    hip_px = 0.5 * (I[:, P.L_HIP] + I[:, P.R_HIP])
    seen_hips = present & (V[:, [P.L_HIP, P.R_HIP]].min(axis=1) > 0)
    hips = np.stack([np.interp(out_t, t[seen_hips], hip_px[seen_hips, c]) for c in (0, 1)], axis=1)
    clip = MotionClip(humanoid(), 1.0 / fps, root, rot)
    face_track = faces(t, out_t, fps) if faces is not None else None
    return Capture(clip, out_t - t[0], contact, face_track, hips, tuple(notes))


def _track_parallel(path, person, face, spans, progress, total) -> list[dict]:
    """:func:`_track_span` of every stretch in spawned processes, in order; progress per stretch."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: MediaPipe's graph threads must not be copied mid-run
    with ProcessPoolExecutor(len(spans), mp_context=multiprocessing.get_context("spawn"),
                             initializer=_worker_init, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(_track_span, path, person, face, a, b) for a, b in spans]
        parts, done = [], 0
        for f in futures:
            parts.append(f.result())
            done += len(parts[-1]["t"])
            if progress is not None:
                progress(done, total)
    return parts


def _worker_init(parent: int) -> None:
    from .._proc import die_with_parent

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    die_with_parent(parent)


def _head_box(pf: P.PoseFrame) -> tuple[int, int, int, int] | None:
    """A square around the chosen person's head (from nose, eyes and ears), frame pixels."""
    if pf.image is None:
        return None
    pts = pf.image[:11][pf.visibility[:11] > MIN_VISIBILITY]
    if len(pts) < 3:
        return None
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    side = 2.6 * max(x1 - x0, y1 - y0, 8.0)
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    return int(cx - side / 2), int(cy - side / 2), int(side), int(side)


def _solve(t, W, I, V, present, cuts, out_t):
    """Rotations (n, J, 3), root positions (n, 3) and foot contact (n, 2) at ``out_t``."""
    sk = humanoid()
    n = len(out_t)
    rot = np.zeros((n, len(sk), 3))
    root = np.tile(sk.joints[0].offset, (n, 1)).astype(np.float64)
    contact = np.zeros((n, 2), bool)
    seen_pt = (V >= MIN_VISIBILITY) & present[:, None]
    in_shots = shots(cuts)
    for k, si in enumerate(in_shots):
        # the clip frames of this shot: from its first frame's time to the next shot's
        a = int(np.searchsorted(out_t, t[si.start] - 1e-9)) if k else 0
        b = int(np.searchsorted(out_t, t[in_shots[k + 1].start] - 1e-9)) if k + 1 < len(in_shots) else n
        so = slice(a, b)
        ts, ws, ims, seen = t[si], W[si], I[si], seen_pt[si]
        if b <= a:
            continue
        if len(ts) < 1 or not seen.any():
            continue
        filled = np.empty((len(ts), P.N_LANDMARKS, 3))
        img = np.empty((len(ts), P.N_LANDMARKS, 2))
        for j in range(P.N_LANDMARKS):
            filled[:, j] = fill_gaps(ws[:, j], seen[:, j], ts)
            img[:, j] = fill_gaps(ims[:, j], seen[:, j], ts)
        ever = seen.any(axis=0)
        filled = np.nan_to_num(filled)
        img = np.nan_to_num(img)
        tt = out_t[so]
        res = np.stack([np.stack([np.interp(tt, ts, filled[:, j, c]) for c in range(3)], -1)
                        for j in range(P.N_LANDMARKS)], axis=1)
        res_img = np.stack([np.stack([np.interp(tt, ts, img[:, j, c]) for c in range(2)], -1)
                            for j in range(P.N_LANDMARKS)], axis=1)
        if len(tt) > 2:
            res = smooth_track(res, tt)
            res_img = smooth_track(res_img, tt)
        rot[so] = retarget(res, ever, sk)
        root[so], contact[so] = _root(res, res_img, ever, rot[so], tt)
    return rot, root, contact


def _root(world, img, ever, rot, tt):
    """Root positions: sideways and vertical from the image (scaled to metres by the torso),
    height from the feet standing on the floor when the legs are seen; foot contact."""
    sk = humanoid()
    if ever[[P.L_HIP, P.R_HIP]].all():  # the hip centre, scaled by the torso's length
        a, b = (P.L_HIP, P.R_HIP), (P.L_SHOULDER, P.R_SHOULDER)
        ref_i = 0.5 * (img[:, a[0]] + img[:, a[1]])
        size_m = np.linalg.norm(0.5 * (world[:, b[0]] + world[:, b[1]]) - 0.5 * (world[:, a[0]] + world[:, a[1]]), axis=1)
        size_px = np.linalg.norm(0.5 * (img[:, b[0]] + img[:, b[1]]) - ref_i, axis=1)
    else:  # hips out of view: the shoulders' centre, scaled by the shoulders' width
        ref_i = 0.5 * (img[:, P.L_SHOULDER] + img[:, P.R_SHOULDER])
        size_m = np.linalg.norm(world[:, P.L_SHOULDER] - world[:, P.R_SHOULDER], axis=1)
        size_px = np.linalg.norm(img[:, P.L_SHOULDER] - img[:, P.R_SHOULDER], axis=1)
    scale = float(np.median(size_m / np.maximum(size_px, 1e-6)))  # metres per pixel
    root = np.tile(sk.joints[0].offset, (len(tt), 1)).astype(np.float64)
    root[:, 0] = (ref_i[:, 0] - ref_i[0, 0]) * scale
    legs = ever[[P.L_HIP, P.L_KNEE, P.L_ANKLE, P.R_HIP, P.R_KNEE, P.R_ANKLE]].all()
    contact = np.zeros((len(tt), 2), bool)
    if not legs:  # half-body video: the image's vertical motion alone
        root[:, 1] -= (ref_i[:, 1] - ref_i[0, 1]) * scale
        return root, contact
    probe_clip = MotionClip(sk, 1.0 / 30, np.zeros_like(root), rot)
    pos, _ = forward_kinematics(probe_clip)
    feet = pos[:, [sk.index[j] for j in FOOT_JOINTS], 1]
    root[:, 1] = -feet.min(axis=1) + REST_TOE_HEIGHT  # the lowest foot joint stands on the floor
    height = feet + root[:, 1:2]
    dt = np.gradient(tt) if len(tt) > 1 else np.ones(1)
    for side in (0, 1):
        h = height[:, 2 * side:2 * side + 2].min(axis=1)
        p = pos[:, sk.index[FOOT_JOINTS[2 * side]]] + root
        v = np.linalg.norm(np.gradient(p, axis=0), axis=1) / dt if len(tt) > 1 else np.zeros(1)
        contact[:, side] = (h < CONTACT_HEIGHT + REST_TOE_HEIGHT) & (v < CONTACT_SPEED)
    return root, contact
