"""The body: one humanoid skeleton, motion clips on it, motion from speech, BVH/glTF export.

``skeleton`` (joints, limits, :class:`MotionClip`, forward kinematics) -> ``gesture`` (speech
timeline + text + emotion -> clip) -> ``bvh`` / ``gltf`` (files) and ``render`` (2D warp of a
portrait's neck, shoulders and chest).
"""

from .bvh import parse_bvh, read_bvh, write_bvh
from .skeleton import (ROTATION_ORDER, Joint, MotionClip, Skeleton, clamp_to_limits, clip_from_world_rotations,
                       euler_to_matrix, forward_kinematics, humanoid, limit_violations, matrix_to_euler)

__all__ = ["ROTATION_ORDER", "Joint", "MotionClip", "Skeleton", "clamp_to_limits", "clip_from_world_rotations",
           "euler_to_matrix",
           "forward_kinematics", "humanoid", "limit_violations", "matrix_to_euler", "parse_bvh",
           "read_bvh", "write_bvh"]
