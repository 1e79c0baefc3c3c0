"""Voice cloning by signal processing: analyse a speaker once, convert the base voice to it.

    profile = analyze_voice("alice_30s.wav")        # VoiceProfile, ~seconds
    profile.save(persona_folder)                      # voice.json + voice.npz
    conv = get_converter("world", VoiceProfile.load(persona_folder))
    speech = get_tts("piper", rate=profile.suggested_rate).synthesize(text)
    audio = conv.convert(speech.audio)                # same length: timeline stays valid
"""

import warnings

# pyworld 0.3.5 imports the deprecated pkg_resources (setuptools<81 is pinned for it); its
# warning says nothing a digihuman user can act on.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)

from .analyze import analyze_voice, check_speech  # noqa: E402
from .convert import VoiceConverter, WorldConverter, available_converters, get_converter  # noqa: E402
from .pitch import shift_pitch  # noqa: E402
from .profile import VoiceProfile  # noqa: E402

__all__ = [
    "VoiceConverter",
    "VoiceProfile",
    "WorldConverter",
    "analyze_voice",
    "available_converters",
    "check_speech",
    "get_converter",
    "shift_pitch",
]
