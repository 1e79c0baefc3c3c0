"""digihuman: a digital human from one photo and a voice, offline on a CPU."""

__version__ = "0.1.0"
