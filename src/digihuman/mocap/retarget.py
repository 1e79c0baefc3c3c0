"""Pose landmarks (metres, skeleton axes) -> local joint rotations of the project's humanoid.

Each body segment gets a world frame from the landmarks: the pelvis from the hips and the
shoulders, the chest from the shoulders, the head from the ears and the eyes, every limb bone
from its two end points plus the direction the next bone bends to. The skeleton's rest pose is
a T-pose with identity rotations (``body/skeleton.py``), so a joint's local rotation is simply
``W_parent^T @ W_joint``. Hinges are built as hinges: the elbow shares the upper arm's hinge
axis and the knee the thigh's, so their rotations are pure flexion, as the joint limits expect.

When a limb is almost straight the bend direction is undefined; it then slides towards the
previous frame's, so the limb never flips about its own length. Landmarks never seen in a shot
(legs out of frame in a half-body video) leave that limb in a relaxed rest pose.
"""

from __future__ import annotations

import numpy as np

from ..body.skeleton import Skeleton, clamp_to_limits, humanoid, matrix_to_euler
from . import pose as P

STRAIGHT = 0.25
"""Length of the bend vector's perpendicular part (fraction of the bone) below which the
previous frame's bend direction takes over (about 15 degrees of flexion)."""
RELAXED_ARM_DEG = -75.0
"""rz of an arm that was never seen: hanging at the side rather than a T-pose."""


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def _orth(v: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """``v`` without its component along the unit ``axis``, normalised."""
    return _unit(v - np.sum(v * axis, axis=-1, keepdims=True) * axis)


def _cols(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    return np.stack([x, y, z], axis=-1)


def _frame_x(x: np.ndarray, y_hint: np.ndarray) -> np.ndarray:
    """A frame whose x axis is ``x`` and whose y axis is as near ``y_hint`` as possible."""
    x = _unit(x)
    y = _orth(y_hint, x)
    return _cols(x, y, np.cross(x, y))


def _split(rel: np.ndarray, parts: int) -> np.ndarray:
    """The rotation that, applied ``parts`` times, gives ``rel`` (n, 3, 3): same axis, angle / parts."""
    import cv2

    out = np.empty_like(rel)
    for i, m in enumerate(rel):
        vec, _ = cv2.Rodrigues(m)
        out[i], _ = cv2.Rodrigues(vec / parts)
    return out


def _bend_axes(bone: np.ndarray, nxt: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Unit bend directions (n, 3) perpendicular to ``bone``, continuous over frames."""
    b = _unit(bone)
    perp = nxt - np.sum(nxt * b, axis=-1, keepdims=True) * b
    size = np.linalg.norm(perp, axis=-1) / np.maximum(np.linalg.norm(nxt, axis=-1), 1e-9)
    out = np.empty_like(b)
    prev = _orth(fallback[0], b[0])
    for i in range(len(b)):
        w = min(1.0, float(size[i]) / STRAIGHT)
        cand = _orth(prev, b[i])
        if w > 0:
            d = perp[i] / max(np.linalg.norm(perp[i]), 1e-9)
            cand = _orth(w * d + (1 - w) * cand, b[i])
        out[i] = prev = cand
    return out


def _arm(world_parent: np.ndarray, sh, el, wr, idx, pky, sign: float):
    """World frames of upper arm, forearm and hand of one side (``sign`` +1 left, -1 right)."""
    bone = el - sh
    bend = _bend_axes(bone, wr - el, world_parent[:, :, 2])  # default: bends forwards
    x = sign * _unit(bone)
    z = _orth(bend, x)
    arm = _cols(x, np.cross(z, x), z)
    y = arm[:, :, 1]  # the elbow hinge
    x2 = _orth(sign * (wr - el), y)
    fore = _cols(x2, y, np.cross(x2, y))
    hand_dir = 0.5 * (idx + pky) - wr
    x3 = sign * _unit(hand_dir)
    z3 = _orth(idx - pky, x3)
    hand = _cols(x3, np.cross(z3, x3), z3)
    return arm, fore, hand


def _leg(pelvis: np.ndarray, hip, knee, ankle, heel, toe):
    """World frames of thigh, shin and foot (the knee bends backwards: the shin goes to -z)."""
    bone = knee - hip
    bend = _bend_axes(bone, ankle - knee, -pelvis[:, :, 2])
    y = -_unit(bone)
    z = _orth(-bend, y)
    thigh = _cols(np.cross(y, z), y, z)
    x = thigh[:, :, 0]  # the knee hinge
    y2 = _orth(-(ankle - knee), x)
    shin = _cols(x, y2, np.cross(x, y2))
    z3 = _unit(toe - heel)
    x3 = _orth(x, z3)
    foot = _cols(x3, np.cross(z3, x3), z3)
    return thigh, shin, foot


def _local(parent: np.ndarray, child: np.ndarray) -> np.ndarray:
    return np.einsum("nji,njk->nik", parent, child)


def retarget(world: np.ndarray, seen: np.ndarray, skeleton: Skeleton | None = None) -> np.ndarray:
    """Local Euler rotations (n, J, 3) degrees for landmark tracks ``world`` (n, 33, 3).

    ``seen`` (33,): landmarks that were seen at least once in this stretch; limbs whose points
    were never seen keep a relaxed rest pose. Results are unwrapped over time (no 360-degree
    jumps) and clamped into the joint limits.
    """
    sk = skeleton or humanoid()
    n = len(world)
    ix = sk.index
    rot = np.zeros((n, len(sk), 3))
    L = lambda i: world[:, i]  # noqa: E731
    mid_hip = 0.5 * (L(P.L_HIP) + L(P.R_HIP))
    mid_sh = 0.5 * (L(P.L_SHOULDER) + L(P.R_SHOULDER))
    if seen[[P.L_HIP, P.R_HIP]].all():
        up = mid_sh - mid_hip
        pelvis = _frame_x(L(P.L_HIP) - L(P.R_HIP), up)
    else:  # a head-and-shoulders shot: the hips are guesses; the pelvis stays upright, facing the chest
        up = np.broadcast_to([0.0, 1.0, 0.0], mid_sh.shape)
        pelvis = _frame_x(_orth(L(P.L_SHOULDER) - L(P.R_SHOULDER), up), up)
    chest = _frame_x(L(P.L_SHOULDER) - L(P.R_SHOULDER), up)
    mats: dict[str, np.ndarray] = {"Hips": pelvis}
    spine = _split(_local(pelvis, chest), 3)
    for name in ("Spine", "Spine1", "Spine2"):
        mats[name] = spine
    if seen[[P.L_EAR, P.R_EAR, 2, 5]].all():
        mid_ear = 0.5 * (L(P.L_EAR) + L(P.R_EAR))
        mid_eye = 0.5 * (L(2) + L(5))  # 2, 5: the left and right eye centres
        x = _unit(L(P.L_EAR) - L(P.R_EAR))
        z = _orth(mid_eye - mid_ear, x)
        head = _cols(x, np.cross(z, x), z)
        neck = _split(_local(chest, head), 2)
        mats["Neck"] = mats["Head"] = neck
    for side, sign, (sh, el, wr, pk, ix_) in (
            ("Left", 1.0, (P.L_SHOULDER, P.L_ELBOW, P.L_WRIST, P.L_PINKY, P.L_INDEX)),
            ("Right", -1.0, (P.R_SHOULDER, P.R_ELBOW, P.R_WRIST, P.R_PINKY, P.R_INDEX))):
        if seen[[sh, el, wr]].all():
            arm, fore, hand = _arm(chest, L(sh), L(el), L(wr), L(ix_), L(pk), sign)
            mats[f"{side}Arm"] = _local(chest, arm)
            mats[f"{side}ForeArm"] = _local(arm, fore)
            if seen[[pk, ix_]].all():
                mats[f"{side}Hand"] = _local(fore, hand)
        else:
            rot[:, ix[f"{side}Arm"], 2] = sign * RELAXED_ARM_DEG
    for side, (hp, kn, an, he, to) in (("Left", (P.L_HIP, P.L_KNEE, P.L_ANKLE, P.L_HEEL, P.L_FOOT)),
                                       ("Right", (P.R_HIP, P.R_KNEE, P.R_ANKLE, P.R_HEEL, P.R_FOOT))):
        if seen[[hp, kn, an]].all():
            thigh, shin, foot = _leg(pelvis, L(hp), L(kn), L(an), L(he), L(to))
            mats[f"{side}UpLeg"] = _local(pelvis, thigh)
            mats[f"{side}Leg"] = _local(thigh, shin)
            if seen[[he, to]].all():
                mats[f"{side}Foot"] = _local(shin, foot)
    for name, m in mats.items():
        rot[:, ix[name]] = matrix_to_euler(m)
    rot = np.degrees(np.unwrap(np.radians(rot), axis=0))
    return clamp_to_limits(rot, sk)


def landmarks_of(positions: np.ndarray, rotations: np.ndarray, skeleton: Skeleton | None = None) -> np.ndarray:
    """The inverse view: where MediaPipe's 33 landmarks sit (n, 33, 3; metres around the hip
    centre, skeleton axes) on a skeleton posed with world ``positions`` (n, J, 3) and world
    ``rotations`` (n, J, 3, 3) from :func:`~digihuman.body.skeleton.forward_kinematics`.

    Used to check :func:`retarget` on motion whose answer is known (tests, benchmarks): ears and
    eyes sit level on the head, fingers and heels at fixed offsets in their bone's frame.
    """
    sk = skeleton or humanoid()
    ix = sk.index
    out = np.zeros((len(positions), P.N_LANDMARKS, 3))

    def at(joint: str, off=(0.0, 0.0, 0.0)) -> np.ndarray:
        return positions[:, ix[joint]] + rotations[:, ix[joint]] @ np.asarray(off, dtype=np.float64)

    out[:, P.NOSE] = at("Head", (0.0, 0.03, 0.11))
    out[:, 2], out[:, 5] = at("Head", (0.03, 0.06, 0.08)), at("Head", (-0.03, 0.06, 0.08))
    out[:, P.L_EAR], out[:, P.R_EAR] = at("Head", (0.075, 0.06, 0.0)), at("Head", (-0.075, 0.06, 0.0))
    for side, sign, (sh, el, wr, pk, ix_) in (
            ("Left", 1.0, (P.L_SHOULDER, P.L_ELBOW, P.L_WRIST, P.L_PINKY, P.L_INDEX)),
            ("Right", -1.0, (P.R_SHOULDER, P.R_ELBOW, P.R_WRIST, P.R_PINKY, P.R_INDEX))):
        out[:, sh], out[:, el], out[:, wr] = at(f"{side}Arm"), at(f"{side}ForeArm"), at(f"{side}Hand")
        out[:, ix_] = at(f"{side}Hand", (sign * 0.09, 0.0, 0.025))
        out[:, pk] = at(f"{side}Hand", (sign * 0.08, 0.0, -0.033))
    for side, (hp, kn, an, he, to) in (("Left", (P.L_HIP, P.L_KNEE, P.L_ANKLE, P.L_HEEL, P.L_FOOT)),
                                       ("Right", (P.R_HIP, P.R_KNEE, P.R_ANKLE, P.R_HEEL, P.R_FOOT))):
        out[:, hp], out[:, kn], out[:, an] = at(f"{side}UpLeg"), at(f"{side}Leg"), at(f"{side}Foot")
        out[:, he] = at(f"{side}Foot", (0.0, -0.07, -0.04))
        out[:, to] = at(f"{side}Foot", (0.0, -0.07, 0.17))
    mid = 0.5 * (out[:, P.L_HIP] + out[:, P.R_HIP])
    return out - mid[:, None]
