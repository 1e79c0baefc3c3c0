"""Head-and-shoulders body motion for portrait frames: a 2D warp driven by the skeleton.

Once per render: MediaPipe Pose (``model_complexity=1``, the bundled model) finds the photo's
shoulders (and elbows, nose), SelfieSegmentation the person; the background behind the person
is filled in (inpainted at low resolution) so it can show where the body moves away. The
skeleton's joints are projected orthographically (the photo is taken as the neutral standing
pose, the scale from the shoulder width); each frame the image displacements of the shoulders,
upper arms, neck, chest, head and lower torso drive a smooth Gaussian-RBF warp field on a
coarse grid (weights precomputed: one small matrix product per frame), upsampled and applied
with one ``cv2.remap``; the warped person is blended over the background by its warped mask.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..errors import InputError
from ..types import PARAM_INDEX, FaceTrack
from .skeleton import MotionClip, forward_kinematics

GRID = 48  # coarse warp grid points per side
SHOULDER_VIS = 0.5  # MediaPipe visibility a shoulder needs to count as seen
ARM_GAIN = 0.6  # upper arms: most of their motion in a portrait is towards the camera, unseen
MAX_SHIFT = 0.08  # largest control-point shift, as a share of the shoulder width (keeps the warp plausible)
HEAD_GAIN = 0.5  # share of the skeleton's head rotation added to the face track (the rest is neck/body)
HEAD_MAX = 0.08  # radians: the face warp's comfortable range for the added rotation


class NoShouldersError(InputError):
    """The photo does not show the shoulders, so the body cannot move."""


_POSE_CACHE: dict[bytes, np.ndarray] = {}  # image digest -> landmarks (the check and the render share one run)


def photo_box(crop: tuple[int, int, int, int], image_size: tuple[int, int], size: int) -> tuple[float, ...]:
    """(x0, y0, x1, y1): where the photo's own pixels lie in a frame rendered from ``crop``
    (outside it the renderer repeats the edge, which must not count as a body)."""
    x, y, side, _ = crop
    s = size / float(side)
    w, h = image_size
    return (-x * s, -y * s, (w - x) * s, (h - y) * s)


def detect_pose(rgb: np.ndarray, box: tuple[float, ...] | None = None) -> np.ndarray:
    """(33, 3) MediaPipe Pose landmarks of ``rgb`` in pixels (x, y) and visibility; raises
    :class:`NoShouldersError` when nobody is seen or a shoulder is hidden, off the frame, or
    outside ``box`` (the photo's real pixels, see :func:`photo_box`)."""
    import hashlib

    rgb = np.ascontiguousarray(rgb)
    key = hashlib.blake2b(rgb.tobytes(), digest_size=16).digest() + bytes(str(rgb.shape), "ascii")
    if key not in _POSE_CACHE:
        if len(_POSE_CACHE) > 8:
            _POSE_CACHE.clear()
        _POSE_CACHE[key] = _detect_pose(rgb)
    lm = _POSE_CACHE[key].copy()
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = box or (0.0, 0.0, float(w), float(h))
    margin = 0.03 * h  # pixels: a shoulder must be clearly inside the real photo
    for i in (11, 12):
        x, y, v = lm[i]
        if v < SHOULDER_VIS or not (max(x0, -0.02 * w) <= x <= min(x1, 1.02 * w) and y <= min(y1, h) - margin):
            raise NoShouldersError("the photo does not show both shoulders, so the body cannot move",
                                   "use a photo framed to include the shoulders, or leave out --body")
    return lm


def _detect_pose(rgb: np.ndarray) -> np.ndarray:
    import mediapipe as mp

    h, w = rgb.shape[:2]
    with mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1) as pose:
        res = pose.process(np.ascontiguousarray(rgb))
    if res.pose_landmarks is None:
        raise NoShouldersError("no body found in the photo for --body",
                               "use a photo that shows the head and both shoulders, or leave out --body")
    return np.array([(p.x * w, p.y * h, p.visibility) for p in res.pose_landmarks.landmark], dtype=np.float64)


def person_mask(rgb: np.ndarray) -> np.ndarray:
    """float32 (h, w) 0..1: how much each pixel is the person (SelfieSegmentation)."""
    import mediapipe as mp

    with mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=0) as seg:
        m = seg.process(np.ascontiguousarray(rgb)).segmentation_mask
    m = cv2.GaussianBlur(np.clip(m, 0, 1).astype(np.float32), (0, 0), 1.5)
    return m


def background_plate(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The photo with the person painted out (Telea inpainting at 1/4 resolution, for speed)."""
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    hole = cv2.resize((mask > 0.2).astype(np.uint8), (w // 4, h // 4), interpolation=cv2.INTER_NEAREST)
    hole = cv2.dilate(hole, np.ones((5, 5), np.uint8))
    filled = cv2.inpaint(small, hole, 5, cv2.INPAINT_TELEA)
    filled = cv2.GaussianBlur(cv2.resize(filled, (w, h), interpolation=cv2.INTER_CUBIC), (0, 0), 2.0)
    keep = cv2.resize(hole, (w, h), interpolation=cv2.INTER_NEAREST)[..., None] == 0
    return np.where(keep, rgb, filled)


class BodyWarp:
    """Moves a portrait's neck, shoulders and chest with a :class:`MotionClip` (one clip frame
    per video frame). Build once per render; ``apply(frame, i)`` per frame."""

    def __init__(self, base_rgb: np.ndarray, clip: MotionClip, reference: MotionClip,
                 box: tuple[float, ...] | None = None):
        self.size = base_rgb.shape[0]
        h, w = base_rgb.shape[:2]
        lm = detect_pose(base_rgb, box)
        self.landmarks = lm
        self.mask = person_mask(base_rgb)
        self.plate = background_plate(base_rgb, self.mask)
        sk = clip.skeleton
        ix = sk.index
        pos, _ = forward_kinematics(clip)
        ref = forward_kinematics(reference)[0][0]
        sl, sr = lm[11, :2], lm[12, :2]  # the person's left shoulder is on the image's right
        width = float(np.linalg.norm(sl - sr))
        self.scale = width / float(abs(ref[ix["LeftArm"], 0] - ref[ix["RightArm"], 0]))  # px per metre
        mid = (sl + sr) / 2
        down = np.array([0.0, 1.0])
        up_arm = lambda side: 0.65 * pos[:, ix[f"{side}Arm"]] + 0.35 * pos[:, ix[f"{side}ForeArm"]]  # noqa: E731
        up_ref = lambda side: 0.65 * ref[ix[f"{side}Arm"]] + 0.35 * ref[ix[f"{side}ForeArm"]]  # noqa: E731

        def toward(i, fallback):
            v = lm[i, :2] - lm[i - 2, :2] if lm[i, 2] > 0.1 else fallback
            return v / max(np.linalg.norm(v), 1e-6)

        # (image point, 3D track over frames, 3D reference) for each control point
        ctrl = [
            (sl, pos[:, ix["LeftArm"]], ref[ix["LeftArm"]]),
            (sr, pos[:, ix["RightArm"]], ref[ix["RightArm"]]),
            (sl + 0.3 * width * toward(13, np.array([0.3, 1.0])), up_arm("Left"), up_ref("Left")),
            (sr + 0.3 * width * toward(14, np.array([-0.3, 1.0])), up_arm("Right"), up_ref("Right")),
            (mid - 0.12 * width * down, pos[:, ix["Neck"]], ref[ix["Neck"]]),
            (mid + 0.3 * width * down, pos[:, ix["Spine2"]], ref[ix["Spine2"]]),
            (mid + 0.75 * width * down, pos[:, ix["Spine1"]], ref[ix["Spine1"]]),
            (lm[0, :2], pos[:, ix["Head"]], ref[ix["Head"]]),
        ]
        src = np.array([c[0] for c in ctrl])
        # image displacement per frame and control: x with the body's +X (its left = image right),
        # y down = -Y; depth (Z) is not seen
        d3 = np.stack([c[1] - c[2] for c in ctrl], axis=1)  # (n, C, 3) metres
        disp = np.stack([d3[..., 0], -d3[..., 1]], axis=-1) * self.scale  # (n, C, 2) pixels
        disp[:, 2:4] *= ARM_GAIN
        norm = np.linalg.norm(disp, axis=-1, keepdims=True)
        self.disp = disp * np.minimum(1.0, MAX_SHIFT * width / np.maximum(norm, 1e-9))
        self.sources = src
        sigma = 0.45 * width
        g = (np.arange(GRID) + 0.5) * (w / GRID) - 0.5
        gx, gy = np.meshgrid(g, (np.arange(GRID) + 0.5) * (h / GRID) - 0.5)
        pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
        phi = lambda a, b: np.exp(-np.sum((a[:, None] - b[None]) ** 2, -1) / (2 * sigma ** 2))  # noqa: E731
        k = phi(src, src) + 1e-3 * np.eye(len(src))
        self._weights = (phi(pts, src) @ np.linalg.inv(k)).astype(np.float32)  # (G*G, C)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        self._grid = np.dstack([xx, yy])
        self._mask8 = np.round(self.mask * 255).astype(np.uint8)  # uint8 remaps ~3x faster than float

    def field(self, i: int) -> np.ndarray:
        """(h, w, 2) forward displacement (pixels) of frame ``i``."""
        d = self.disp[min(i, len(self.disp) - 1)].astype(np.float32)
        small = (self._weights @ d).reshape(GRID, GRID, 2)
        return cv2.resize(small, (self.size, self.size), interpolation=cv2.INTER_LINEAR)

    def apply(self, frame: np.ndarray, i: int) -> np.ndarray:
        # backward map: the output pixel p shows the source at p - D(p) (D is smooth and small)
        m1, m2 = cv2.convertMaps(cv2.subtract(self._grid, self.field(i)), None, cv2.CV_16SC2)
        person = cv2.remap(frame, m1, m2, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        alpha8 = cv2.remap(self._mask8, m1, m2, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        alpha = cv2.multiply(alpha8, 1.0 / 255.0, dtype=cv2.CV_32F)
        return cv2.blendLinear(person, self.plate, alpha, cv2.subtract(1.0, alpha))

    def joints_2d(self, i: int) -> np.ndarray:
        """(C, 2) where the control points should be in frame ``i`` (pixels): the intended pose."""
        return self.sources + self.disp[min(i, len(self.disp) - 1)]


def with_body_head(track: FaceTrack, clip: MotionClip) -> FaceTrack:
    """``track`` with the skeleton's head nods, shakes and tilts added to its head rotation."""
    n = track.n_frames
    idx = np.minimum(np.arange(n), clip.n_frames - 1)
    head = clip.joint("Neck")[idx] + clip.joint("Head")[idx]  # degrees (rx nod down, ry turn, rz tilt)
    head = head - np.median(head, axis=0)  # only the movement: the posture is the body's
    add = np.clip(np.radians(head) * HEAD_GAIN, -HEAD_MAX, HEAD_MAX)
    values = track.values.copy()
    values[:, PARAM_INDEX["head_pitch"]] += add[:, 0]     # both: + moves the nose down
    values[:, PARAM_INDEX["head_yaw"]] += -add[:, 1]      # skeleton +ry turns to the image's right
    values[:, PARAM_INDEX["head_roll"]] += -add[:, 2]     # skeleton +rz is counter-clockwise on screen
    return FaceTrack(values.astype(np.float32), track.fps)
