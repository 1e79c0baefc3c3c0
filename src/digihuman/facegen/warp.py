"""Piecewise-affine image warp over a Delaunay triangulation of landmarks (full resolution).

``warp(img, src_pts, dst_pts, size)`` moves every ``src_pts[i]`` of ``img`` to ``dst_pts[i]`` in an
output of ``size`` (w, h): triangle ids of the destination mesh are rasterised once, each pixel
takes its triangle's backward affine, one ``cv2.remap`` samples the source. Pixels outside the
mesh use the identity (the caller adds fixed anchors so that the mesh covers the frame).
"""

from __future__ import annotations

import cv2
import numpy as np


def delaunay(pts: np.ndarray) -> np.ndarray:
    """(M, 3) int triangles of the Delaunay triangulation of ``pts`` (N, 2)."""
    from scipy.spatial import Delaunay

    tri = Delaunay(np.asarray(pts, dtype=np.float64)).simplices
    # drop slivers (collinear anchors): their affine is ill-conditioned
    p = pts[tri]
    area = np.abs(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]))
    return tri[area > 1e-3].astype(np.int32)


def triangle_ids(dst: np.ndarray, tris: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(h, w) int32: index of the destination triangle covering each pixel, len(tris) outside."""
    w, h = size
    ids = np.full((h, w), len(tris), np.int32)
    polys = np.round(dst[tris] * 16).astype(np.int32)
    for i, poly in enumerate(polys):
        cv2.fillConvexPoly(ids, poly, i, cv2.LINE_8, 4)
    return ids


def _affines(src: np.ndarray, dst: np.ndarray, tris: np.ndarray) -> np.ndarray:
    """(M + 1, 2, 3): per triangle the affine mapping destination pixels to source pixels; the
    last row is the identity (pixels outside the mesh)."""
    out = np.zeros((len(tris) + 1, 2, 3), np.float64)
    d = np.concatenate([dst[tris], np.ones((len(tris), 3, 1))], axis=2)  # (M, 3, 3)
    s = src[tris]  # (M, 3, 2)
    ok = np.abs(np.linalg.det(d)) > 1e-9
    sol = np.zeros((len(tris), 3, 2))
    sol[ok] = np.linalg.solve(d[ok], s[ok])  # d @ sol = s
    out[:-1] = sol.transpose(0, 2, 1)
    out[-1] = [[1, 0, 0], [0, 1, 0]]
    return out


def warp(img: np.ndarray, src: np.ndarray, dst: np.ndarray, size: tuple[int, int],
         tris: np.ndarray | None = None, ids: np.ndarray | None = None,
         interp: int = cv2.INTER_LINEAR) -> np.ndarray:
    """``img`` warped so that its points ``src`` land on ``dst`` (both (N, 2) pixels)."""
    src = np.asarray(src, np.float64)
    dst = np.asarray(dst, np.float64)
    if tris is None:
        tris = delaunay(dst)
    if ids is None:
        ids = triangle_ids(dst, tris, size)
    A = _affines(src, dst, tris)[ids]  # (h, w, 2, 3)
    w, h = size
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float64)
    mx = (A[..., 0, 0] * gx + A[..., 0, 1] * gy + A[..., 0, 2]).astype(np.float32)
    my = (A[..., 1, 0] * gx + A[..., 1, 1] * gy + A[..., 1, 2]).astype(np.float32)
    return cv2.remap(img, mx, my, interp, borderMode=cv2.BORDER_REFLECT)


def barycentric_field(values: np.ndarray, dst: np.ndarray, tris: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Per-vertex ``values`` (N, k) interpolated linearly inside each destination triangle:
    (h, w, k); 0 outside the mesh."""
    vals = np.asarray(values, np.float64)
    ident = np.zeros((len(tris) + 1, 3, vals.shape[1]))
    d = np.concatenate([dst[tris], np.ones((len(tris), 3, 1))], axis=2)
    ok = np.abs(np.linalg.det(d)) > 1e-9
    coef = np.zeros((len(tris), 3, vals.shape[1]))
    coef[ok] = np.linalg.solve(d[ok], vals[tris][ok])  # value = [x y 1] @ coef
    ident[:-1] = coef
    h, w = ids.shape
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float64)
    C = ident[ids]  # (h, w, 3, k)
    return C[..., 0, :] * gx[..., None] + C[..., 1, :] * gy[..., None] + C[..., 2, :]
