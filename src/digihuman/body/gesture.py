"""Body motion from speech: a :class:`~.plan.GesturePlan` -> a :class:`~.skeleton.MotionClip`.

Layers, summed per frame: the emotion's posture; breathing and idle weight shifts (smooth
noise with random key intervals, so nothing loops); head nods, shakes, beats and tilts; and
the hands, whose paths are minimum-jerk curves through keys (rest -> preparation -> stroke ->
hold -> ... -> retraction -> rest) in the chest's frame, turned into arm angles by two-bone
IK. A stroke's key pair is centred on its stressed syllable, so the wrist's speed peaks there.
Feet stay planted (leg IK) while the hips sway. Every angle is finally clipped to the joint
limits.
"""

from __future__ import annotations

import numpy as np

from .ik import bone_frame, columns, key_curve, smooth_noise, two_bone
from .plan import GesturePlan, Posture, plan_gestures
from .skeleton import (MotionClip, Skeleton, clamp_to_limits, euler_to_matrix, forward_kinematics, humanoid,
                       matrix_to_euler)

# Hand targets for the LEFT hand relative to the Spine2 joint, in its frame (metres; x outward
# from the midline, y up, z forward). The right hand mirrors x.
REST = (0.21, -0.41, 0.05)
READY = (0.17, -0.22, 0.30)
TARGETS = {
    "self": (0.05, -0.06, 0.18), "you": (0.10, -0.02, 0.47), "here": (0.12, -0.30, 0.36),
    "there": (0.40, 0.0, 0.30), "big": (0.40, -0.12, 0.28), "small": (0.05, -0.14, 0.32),
    "up": (0.22, 0.20, 0.28), "down": (0.20, -0.34, 0.30), "open": (0.30, -0.18, 0.34),
    "together": (0.045, -0.16, 0.30), "count": (0.14, 0.0, 0.32),
}
# Hand shapes: curl (degrees) of thumb, index, middle, ring, pinky; then the palm twist
# (Hand rx: -75 palm up, +75 palm down, 0 thumb up).
SHAPES = {
    "relaxed": (15, 20, 25, 28, 30, 0), "open": (5, 3, 3, 5, 6, -70), "point": (50, 0, 85, 88, 90, 60),
    "pinch": (35, 40, 60, 65, 70, 0), "flat": (5, 2, 2, 3, 4, 0), "beat": (10, 12, 18, 22, 25, -20),
}
KIND_SHAPE = {"self": "flat", "you": "open", "here": "point", "there": "point", "big": "open",
              "small": "pinch", "up": "point", "down": "flat", "open": "open", "together": "flat"}
FINGERS = ("Thumb", "Index", "Middle", "Ring", "Pinky")
PHALANX = (0.8, 1.0, 0.75)  # share of the curl at each finger joint (base, middle, tip)
ARM = (0.28, 0.255)  # upper arm, forearm lengths (m), as in the skeleton
LEG = (0.43, 0.42)

STROKE_S = 0.17   # seconds a beat stroke takes (its key pair spans this, centred on the syllable)
PREP_S = 0.8      # seconds to rise from rest into gesture space
RETRACT_S = 1.2   # seconds back to rest (slow: retractions must not look like strokes)
CALM_MS = 0.75    # m/s: the fastest preparation or retraction moves the wrist
PEAK_MS = 2.0     # m/s: the fastest a neutral deictic/iconic stroke moves the wrist
UNIT_GAP_S = 1.6  # strokes closer than this share one gesture unit (hands stay up)


def gesture_motion(timeline, text: str = "", emotion: str = "neutral", *, strength: float = 1.0,
                   fps: float = 30.0, seed: int = 0, skeleton: Skeleton | None = None) -> MotionClip:
    """Body motion for one utterance: ``timeline`` (the speech's), its ``text`` and emotion."""
    plan = plan_gestures(timeline, text, emotion, strength, seed)
    return synthesize(plan, fps=fps, seed=seed, skeleton=skeleton)


def reference_pose(skeleton: Skeleton | None = None) -> MotionClip:
    """One frame of the neutral standing pose (arms at rest, no breathing or sway): what a
    photo of a person standing still is taken to show."""
    plan = GesturePlan((), (), Posture(), 0.0)
    clip = synthesize(plan, fps=30.0, skeleton=skeleton, idle=False)
    return MotionClip(clip.skeleton, clip.frame_time, clip.root_position[:1], clip.rotations[:1])


def synthesize(plan: GesturePlan, *, fps: float = 30.0, seed: int = 0, skeleton: Skeleton | None = None,
               idle: bool = True, performed: list | None = None) -> MotionClip:
    """The clip for ``plan``; ``idle=False`` leaves out breathing, sway and drift. Strokes that
    cannot be performed (no time to prepare, too close to the previous one) are left out; the
    ones performed are appended to ``performed`` as (hand, stroke) when it is given."""
    sk = skeleton or humanoid()
    ix = sk.index
    rng = np.random.default_rng(seed + 7919)
    n = max(2, int(np.ceil((plan.duration + 0.3) * fps)))
    t = np.arange(n) / fps
    p = plan.posture
    rot = np.zeros((n, len(sk), 3))
    root = np.tile(sk.joints[0].offset, (n, 1)).astype(np.float64)

    # breathing: ~0.25 Hz with a drifting rate (never exactly periodic); 0..1
    phase = 2 * np.pi * np.cumsum(0.24 + 0.05 * smooth_noise(rng, t, (3.0, 6.0))[:, 0]) / fps
    breath = 0.5 - 0.5 * np.cos(phase)
    # idle weight shift between the legs (every 3-7 s) and small torso/head drift
    shift = smooth_noise(rng, t, (3.0, 7.0))[:, 0]
    drift = smooth_noise(rng, t, (1.5, 4.0), 4)
    if not idle:
        breath, shift, drift = breath * 0, shift * 0, drift * 0
    root[:, 0] += 0.015 * shift
    root[:, 1] += -0.015 + 0.002 * breath
    rot[:, 0, 2] = 1.5 * shift                      # hips tilt towards the standing leg
    rot[:, 0, 1] = 2.0 * drift[:, 0]
    for k, name in enumerate(("Spine", "Spine1", "Spine2")):
        j = ix[name]
        rot[:, j, 0] = p.lean * (0.3, 0.35, 0.35)[k] - 0.8 * breath * (k == 2) + 0.6 * drift[:, 1]
        rot[:, j, 2] = -0.5 * rot[:, 0, 2] + 0.5 * drift[:, 2]   # the torso stays upright
        rot[:, j, 1] = -0.4 * rot[:, 0, 1]
    pitch, yaw, roll = _head(plan, t, fps, p)
    pitch = pitch + p.head_pitch + 1.5 * drift[:, 3] - 0.3 * p.lean
    for name, share in (("Neck", 0.4), ("Head", 0.6)):
        rot[:, ix[name]] = np.stack([pitch, yaw, roll], axis=1) * share
    for side, s in (("Left", 1.0), ("Right", -1.0)):
        j = ix[f"{side}Shoulder"]
        rot[:, j, 2] = s * (p.shoulders + 1.2 * breath)
        rot[:, j, 1] = s * -0.4 * max(0.0, p.lean)      # rounded shoulders when slumped

    # hands: key curves in the chest frame, then IK
    pos, wrot = forward_kinematics(MotionClip(sk, 1.0 / fps, root, rot))
    chest_p, chest_r = pos[:, ix["Spine2"]], wrot[:, ix["Spine2"]]
    for side, s in (("Left", 1.0), ("Right", -1.0)):
        target, shape = _hand_keys(plan, side.lower(), t, p, rng, performed)
        target = target * np.array([s, 1.0, 1.0])
        world = chest_p + np.einsum("nij,nj->ni", chest_r, target)
        shoulder = pos[:, ix[f"{side}Arm"]]
        pole = np.einsum("nij,j->ni", chest_r, np.array([s * 0.35, -1.0, -0.45]))
        elbow, hand = two_bone(shoulder, world, pole, *ARM)
        x, z = bone_frame(elbow - shoulder, hand - elbow)
        r_ua = columns(s * x, np.cross(z, s * x), z)
        r_par = wrot[:, ix[f"{side}Shoulder"]]
        rot[:, ix[f"{side}Arm"]] = matrix_to_euler(np.einsum("nji,njk->nik", r_par, r_ua))
        fore = (hand - elbow) / np.linalg.norm(hand - elbow, axis=1, keepdims=True)
        flex = np.degrees(np.arccos(np.clip(np.sum(x * fore, axis=1), -1, 1)))
        rot[:, ix[f"{side}ForeArm"], 1] = -s * flex
        rot[:, ix[f"{side}Hand"], 0] = shape[:, 5]
        for f, finger in enumerate(FINGERS):
            for k in range(3):
                rot[:, ix[f"{side}Hand{finger}{k + 1}"], 2] = -s * shape[:, f] * PHALANX[k]
        _legs(sk, rot, root, side, s, fps)
    return MotionClip(sk, 1.0 / fps, root, clamp_to_limits(rot, sk))


def _legs(sk: Skeleton, rot: np.ndarray, root: np.ndarray, side: str, s: float, fps: float) -> None:
    """Keep the foot planted at its rest place while the hips move (two-bone IK, feet flat)."""
    ix = sk.index
    pos, wrot = forward_kinematics(MotionClip(sk, 1.0 / fps, root, rot))
    hip = pos[:, ix[f"{side}UpLeg"]]
    foot = np.tile(sk.rest_positions()[ix[f"{side}Foot"]], (len(root), 1))
    pole = np.einsum("nij,j->ni", wrot[:, 0], np.array([0.0, 0.0, 1.0]))
    knee, ankle = two_bone(hip, foot, pole, *LEG)
    thigh_dir, perp = bone_frame(knee - hip, ankle - knee)
    y, z = -thigh_dir, -perp  # the bone lies along local -y and the knee bends the shin to -z
    r_th = columns(np.cross(y, z), y, z)
    rot[:, ix[f"{side}UpLeg"]] = matrix_to_euler(np.einsum("nji,njk->nik", wrot[:, 0], r_th))
    shin = (ankle - knee) / np.linalg.norm(ankle - knee, axis=1, keepdims=True)
    thigh = (knee - hip) / np.linalg.norm(knee - hip, axis=1, keepdims=True)
    knee_deg = np.degrees(np.arccos(np.clip(np.sum(thigh * shin, axis=1), -1, 1)))
    rot[:, ix[f"{side}Leg"], 0] = knee_deg
    r_shin = r_th @ euler_to_matrix(np.stack([knee_deg, 0 * knee_deg, 0 * knee_deg], axis=1))
    rot[:, ix[f"{side}Foot"]] = matrix_to_euler(np.transpose(r_shin, (0, 2, 1)))  # flat on the floor


def _hand_keys(plan: GesturePlan, hand: str, t: np.ndarray, p: Posture, rng,
               performed: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame target (n, 3) for one hand (left-hand coordinates) and its shape (n, 6)."""
    rest, ready = np.array(REST), np.array(READY) * [p.openness, 1, 1] + [0, p.height, 0]
    strokes = [st for st in plan.strokes if st.hands in (hand, "both")]
    keys: list[tuple[float, np.ndarray, str]] = [(0.0, rest, "relaxed")]
    amp = p.amplitude
    d_beat = STROKE_S / p.speed
    units: list[list] = []
    for st in strokes:
        if units and st.time - units[-1][-1].time < UNIT_GAP_S:
            units[-1].append(st)
        else:
            units.append([st])
    for unit in units:
        # preparation and retraction move at most CALM_MS (so they never read as strokes)
        prep_s = max(PREP_S, 1.875 * float(np.linalg.norm(ready - rest)) / CALM_MS) / p.speed ** 0.5
        while unit:  # strokes too early to reach calmly from rest are dropped
            prep_end = unit[0].time - 0.5 * d_beat - 0.1
            prep_start = max(keys[-1][0] + 0.05, prep_end - prep_s)
            if prep_end - prep_start >= 0.95 * prep_s:
                break
            unit.pop(0)
        if not unit:
            continue
        keys.append((prep_start, rest, "relaxed"))
        keys.append((prep_end, ready + [0, 0.045 * amp, 0], "beat"))
        fresh = True  # the hand has just arrived at the pre-stroke position
        for st in unit:
            if st.kind == "beat":
                d = d_beat
                pre = ready + np.array([0, 0.045, -0.01]) * amp + rng.normal(0, 0.008, 3)
                end = ready + np.array([0, -0.075, 0.03]) * amp
                shape, hold = "beat", 0.0
            else:
                goal = np.array(TARGETS[st.kind]) + [0, p.height, 0]
                end = ready + (goal - ready) * min(1.3, amp)
                # long enough that the peak speed (1.875 x distance / time) stays under PEAK_MS
                d = max(0.18 / p.speed, 1.875 * float(np.linalg.norm(end - keys[-1][1])) / (PEAK_MS * p.speed))
                pre = None
                shape, hold = ("open" if st.count >= 5 else "point") if st.kind == "count" else KIND_SHAPE[st.kind], 0.3
            t0, t1 = st.time - d / 2, st.time + d / 2
            last_t, last_pos, last_shape = keys[-1]
            if t0 <= last_t + 0.02:
                continue  # the previous stroke's hold is still going on
            if pre is None or fresh:  # one segment from where the hand is, centred on the syllable
                keys.append((t0, last_pos, last_shape))
            elif t0 - last_t >= 2.2 * d:  # beats: a slow recovery up, then the fast stroke down
                keys.append((t0, pre, last_shape))
            else:
                continue  # too close to the previous stroke to beat again
            fresh = False
            keys.append((t1, end, shape))
            if performed is not None:
                performed.append((hand, st))
            if hold:
                keys.append((t1 + hold, end, shape))
        keys.append((keys[-1][0] + 0.3, keys[-1][1], keys[-1][2]))  # post-stroke hold
        back = 1.875 * float(np.linalg.norm(keys[-1][1] - rest)) / CALM_MS
        keys.append((keys[-1][0] + max(RETRACT_S, back) / p.speed ** 0.5, rest, "relaxed"))
    times = np.array([k[0] for k in keys])
    keep = np.concatenate([[True], np.diff(times) > 1e-3])
    keys = [k for k, ok in zip(keys, keep) if ok]
    times = np.array([k[0] for k in keys])
    target = key_curve(times, np.array([k[1] for k in keys]), t)
    shape = key_curve(times, np.array([SHAPES[k[2]] for k in keys], dtype=np.float64), t)
    return target, shape


def _head(plan: GesturePlan, t: np.ndarray, fps: float, p: Posture) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Head pitch (+ down), yaw, roll in degrees from nods, shakes, beats and question tilts."""
    pitch, yaw, roll = (np.zeros_like(t) for _ in range(3))
    slow = 1.0 / max(0.6, p.speed)
    for h in plan.head:
        dur = (h.end - h.start) * (slow if h.kind in ("nod", "shake") else 1.0)
        u = (t - h.start) / max(dur, 1e-3)
        m = (u >= 0) & (u <= 1)
        uu = u[m]
        if h.kind == "nod":
            pitch[m] += 9.0 * p.amplitude ** 0.5 * (0.5 - 0.5 * np.cos(4 * np.pi * uu)) * (1 - 0.4 * uu)
        elif h.kind == "shake":
            yaw[m] += 10.0 * np.sin(4 * np.pi * uu) * np.sin(np.pi * uu)
        elif h.kind == "beat":
            pitch[m] += 3.5 * np.sin(np.pi * uu) ** 2
        elif h.kind == "tilt":
            roll[m] += 5.0 * np.sin(np.pi * uu)
    return pitch, yaw, roll
