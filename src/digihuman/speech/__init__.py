"""Text-to-speech. Backends load lazily: importing this package does not import piper."""

from digihuman.speech.base import TTS, SpeechOptions, available_backends, get_tts

__all__ = ["TTS", "SpeechOptions", "available_backends", "get_tts"]
