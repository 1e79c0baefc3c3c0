"""The MP4 writer on its own: durations, interleaving, metadata, atomicity."""

from __future__ import annotations

import numpy as np
import pytest

from digihuman.types import Audio
from digihuman.video.encoder import SYNTHETIC_NOTICE, VideoOptions, encode_mp4, probe, read_frames


def frames(n, size=128):
    for i in range(n):
        f = np.zeros((size, size, 3), np.uint8)
        f[:, : (i * size) // n] = (200, 50, 50)  # a bar that grows: frame order is visible
        yield f


@pytest.mark.parametrize("fps, n", [(25.0, 50), (30.0, 45)])
def test_audio_and_video_durations_agree(tmp_path, fps, n):
    sr = 22050
    seconds = n / fps
    tone = (0.3 * np.sin(2 * np.pi * 220 * np.arange(int(seconds * sr)) / sr)).astype(np.float32)
    out = tmp_path / "a.mp4"
    written = encode_mp4(out, frames(n), Audio(tone, sr), VideoOptions(fps=fps))
    info = probe(out)
    assert written == info.n_frames == n
    assert info.video_duration == pytest.approx(seconds, abs=1 / fps)
    assert info.audio_duration == pytest.approx(seconds, abs=1 / fps)
    assert info.sample_rate == sr
    assert info.metadata["comment"] == SYNTHETIC_NOTICE
    decoded = list(read_frames(out))
    assert len(decoded) == n
    # the bar grows: red column count increases frame to frame
    widths = [(f[64, :, 0] > 128).sum() for f in decoded]
    assert widths == sorted(widths) and widths[-1] > widths[0]


def test_no_frames_leaves_no_file(tmp_path):
    with pytest.raises(ValueError):
        encode_mp4(tmp_path / "empty.mp4", iter(()), None)
    assert list(tmp_path.iterdir()) == []


def test_output_gets_normal_file_permissions(tmp_path):
    """Atomic writes go through a private temp file; the result must still be readable like any
    file the user creates (mode from the umask), not 0600."""
    import os

    out = tmp_path / "m.mp4"
    encode_mp4(out, frames(5), None)
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask
