"""Personas: a face photo, its analysis and a voice, stored as a folder."""

from .model import DEFAULT_NAME, Persona
from .photo import load_photo
from .store import PersonaStore, check_name, default_home

__all__ = ["DEFAULT_NAME", "Persona", "PersonaStore", "check_name", "default_home", "load_photo"]
