"""Reading a persona's photo safely.

The file type is decided by its content (Pillow sniffs the header), never by its name. Images
are size-checked from the header before decoding so a decompression bomb is refused without
allocating it, and EXIF orientation is applied so phone photos are upright.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from ..errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024  # 50 MB: larger than any sane portrait
MAX_PIXELS = 50_000_000  # 50 MP: above this a photo is refused before decoding
MAX_STORED_SIDE = 2048  # px: personas keep at most this much (enough for 1024x1024 output)
SUPPORTED = "JPEG, PNG, WebP, BMP or TIFF"


def load_photo(path: str | os.PathLike) -> np.ndarray:
    """Read an image file as an RGB uint8 array (h, w, 3); raise InputError if it is not usable."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(f"photo {str(p)!r} does not exist", "check the path")
    if not p.is_file():
        raise InputError(f"photo {str(p)!r} is not a file", "give the path of an image file")
    size = p.stat().st_size
    if size == 0:
        raise InputError(f"photo {str(p)!r} is empty (0 bytes)", f"use a {SUPPORTED} photo")
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"photo {str(p)!r} is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB",
            "resize or re-compress it first",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(p) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise InputError(
                        f"photo {str(p)!r} is {w}x{h} pixels; the limit is {MAX_PIXELS / 1e6:.0f} megapixels",
                        "resize it first",
                    )
                im.load()
                im = ImageOps.exif_transpose(im)
                rgb = _to_rgb(im)
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError(
            f"photo {str(p)!r} claims more than {MAX_PIXELS / 1e6:.0f} megapixels (a decompression bomb?)",
            "use a normal-sized photo",
        ) from exc
    except UnidentifiedImageError as exc:
        raise InputError(f"{str(p)!r} is not an image digihuman can read", f"use a {SUPPORTED} photo") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"photo {str(p)!r} is damaged or truncated ({exc})", "export it again") from exc
    return limit_size(rgb)


def _to_rgb(im) -> np.ndarray:
    """Any Pillow mode -> RGB; transparency is flattened onto white."""
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        return _gray_to_rgb8(im)
    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        arr = np.asarray(im, dtype=np.float32)
        alpha = arr[..., 3:4] / 255.0
        rgb = arr[..., :3] * alpha + 255.0 * (1.0 - alpha)
        return np.ascontiguousarray(rgb.round().astype(np.uint8))
    return np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8))


def _gray_to_rgb8(im) -> np.ndarray:
    """16-bit / 32-bit / float grayscale -> RGB uint8, scaled by the value range.

    Pillow's convert("RGB") clips these modes at 255, so a 16-bit grayscale PNG (0..65535)
    became almost all white and no face was found. 16-bit modes span 0..65535; "I" and "F"
    carry no declared range, so it is read from the data (8-bit, 16-bit or 0..1 float)."""
    a = np.asarray(im, dtype=np.float64)
    top = float(a.max()) if a.size else 0.0
    if im.mode.startswith("I;16"):
        full = 65535.0
    elif im.mode == "F" and top <= 1.0:
        full = 1.0
    else:
        full = 255.0 if top <= 255.0 else 65535.0 if top <= 65535.0 else top
    g = np.clip(a * (255.0 / full), 0.0, 255.0).round().astype(np.uint8)
    return np.ascontiguousarray(np.repeat(g[..., None], 3, axis=2))


def limit_size(rgb: np.ndarray, max_side: int = MAX_STORED_SIDE) -> np.ndarray:
    """Downscale (area filter) so the longest side is at most ``max_side`` pixels."""
    import cv2

    h, w = rgb.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return rgb
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
