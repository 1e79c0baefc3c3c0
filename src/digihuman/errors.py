"""Errors that reach users.

Every error a user can cause carries a ``hint``: one sentence that says what to do next. The CLI
prints ``error: <message>`` and ``hint: <hint>`` and exits with ``exit_code``.
"""

from __future__ import annotations


class DigihumanError(Exception):
    """Base class for every error digihuman raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class InputError(DigihumanError):
    """The user gave something we cannot use: bad text, a bad photo, a bad path."""

    exit_code = 2


class FaceError(InputError):
    """The photo has no usable face (none, too small, cut off)."""


class TextError(InputError):
    """The text to speak is empty, too long, or has nothing speakable in it."""


class PersonaError(InputError):
    """A persona is missing, already exists, has a bad name, or is damaged on disk."""


class OutputError(DigihumanError):
    """An output path cannot be written."""

    exit_code = 3


class BackendUnavailable(DigihumanError):
    """A named backend was chosen whose optional dependency is not installed."""

    exit_code = 4
