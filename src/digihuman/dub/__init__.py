"""Automatic dubbing: a new script in the actor's own voice, lips re-synced on the original video.

    from digihuman.dub import dub
    dub("talk.mp4", "talk_es.mp4", script=open("talk_es.txt").read(), options=DubOptions(lang="es"))

Stages, along the data path: :mod:`.analyze` (video facts, the face tracked on every frame, shot
cuts), :mod:`.speech` (the script split over the original speech segments and fitted to their
time, or a voice actor's recording aligned; the mix with the original background), :mod:`.render`
(the mouth and jaw re-rendered on each original frame), :mod:`.run` (wiring and encoding).
"""

from .run import DubOptions, DubResult, dub

__all__ = ["DubOptions", "DubResult", "dub"]
