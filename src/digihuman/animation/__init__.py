"""Per-frame face parameters: mouth from cues, plus blinks, head motion and breathing."""

from digihuman.animation.idle import blink_events
from digihuman.animation.mouth import mouth_frames
from digihuman.animation.track import animate, express, idle_track

__all__ = ["animate", "blink_events", "express", "idle_track", "mouth_frames"]
