"""The one humanoid skeleton of the project and the motion clip that animates it.

Conventions (shared by gestures, BVH/glTF export and motion capture):

* Units: **metres**. World axes: **Y up, Z forward** (the character faces +Z, towards the
  viewer), **X to the character's left** (right-handed). Rest pose: a **T-pose**, arms
  straight out along +-X, palms down, fingers along the arm.
* A joint's ``offset`` is its rest position relative to its parent (the root's is its rest
  position above the floor; the floor is y = 0).
* Rotations are local (relative to the parent, in the parent's rest frame), Euler angles in
  **degrees**, stored as ``(rx, ry, rz)`` and composed in the order :data:`ROTATION_ORDER`
  ``"ZXY"``: ``R_local = Rz(rz) @ Rx(rx) @ Ry(ry)`` acting on column vectors, which is what the
  BVH channel list ``Zrotation Xrotation Yrotation`` means. A joint's world transform is
  ``W_parent @ T(offset) @ R_local``.
* Joint limits bound each Euler component (degrees). Right-side limits mirror the left's
  (a mirror in x = 0 keeps rx and negates ry and rz).

Names follow the Mixamo/Unity convention (``Hips``, ``LeftArm``, ``LeftForeArm`` ...), which
Blender's and three.js's retargeting tools recognise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

ROTATION_ORDER = "ZXY"
"""Euler composition order of :attr:`MotionClip.rotations` (and the BVH channel order)."""

Limits = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]
FREE: Limits = ((-180.0, 180.0),) * 3


@dataclass(frozen=True)
class Joint:
    """One joint of the hierarchy."""

    name: str
    parent: int
    """Index of the parent joint in :attr:`Skeleton.joints` (-1 for the root)."""
    offset: tuple[float, float, float]
    """Rest position relative to the parent, metres."""
    limits: Limits = FREE
    """((rx_min, rx_max), (ry_min, ry_max), (rz_min, rz_max)) in degrees."""
    end: tuple[float, float, float] | None = None
    """End-site offset (metres) for a leaf joint: where the bone ends (finger tip, head top)."""


@dataclass(frozen=True)
class Skeleton:
    """A joint hierarchy in rest pose; parents always come before their children."""

    joints: tuple[Joint, ...]
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "index", {j.name: i for i, j in enumerate(self.joints)})
        for i, j in enumerate(self.joints):
            if not (j.parent < i and (j.parent >= 0 or i == 0)):
                raise ValueError(f"joint {j.name!r}: parent must come first and only the root has none")

    def __len__(self) -> int:
        return len(self.joints)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(j.name for j in self.joints)

    @property
    def offsets(self) -> np.ndarray:
        """(J, 3) rest offsets in metres."""
        return np.array([j.offset for j in self.joints], dtype=np.float64)

    @property
    def parents(self) -> np.ndarray:
        return np.array([j.parent for j in self.joints], dtype=np.int64)

    def limit_array(self) -> np.ndarray:
        """(J, 3, 2) min/max degrees per joint and Euler component (x, y, z)."""
        return np.array([j.limits for j in self.joints], dtype=np.float64)

    def children(self, i: int) -> list[int]:
        return [k for k, j in enumerate(self.joints) if j.parent == i]

    def rest_positions(self) -> np.ndarray:
        """(J, 3) world positions of the joints in the rest pose (metres)."""
        out = np.zeros((len(self), 3))
        for i, j in enumerate(self.joints):
            out[i] = np.asarray(j.offset) + (out[j.parent] if j.parent >= 0 else 0.0)
        return out


@dataclass(frozen=True)
class MotionClip:
    """Skeletal animation sampled at a constant rate."""

    skeleton: Skeleton
    frame_time: float
    """Seconds between frames (1 / fps)."""
    root_position: np.ndarray
    """(n_frames, 3) world position of the root joint (Hips) in metres."""
    rotations: np.ndarray
    """(n_frames, n_joints, 3) local Euler angles (rx, ry, rz) in degrees, composed in
    :data:`ROTATION_ORDER`; the root's is its world orientation."""

    def __post_init__(self):
        n = self.rotations.shape[0]
        if self.rotations.shape != (n, len(self.skeleton), 3) or self.root_position.shape != (n, 3):
            raise ValueError(f"clip arrays do not match the skeleton ({len(self.skeleton)} joints): "
                             f"rotations {self.rotations.shape}, root {self.root_position.shape}")
        if not self.frame_time > 0:
            raise ValueError("frame_time must be positive (seconds)")

    @property
    def n_frames(self) -> int:
        return int(self.rotations.shape[0])

    @property
    def fps(self) -> float:
        return 1.0 / self.frame_time

    @property
    def duration(self) -> float:
        return self.n_frames * self.frame_time

    def joint(self, name: str) -> np.ndarray:
        """(n_frames, 3) Euler angles of one joint."""
        return self.rotations[:, self.skeleton.index[name]]

    @staticmethod
    def rest(skeleton: Skeleton, n_frames: int, fps: float) -> "MotionClip":
        """A clip that holds the rest pose."""
        root = np.tile(skeleton.joints[0].offset, (n_frames, 1)).astype(np.float64)
        return MotionClip(skeleton, 1.0 / fps, root, np.zeros((n_frames, len(skeleton), 3)))


# ---- rotations -------------------------------------------------------------------------------

def _axis(angle: np.ndarray, axis: int) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    m = np.zeros(angle.shape + (3, 3))
    a, b = [(1, 2), (2, 0), (0, 1)][axis]
    m[..., axis, axis] = 1.0
    m[..., a, a] = c
    m[..., b, b] = c
    m[..., a, b] = -s
    m[..., b, a] = s
    return m


def euler_to_matrix(euler_deg: np.ndarray) -> np.ndarray:
    """(..., 3) Euler (rx, ry, rz) degrees -> (..., 3, 3) matrices ``Rz @ Rx @ Ry``."""
    e = np.radians(np.asarray(euler_deg, dtype=np.float64))
    return _axis(e[..., 2], 2) @ _axis(e[..., 0], 0) @ _axis(e[..., 1], 1)


def matrix_to_euler(m: np.ndarray) -> np.ndarray:
    """(..., 3, 3) rotation matrices -> (..., 3) Euler (rx, ry, rz) degrees with ``Rz @ Rx @ Ry``.

    rx is in [-90, 90]; at the gimbal lock (|rx| = 90) ry is set to 0.
    """
    m = np.asarray(m, dtype=np.float64)
    # R = Rz Rx Ry: R[2,1] = sin(rx); R[2,0] = -cos(rx) sin(ry); R[2,2] = cos(rx) cos(ry);
    # R[0,1] = -sin(rz) cos(rx); R[1,1] = cos(rz) cos(rx)
    rx = np.arcsin(np.clip(m[..., 2, 1], -1.0, 1.0))
    lock = np.abs(m[..., 2, 1]) > 1.0 - 1e-9
    ry = np.where(lock, 0.0, np.arctan2(-m[..., 2, 0], m[..., 2, 2]))
    rz = np.where(lock, np.arctan2(m[..., 1, 0], m[..., 0, 0]), np.arctan2(-m[..., 0, 1], m[..., 1, 1]))
    return np.degrees(np.stack([rx, ry, rz], axis=-1))


def forward_kinematics(clip: MotionClip) -> tuple[np.ndarray, np.ndarray]:
    """World joint positions (n, J, 3) in metres and world rotations (n, J, 3, 3) of every frame."""
    sk = clip.skeleton
    local = euler_to_matrix(clip.rotations)
    n, nj = clip.n_frames, len(sk)
    pos = np.zeros((n, nj, 3))
    rot = np.zeros((n, nj, 3, 3))
    offsets = sk.offsets
    for i, j in enumerate(sk.joints):
        if j.parent < 0:
            pos[:, i] = clip.root_position
            rot[:, i] = local[:, i]
        else:
            p = j.parent
            pos[:, i] = pos[:, p] + rot[:, p] @ offsets[i]
            rot[:, i] = rot[:, p] @ local[:, i]
    return pos, rot


def clip_from_world_rotations(skeleton: Skeleton, frame_time: float, root_position: np.ndarray,
                              world_rotations: np.ndarray) -> MotionClip:
    """The clip whose :func:`forward_kinematics` gives ``world_rotations`` (n, J, 3, 3): each
    joint's local rotation is ``W_parent.T @ W_joint`` (e.g. from bone directions measured by
    motion capture). Angles are not clipped to the joint limits; see :func:`clamp_to_limits`."""
    w = np.asarray(world_rotations, dtype=np.float64)
    local = w.copy()
    for i, j in enumerate(skeleton.joints):
        if j.parent >= 0:
            local[:, i] = np.swapaxes(w[:, j.parent], -1, -2) @ w[:, i]
    return MotionClip(skeleton, frame_time, np.asarray(root_position, dtype=np.float64), matrix_to_euler(local))


def limit_violations(clip: MotionClip, tol: float = 1e-6) -> list[tuple[int, str, int, float]]:
    """Every (frame, joint, axis 0-2, degrees past the limit) where a joint limit is broken."""
    lim = clip.skeleton.limit_array()
    r = clip.rotations
    over = np.maximum(r - lim[None, :, :, 1], lim[None, :, :, 0] - r)
    bad = np.argwhere(over > tol)
    names = clip.skeleton.names
    return [(int(f), names[j], int(a), float(over[f, j, a])) for f, j, a in bad]


def clamp_to_limits(rotations: np.ndarray, skeleton: Skeleton) -> np.ndarray:
    """``rotations`` (n, J, 3) clipped into the skeleton's joint limits."""
    lim = skeleton.limit_array()
    return np.clip(rotations, lim[None, :, :, 0], lim[None, :, :, 1])


# ---- the standard humanoid -------------------------------------------------------------------

def _mirror(limits: Limits) -> Limits:
    (x0, x1), (y0, y1), (z0, z1) = limits
    return ((x0, x1), (-y1, -y0), (-z1, -z0))


# Left-side limits in degrees (x, y, z). For a left arm bone along +X in the T-pose:
# rz raises (+) / lowers (-) it in the frontal plane (-90 = hanging at the side), ry swings it
# backwards (+) / forwards (-) and, once lowered, rx twists it about its own length.
_L = {
    "Shoulder": ((-15, 15), (-20, 15), (-15, 30)),
    "Arm": ((-90, 90), (-100, 45), (-100, 100)),
    "ForeArm": ((-90, 90), (-150, 0), (-5, 5)),      # elbow: flexion is -ry (forearm swings to +Z)
    "Hand": ((-80, 80), (-30, 30), (-70, 70)),
    "UpLeg": ((-120, 30), (-45, 45), (-30, 45)),       # hip: flexion is -rx, abduction +rz
    "Leg": ((0, 150), (-5, 5), (-5, 5)),               # knee: flexion is +rx (shin swings to -Z)
    "Foot": ((-45, 30), (-20, 20), (-20, 20)),
    "ToeBase": ((-40, 40), (-5, 5), (-5, 5)),
    "finger": ((-10, 10), (-20, 20), (-95, 10)),       # curl towards the palm (-Y) is -rz, spread ry
    "Thumb": ((-40, 40), (-40, 40), (-60, 30)),
}
_SPINE: Limits = ((-30, 45), (-30, 30), (-25, 25))     # +rx bends forward
_NECK: Limits = ((-40, 50), (-70, 70), (-40, 40))      # +rx nods down, ry turns, rz tilts


def _side(prefix: str, sign: float, part: str) -> list[tuple[str, str, tuple[float, float, float], Limits, tuple | None]]:
    """The arm (``part="arm"``) or leg chain of one side, as (name, parent name, offset, limits, end)."""
    def o(x, y, z):
        return (sign * x, y, z)

    def lim(key):
        return _L[key] if sign > 0 else _mirror(_L[key])

    p = prefix
    out = [
        (f"{p}Shoulder", "Spine2", o(0.035, 0.10, 0.0), lim("Shoulder"), None),
        (f"{p}Arm", f"{p}Shoulder", o(0.145, 0.0, 0.0), lim("Arm"), None),
        (f"{p}ForeArm", f"{p}Arm", o(0.28, 0.0, 0.0), lim("ForeArm"), None),
        (f"{p}Hand", f"{p}ForeArm", o(0.255, 0.0, 0.0), lim("Hand"), None),
    ]
    # fingers: (name, base offset from the hand, phalanx lengths); thumb points forward (+Z)
    fingers = [
        ("Thumb", (0.025, -0.01, 0.03), (0.035, 0.03, 0.025)),
        ("Index", (0.09, 0.0, 0.025), (0.045, 0.025, 0.02)),
        ("Middle", (0.095, 0.0, 0.005), (0.05, 0.03, 0.022)),
        ("Ring", (0.09, 0.0, -0.015), (0.045, 0.028, 0.02)),
        ("Pinky", (0.08, 0.0, -0.033), (0.035, 0.02, 0.018)),
    ]
    for fname, base, lengths in fingers:
        key = "Thumb" if fname == "Thumb" else "finger"
        parent = f"{p}Hand"
        offs = [base, (lengths[0], 0, 0), (lengths[1], 0, 0)]
        for k in range(3):
            name = f"{p}Hand{fname}{k + 1}"
            end = o(lengths[2], 0.0, 0.0) if k == 2 else None
            out.append((name, parent, o(*offs[k]), lim(key), end))
            parent = name
    if part == "arm":
        return out
    out = [
        (f"{p}UpLeg", "Hips", o(0.09, -0.06, 0.0), lim("UpLeg"), None),
        (f"{p}Leg", f"{p}UpLeg", o(0.0, -0.43, 0.0), lim("Leg"), None),
        (f"{p}Foot", f"{p}Leg", o(0.0, -0.42, 0.0), lim("Foot"), None),
        (f"{p}ToeBase", f"{p}Foot", o(0.0, -0.07, 0.13), lim("ToeBase"), (0.0, 0.0, 0.06)),
    ]
    return out


@lru_cache(maxsize=1)
def humanoid() -> Skeleton:
    """The standard 1.76 m humanoid (52 joints: 22 for the body, 15 finger joints per hand) in a T-pose."""
    spec: list[tuple[str, str | None, tuple, Limits, tuple | None]] = [
        ("Hips", None, (0.0, 1.00, 0.0), FREE, None),
        ("Spine", "Hips", (0.0, 0.10, 0.0), _SPINE, None),
        ("Spine1", "Spine", (0.0, 0.12, 0.0), _SPINE, None),
        ("Spine2", "Spine1", (0.0, 0.12, 0.0), _SPINE, None),
        ("Neck", "Spine2", (0.0, 0.15, 0.0), _NECK, None),
        ("Head", "Neck", (0.0, 0.09, 0.02), _NECK, (0.0, 0.18, 0.0)),
    ]
    # depth-first order (as a BVH file lists them), so a written and re-read clip keeps its indices
    spec += _side("Left", 1.0, "arm") + _side("Right", -1.0, "arm")
    spec += _side("Left", 1.0, "leg") + _side("Right", -1.0, "leg")
    names = [s[0] for s in spec]
    joints = tuple(Joint(n, names.index(par) if par else -1, tuple(float(v) for v in off),
                         tuple(tuple(float(v) for v in ax) for ax in lim),
                         tuple(float(v) for v in end) if end else None)
                   for n, par, off, lim, end in spec)
    return Skeleton(joints)
