"""Phoneme timing for recorded speech (pocketsphinx alignment/recognition, Silero VAD, and an
acoustic fallback), so recorded or uploaded audio can drive the same lip sync as TTS output."""

from digihuman.recognition.recognize import recognize

__all__ = ["recognize"]
