"""Live: how much the user's emotion recognition adds to a turn on the server (target <= 20 ms).

What a turn waits for (server/live_emotion.py): the text's emotion (the reply needs it anyway,
measured here too), the fusion, and, on a microphone turn, whatever part of the voice analysis
outlasts the speech recognition it runs beside. Webcam frames are analysed as they arrive, off
the turn's path; their cost per frame is printed (it bounds the frame rate the server can take).
Medians on a shared 2-core machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, median_time, pin_one_core, report  # noqa: E402

pin_one_core()
import numpy as np  # noqa: E402

ROOT = Path(__file__).parent.parent


def main() -> int:
    import cv2
    import skimage.data

    from digihuman.audio import load_audio
    from digihuman.emotion import recognize_text_emotion
    from digihuman.emotion.face import FaceEmotionTracker
    from digihuman.emotion.fusion import fuse
    from digihuman.emotion.voice import VoiceEmotionTracker
    from digihuman.recognition import recognize

    text = "I finally passed my driving test today, I can't believe it!"
    face = FaceEmotionTracker()
    frame = cv2.resize(skimage.data.astronaut(), (320, 320))
    face_state = face.update(frame, 0.0)
    t_frame = median_time(lambda: face.update(frame), repeat=20)
    voice = VoiceEmotionTracker()
    audio = load_audio(ROOT / "tests" / "data" / "voices" / "en_patricia.wav", 16000)
    voice.update(audio)
    voice_state = voice.update(audio, learn=False)
    t_voice = median_time(lambda: voice.update(audio, learn=False), repeat=5)
    t_asr = median_time(lambda: recognize(audio), repeat=3)
    emo = recognize_text_emotion(text)
    t_text = median_time(lambda: recognize_text_emotion(text), repeat=20)
    t_fuse = median_time(lambda: fuse(emo, face_state, voice_state), repeat=200)
    wait_voice = max(0.0, t_voice - t_asr)
    report("webcam frame analysis (off the turn path)", 1000 * t_frame, "ms")
    report("text emotion (needed by the reply anyway)", 1000 * t_text, "ms")
    report("fusion", 1000 * t_fuse, "ms")
    report(f"voice analysis of {audio.duration:.1f} s (beside recognition: {1000 * t_asr:.0f} ms)", 1000 * t_voice, "ms")
    report("added per typed turn (fusion)", 1000 * t_fuse, "ms", "<= 20")
    report("added per microphone turn (fusion + voice wait)", 1000 * (t_fuse + wait_voice), "ms", "<= 20")
    report("  ... counting the text emotion too", 1000 * (t_fuse + wait_voice + t_text), "ms", "<= 20")
    print("(machine shared with other sessions: timings are inflated)")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
