"""Emotion recognition from text, the emotion a persona's reply should carry, and the words that fit it."""

from __future__ import annotations

from .empathy import empathy, is_cheerful
from .text import recognize_text_emotion, reply_emotion

__all__ = ["empathy", "is_cheerful", "recognize_text_emotion", "reply_emotion"]
