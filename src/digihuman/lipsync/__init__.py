"""Phoneme timeline -> mouth shapes (Rhubarb's A-H, X) and their files."""

from digihuman.lipsync.cues import mouth_cues
from digihuman.lipsync.export import cues_tsv, timeline_dict, write_cues_tsv, write_timeline_json
from digihuman.lipsync.visemes import phoneme_viseme

__all__ = ["cues_tsv", "mouth_cues", "phoneme_viseme", "timeline_dict", "write_cues_tsv",
           "write_timeline_json"]
