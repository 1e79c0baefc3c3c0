"""Body landmarks of one chosen person on every frame of a video (MediaPipe Pose).

MediaPipe's Pose graph follows a single person. With several people in view it would pick
whoever it finds first and may jump between them, so the person is chosen here: the people are
found as separate regions of the selfie-segmentation mask, ranked by area (largest first), and
Pose runs on a generous crop around the chosen one. The crop follows the person and is chosen
again after a shot cut or when the person is lost.

Axes of the world landmarks are turned into the skeleton's (``body/skeleton.py``): MediaPipe's
are x to the image's right, y down, z away from the camera, in metres around the hip centre;
ours are X to the character's left (= the image's right for a person facing the camera), Y up,
Z towards the camera.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..face.landmarks import _quiet_native_stderr

N_LANDMARKS = 33
# MediaPipe Pose landmark ids (the person's left/right)
NOSE, L_EAR, R_EAR = 0, 7, 8
L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW, L_WRIST, R_WRIST = 11, 12, 13, 14, 15, 16
L_PINKY, R_PINKY, L_INDEX, R_INDEX = 17, 18, 19, 20
L_HIP, R_HIP, L_KNEE, R_KNEE, L_ANKLE, R_ANKLE = 23, 24, 25, 26, 27, 28
L_HEEL, R_HEEL, L_FOOT, R_FOOT = 29, 30, 31, 32

SEGMENT_SIDE = 256
"""Frames are scaled to this width (pixels) to find the people: enough to separate bodies."""
MIN_PERSON_AREA = 0.01
"""A mask region smaller than this fraction of the frame is not a person (noise, a hand)."""
CROP_MARGIN = 0.35
"""The crop extends the person's box by this fraction of its larger side on each edge."""
CUT_CORRELATION = 0.55
"""Colour-histogram correlation of consecutive frames below which a shot cut is declared."""


@dataclass(frozen=True)
class PoseFrame:
    """The chosen person's landmarks on one frame (or none)."""

    time: float
    """Seconds."""
    world: np.ndarray | None
    """float32 (33, 3) metres around the hip centre, skeleton axes (X left of the person, Y up,
    Z towards the camera); None when nobody was found."""
    image: np.ndarray | None
    """float32 (33, 2) frame pixels (x right, y down)."""
    visibility: np.ndarray | None
    """float32 (33,) 0..1: MediaPipe's estimate that the point is visible (not hidden, in frame)."""
    cut: bool = False
    """True on the first frame of a new shot (the motion restarts here)."""
    n_people: int = 0
    """People found in view on this frame's segmentation (0 = not looked at this frame)."""


def _hist(img: np.ndarray) -> np.ndarray:
    import cv2

    small = cv2.resize(img, (64, 36), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    h = cv2.calcHist([hsv], [0, 1], None, [16, 8], [0, 180, 0, 256])
    return cv2.normalize(h, h).flatten()


class PoseTracker:
    """Feeds frames one by one; remembers the chosen person, the crop and the last shot."""

    def __init__(self, person: int = 1) -> None:
        if person < 1:
            raise InputError(f"--person must be 1 or more, got {person}", "1 is the largest person in view")
        from mediapipe.python.solutions import pose, selfie_segmentation

        self.person = person
        with _quiet_native_stderr():
            self._pose = pose.Pose(static_image_mode=False, model_complexity=1, smooth_landmarks=False,
                                   min_detection_confidence=0.5, min_tracking_confidence=0.5)
            self._seg = selfie_segmentation.SelfieSegmentation(model_selection=0)
        self._crop: tuple[int, int, int, int] | None = None  # x, y, w, h in frame pixels
        self._hist: np.ndarray | None = None
        self.max_people = 0

    def close(self) -> None:
        self._pose.close()
        self._seg.close()

    # ---- choosing the person -----------------------------------------------------------------
    def people(self, img: np.ndarray) -> list[tuple[int, int, int, int]]:
        """Boxes (x, y, w, h, frame pixels) of the people in view, largest first."""
        import cv2

        h, w = img.shape[:2]
        k = SEGMENT_SIDE / w
        small = cv2.resize(img, (SEGMENT_SIDE, max(2, round(h * k))), interpolation=cv2.INTER_AREA)
        with _quiet_native_stderr():
            mask = self._seg.process(cv2.cvtColor(small, cv2.COLOR_BGR2RGB)).segmentation_mask
        if mask is None:
            return []
        binary = (mask > 0.5).astype(np.uint8)
        n, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
        area_min = MIN_PERSON_AREA * binary.size
        boxes = [tuple(int(round(v / k)) for v in stats[i, :4]) for i in range(1, n) if stats[i, 4] >= area_min]
        boxes.sort(key=lambda b: b[2] * b[3], reverse=True)
        return boxes

    def _choose(self, img: np.ndarray) -> int:
        boxes = self.people(img)
        self.max_people = max(self.max_people, len(boxes))
        if len(boxes) <= 1:
            self._crop = None  # one person (or the mask saw nobody): Pose looks at the whole frame
        elif self.person <= len(boxes):
            x, y, w, h = boxes[self.person - 1]
            m = CROP_MARGIN * max(w, h)
            H, W = img.shape[:2]
            x0, y0 = max(0, int(x - m)), max(0, int(y - m))
            x1, y1 = min(W, int(x + w + m)), min(H, int(y + h + m))
            self._crop = (x0, y0, x1 - x0, y1 - y0)
        else:
            self._crop = None
        self._pose.reset()
        return len(boxes)

    # ---- one frame ---------------------------------------------------------------------------
    def process(self, img: np.ndarray, time: float) -> PoseFrame:
        import cv2

        hist = _hist(img)
        cut = self._hist is not None and float(cv2.compareHist(self._hist, hist, cv2.HISTCMP_CORREL)) < CUT_CORRELATION
        first = self._hist is None
        self._hist = hist
        n_people = self._choose(img) if (first or cut) else 0
        res = self._detect(img)
        if res is None and not (first or cut):  # lost: look for the person again
            n_people = self._choose(img)
            res = self._detect(img)
        if res is None:
            return PoseFrame(time, None, None, None, cut, n_people)
        world, image, vis = res
        self._follow(image, vis, img.shape)
        return PoseFrame(time, world, image, vis, cut, n_people)

    def _detect(self, img: np.ndarray):
        import cv2

        x0, y0, w, h = self._crop or (0, 0, img.shape[1], img.shape[0])
        crop = img[y0:y0 + h, x0:x0 + w]
        with _quiet_native_stderr():
            out = self._pose.process(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB))
        if out.pose_landmarks is None or out.pose_world_landmarks is None:
            return None
        lm = out.pose_landmarks.landmark
        image = np.array([[x0 + p.x * w, y0 + p.y * h] for p in lm], dtype=np.float32)
        vis = np.array([p.visibility for p in lm], dtype=np.float32)
        wl = out.pose_world_landmarks.landmark
        world = np.array([[p.x, -p.y, -p.z] for p in wl], dtype=np.float32)
        return world, image, vis

    def _follow(self, image: np.ndarray, vis: np.ndarray, shape) -> None:
        """Move the crop with the person when they near its edge (keeps Pose on them)."""
        if self._crop is None:
            return
        seen = image[vis > 0.5]
        if len(seen) < 4:
            return
        x0, y0, w, h = self._crop
        cx, cy = seen.mean(axis=0)
        if abs(cx - (x0 + w / 2)) > 0.2 * w or abs(cy - (y0 + h / 2)) > 0.2 * h:
            H, W = shape[:2]
            nx = int(min(max(0, cx - w / 2), max(0, W - w)))
            ny = int(min(max(0, cy - h / 2), max(0, H - h)))
            self._crop = (nx, ny, w, h)
            self._pose.reset()
