"""Audio input/output shared by the stages: decode any format, resample, write WAV."""

from .io import load_audio, resample, stream_audio, write_wav

__all__ = ["load_audio", "resample", "stream_audio", "write_wav"]
