"""Text preparation for the voice."""

from digihuman.text.normalize import MAX_SENTENCE_CHARS, prepare_text

__all__ = ["MAX_SENTENCE_CHARS", "prepare_text"]
