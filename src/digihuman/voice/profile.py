"""The voice profile: what ``analyze_voice`` learned about one speaker, stored with the persona.

A profile is two files in the persona folder:

  voice.json  readable numbers (pitch in Hz and semitones, vocal-tract scale, tilt, rate, loudness)
  voice.npz   the learned spectral mapping (float32 arrays)

Both are written atomically, so a crash never leaves a half-written profile behind.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from ..errors import PersonaError

SCHEMA_VERSION = 1
JSON_NAME = "voice.json"
NPZ_NAME = "voice.npz"
_ARRAYS = ("mcep_shift", "mcep_scale", "mcep_gv", "base_mcep_mean")


@dataclass(frozen=True)
class VoiceProfile:
    """One speaker's voice, relative to the base TTS voice it will be converted from.

    Pitch statistics are over voiced frames; spreads are in semitones (12 * log2 of F0), a scale
    on which pitch can be averaged and compared linearly.
    """

    pitch_median_hz: float
    """Median F0 of the speaker's voiced frames (Hz)."""
    pitch_range_st: float
    """Spread of F0: standard deviation of 12*log2(F0) over voiced frames (semitones)."""
    base_pitch_median_hz: float
    """Median F0 of the base voice saying the same words (Hz)."""
    base_pitch_range_st: float
    """Standard deviation of the base voice's log-F0 (semitones)."""
    formant_scale: float
    """Frequency-warp factor applied to the base voice's spectral envelope (1.0 = unchanged;
    > 1 moves formants up = shorter vocal tract)."""
    spectral_tilt_db: float
    """Speaker's long-term spectrum slope, dB per octave (0.5-4 kHz)."""
    speaking_rate: float
    """Phones per second of the speaker (estimated)."""
    suggested_rate: float
    """``SpeechOptions.rate`` that makes the base voice speak at about the speaker's rate."""
    loudness_dbfs: float
    """RMS level of the speech frames, dB relative to full scale."""
    sample_rate: int
    """Rate (Hz) the spectral mapping was learned at; conversion resamples to it."""
    n_dims: int
    """Number of mel-cepstral coefficients the mapping works on."""
    method: str = "parallel"
    """"parallel" (transcribed, base voice said the same words, DTW-aligned) or "statistics"
    (non-parallel: long-term averages, used when the language cannot be transcribed)."""
    lang: str = "en"
    transcript: str = ""
    """What the recogniser heard (only for "parallel")."""
    speech_seconds: float = 0.0
    """Seconds of active speech that were analysed."""
    mcep_shift: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]
    """(n_dims,) added to the base voice's mel-cepstrum (amplitude scaling)."""
    mcep_scale: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]
    """(n_dims,) per-dimension slope around ``base_mcep_mean`` (1 = keep the base variation)."""
    mcep_gv: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]
    """(n_dims,) target global variance of each coefficient (0 = no variance post-filter)."""
    base_mcep_mean: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]
    """(n_dims,) mean mel-cepstrum of the base voice (after warping) on the analysed words."""
    schema: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        for name in _ARRAYS:
            v = getattr(self, name)
            arr = np.zeros(self.n_dims, np.float32) if v is None else np.asarray(v, np.float32).reshape(-1)
            if arr.shape != (self.n_dims,):
                raise ValueError(f"{name} must have shape ({self.n_dims},), got {arr.shape}")
            object.__setattr__(self, name, arr)

    def numbers(self) -> dict:
        """The readable part (the content of voice.json)."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _ARRAYS}
        for k, v in d.items():
            if isinstance(v, float):
                d[k] = round(v, 4)
        d["arrays"] = NPZ_NAME
        return d

    def save(self, folder: str | Path) -> None:
        """Write voice.json and voice.npz into ``folder`` (atomically, each)."""
        from .._fs import write_bytes_atomic, write_json_atomic

        folder = Path(folder)
        buf = io.BytesIO()
        np.savez(buf, **{name: getattr(self, name) for name in _ARRAYS})
        write_bytes_atomic(folder / NPZ_NAME, buf.getvalue())
        write_json_atomic(folder / JSON_NAME, self.numbers())

    @staticmethod
    def exists(folder: str | Path) -> bool:
        return (Path(folder) / JSON_NAME).is_file()

    @staticmethod
    def load(folder: str | Path) -> "VoiceProfile":
        """Read a profile saved by :meth:`save`; PersonaError when missing or damaged."""
        folder = Path(folder)
        hint = "create the persona's voice again (digihuman persona create ... --voice FILE)"
        try:
            meta = json.loads((folder / JSON_NAME).read_text(encoding="utf-8"))
            with np.load(folder / NPZ_NAME) as z:
                arrays = {name: z[name] for name in _ARRAYS}
        except FileNotFoundError as exc:
            raise PersonaError(f"no voice profile in {str(folder)!r}", hint) from exc
        except (ValueError, KeyError, OSError) as exc:
            raise PersonaError(f"voice profile in {str(folder)!r} is damaged ({exc})", hint) from exc
        if meta.get("schema") != SCHEMA_VERSION:
            raise PersonaError(f"voice profile in {str(folder)!r} has an unknown schema", hint)
        names = {f.name for f in fields(VoiceProfile)}
        kwargs = {k: v for k, v in meta.items() if k in names}
        try:
            return VoiceProfile(**kwargs, **arrays)
        except (TypeError, ValueError) as exc:
            raise PersonaError(f"voice profile in {str(folder)!r} is damaged ({exc})", hint) from exc


def as_dict(profile: VoiceProfile) -> dict:
    """Everything, arrays as lists (for debugging / JSON dumps)."""
    d = asdict(profile)
    for name in _ARRAYS:
        d[name] = np.asarray(d[name]).tolist()
    return d
