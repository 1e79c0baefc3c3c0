"""Motion capture from an ordinary video: body motion on the project's skeleton, and the face.

``capture(video)`` -> :class:`Capture` (a :class:`~digihuman.body.skeleton.MotionClip`, foot
contact, optionally the performer's face parameters); stages: ``video/reader.py`` (upright
frames with times) -> ``pose.py`` (the chosen person's landmarks) -> ``smooth.py`` (gaps,
zero-lag One-Euro) -> ``retarget.py`` (joint rotations) -> root motion and contact.
"""

from .motion import Capture, capture

__all__ = ["Capture", "capture"]
