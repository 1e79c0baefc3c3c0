"""A motion clip played at another frame rate and length (``say --motion``, ``imitate``)."""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .skeleton import MotionClip, humanoid


def retime(clip: MotionClip, fps: float, n_frames: int, *, loop: bool = True) -> MotionClip:
    """``clip`` resampled to ``fps`` for ``n_frames`` frames: linear in time, the root too;
    a shorter clip loops (``loop``) or holds its last pose."""
    t_in = np.arange(clip.n_frames) * clip.frame_time
    t_out = np.arange(n_frames) / fps
    if loop and clip.n_frames > 1:
        t_out = np.mod(t_out, t_in[-1] + clip.frame_time)
    t_out = np.minimum(t_out, t_in[-1])
    flat = clip.rotations.reshape(clip.n_frames, -1)
    # unwrapped first, so a joint passing +-180 degrees turns the short way
    flat = np.degrees(np.unwrap(np.radians(flat), axis=0))
    rot = np.stack([np.interp(t_out, t_in, flat[:, k]) for k in range(flat.shape[1])], axis=1)
    root = np.stack([np.interp(t_out, t_in, clip.root_position[:, c]) for c in range(3)], axis=1)
    return MotionClip(clip.skeleton, 1.0 / fps, root, rot.reshape(n_frames, *clip.rotations.shape[1:]))


def check_humanoid(clip: MotionClip, source: str) -> MotionClip:
    """``clip`` if it animates the project's humanoid (the skeleton of ``gesture`` and ``mocap``)."""
    want = humanoid().names
    if clip.skeleton.names != want:
        missing = [n for n in want if n not in clip.skeleton.names][:6]
        raise InputError(f"{source} animates another skeleton (missing {', '.join(missing) or 'the same joint order'})",
                         "use a BVH written by 'digihuman mocap' or 'digihuman gesture'")
    return clip
