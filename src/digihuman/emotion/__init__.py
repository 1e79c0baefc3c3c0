"""Emotion recognition from text and the emotion a persona's reply should carry."""

from __future__ import annotations

from .text import recognize_text_emotion, reply_emotion

__all__ = ["recognize_text_emotion", "reply_emotion"]
