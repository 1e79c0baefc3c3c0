"""Text preparation for the voice."""

from digihuman.text.normalize import MAX_SENTENCE_CHARS, markup_tags, prepare_text, strip_markup

__all__ = ["MAX_SENTENCE_CHARS", "markup_tags", "prepare_text", "strip_markup"]
