"""Emotion in the face and voice of the persona, and in the face and voice of the user.

Expression is judged by an independent look (the fer classifier as fer runs it, tests/fer_look.py)
on MP4s rendered from a neutral official portrait (tests/data/biden.jpg); lip sync is measured on
the same videos from re-detected landmarks. Recognition runs on real photos and recordings.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from conftest import DATA, SCRIPT, detect, lip_gap_ratio

pytest.importorskip("ai_edge_litert")


def _rgb(name: str) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(DATA / name)), cv2.COLOR_BGR2RGB)


@pytest.fixture(scope="module")
def renders(tmp_path_factory, home) -> dict:
    """The neutral portrait saying SCRIPT with joy and with sadness (decoded frames + timeline)."""
    import digihuman
    from digihuman.video.encoder import read_frames

    tmp = tmp_path_factory.mktemp("expr")
    who = digihuman.PersonaStore(tmp / "home").create("neutral", DATA / "biden.jpg")
    out = {}
    for emotion in ("joy", "sadness"):
        digihuman.say(SCRIPT, tmp / f"{emotion}.mp4", who, options=digihuman.SayOptions(emotion=emotion),
                      timeline=tmp / f"{emotion}.json")
        out[emotion] = (list(read_frames(tmp / f"{emotion}.mp4")), json.loads((tmp / f"{emotion}.json").read_text()))
    return out


def test_expression_reads_as_the_emotion(renders):
    from fer_look import top1_share

    share = {e: top1_share(frames[::2], e) for e, (frames, _) in renders.items()}
    # bench_expression tracks the 70 % target: sadness meets it (~75 %), joy is just under (~65 %)
    assert share["sadness"] >= 0.6, share
    assert share["joy"] >= 0.5, share
    # and neither is read as the other
    assert top1_share(renders["joy"][0][::3], "sadness") < 0.2
    assert top1_share(renders["sadness"][0][::3], "joy") < 0.1


def test_lip_sync_holds_with_expression(renders):
    for emotion, (frames, tl) in renders.items():
        gaps = [1.0 if p is None else lip_gap_ratio(p) for p in detect(frames)]
        n, fps = len(gaps), 25.0
        win = lambda a, b: range(max(0, int(np.floor(a * fps - 0.5))), min(n - 1, int(np.ceil(b * fps - 0.5))) + 1)  # noqa: E731
        bil = [p for p in tl["phonemes"] if p["symbol"].strip("ˈˌ") in ("p", "b", "m")]
        closed = [min(gaps[i] for i in win(p["start"] - 0.02, p["end"] + 0.02)) <= 0.06 for p in bil]
        assert len(bil) >= 8 and np.mean(closed) >= 0.9, (emotion, closed)


def test_expression_envelope_and_contact_gate():
    from digihuman.animation.expression import ONSET, ExpressionSegment, contact_gate, express_segments
    from digihuman.types import FaceTrack, MouthCue, Viseme

    track = FaceTrack.neutral(100, 25.0)  # 4 s
    cues = [MouthCue(1.0, 1.1, Viseme.A), MouthCue(2.0, 2.1, Viseme.D)]
    segs = [ExpressionSegment(0.0, 2.0, {"smile": 1.0, "jaw_open": 0.2}), ExpressionSegment(2.0, 4.0, {"brow_inner": 1.0})]
    out = express_segments(track, segs, cues)
    smile, jaw, inner = out.column("smile"), out.column("jaw_open"), out.column("brow_inner")
    t = (np.arange(100) + 0.5) / 25
    assert smile[0] < 0.1 and smile[int(ONSET * 25) + 2] > 0.95  # onset
    assert smile[-1] < 0.05 and inner[-1] < 0.3 and inner[75] > 0.95  # the next sentence's emotion takes over
    assert np.all(jaw[(t >= 1.0) & (t <= 1.1)] <= 1e-6)  # the lips close on the "m" whatever the emotion
    assert jaw[int(1.6 * 25)] > 0.15
    assert contact_gate(cues, np.array([2.05]))[0] == 1.0


def test_face_reader_on_real_portraits():
    import skimage.data

    from digihuman.emotion.face import recognize_face_emotion

    assert recognize_face_emotion(skimage.data.astronaut()).label == "joy"  # smiling with teeth showing
    assert recognize_face_emotion(_rgb("biden.jpg")).label == "neutral"  # official portrait, neutral
    dark = (skimage.data.astronaut() * 0.08).astype(np.uint8)
    assert recognize_face_emotion(dark).reason == "dark frame"
    assert recognize_face_emotion(np.full((240, 320, 3), 120, np.uint8)).reason == "no face"
    two = np.hstack([cv2.resize(skimage.data.astronaut(), (320, 320)), cv2.resize(_rgb("biden.jpg")[60:540, 150:630], (320, 320))])
    r = recognize_face_emotion(two)
    assert r.label == "unknown" and r.reason.startswith("several faces"), r


def test_voice_arousal_against_the_speakers_own_voice():
    from digihuman.audio import load_audio
    from digihuman.emotion.voice import VoiceEmotionTracker
    from digihuman.types import Audio
    from digihuman.voice import shift_pitch

    a = load_audio(DATA / "voices" / "en_david.wav", 16000)
    tr = VoiceEmotionTracker()
    base = tr.update(shift_pitch(a, 0.0, range_factor=1.001))  # same WORLD pass as the others
    assert base.label != "unknown"
    up = shift_pitch(a, 3.0, range_factor=1.4)
    aroused = tr.update(Audio((up.samples * 1.6).astype(np.float32), 16000), learn=False)
    down = shift_pitch(a, -1.5, range_factor=0.8)
    calm = tr.update(Audio((down.samples * 0.7).astype(np.float32), 16000), learn=False)
    assert aroused.arousal > 0.6 > 0.4 > calm.arousal, (aroused, calm)
    assert tr.update(Audio(np.zeros(32000, np.float32), 16000)).reason == "silence"
    clipped = Audio(np.clip(a.samples * 20, -1, 1).astype(np.float32), 16000)
    assert tr.update(clipped).reason == "clipping"


def test_fusion_one_state_with_sources():
    from digihuman.dialog.types import Emotion
    from digihuman.emotion.face import FaceEmotion
    from digihuman.emotion.fusion import fuse
    from digihuman.emotion.voice import VoiceEmotion

    face = FaceEmotion("joy", 0.9, {"joy": 0.9, "neutral": 0.1})
    voice = VoiceEmotion("aroused", 0.8, 0.6, {"joy": 0.25, "anger": 0.25, "fear": 0.25, "surprise": 0.25})
    s = fuse(Emotion("neutral", 0.3), face, voice)
    assert s.label == "joy" and s.arousal == 0.8 and s.valence > 0
    assert set(s.sources) == {"text", "face", "voice"}
    s = fuse(None, FaceEmotion("unknown", reason="no face"), VoiceEmotion("unknown", reason="silence"))
    assert s.label == "unknown" and "no face" in s.reason and "silence" in s.reason
    assert s.as_emotion().label == "neutral" and s.as_emotion().confidence == 0.0


def test_prosody_table_moves_the_options():
    from digihuman.emotion.prosody import PROSODY, apply_prosody
    from digihuman.pipeline import SayOptions

    joy, sad = (apply_prosody(PROSODY[e], 1.0, SayOptions()) for e in ("joy", "sadness"))
    assert joy.rate > 1 > sad.rate and joy.pitch > 0 > sad.pitch and joy.volume > 1 > sad.volume
    assert joy.pitch_range > 1 > sad.pitch_range
    half = apply_prosody(PROSODY["joy"], 0.5, SayOptions())
    assert 1 < half.rate < joy.rate


def test_say_emotion_intensity_argument(tmp_path, capsys):
    from digihuman.cli import main
    from digihuman.cli.media import _emotion_arg

    assert _emotion_arg("joy:0.4", None) == ("joy", 0.4)
    assert _emotion_arg("Sadness", None) == ("sadness", 1.0)
    assert main(["say", "Hi.", "--emotion", "joy:2", "-o", str(tmp_path / "x.mp4")]) == 2
    assert "out of range" in capsys.readouterr().err
    assert not (tmp_path / "x.mp4").exists()


def test_emotion_command_reads_photo_and_recording(capsys):
    from digihuman.cli import main

    assert main(["emotion", str(DATA / "biden.jpg"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["face"][0]["label"] == "neutral"
    assert main(["emotion", str(DATA / "voices" / "en_patricia.wav"), "--json"]) == 0
    voice = json.loads(capsys.readouterr().out)["voice"]
    assert voice and voice[0]["label"] in ("neutral", "calm", "aroused") and 0 <= voice[0]["arousal"] <= 1


def test_the_face_on_camera_reaches_the_reply(tmp_path):
    """The live page's fused state (words + webcam face) is the user's emotion of the next reply:
    "Fine." said with a big smile reads as joy; without the camera it stays the words' reading."""
    import skimage.data

    from digihuman.dialog.conversation import Conversation
    from digihuman.dialog.types import Personality
    from digihuman.emotion import recognize_text_emotion
    from digihuman.emotion.face import recognize_face_emotion
    from digihuman.emotion.fusion import fuse

    with Conversation("mina", tmp_path / "p", Personality(0.5)) as conv:
        plain = conv.chat("ann", "Fine.").user_emotion
        assert plain.label != "joy"
        state = fuse(recognize_text_emotion("Fine."), recognize_face_emotion(skimage.data.astronaut()))
        assert state.label == "joy"
        conv.set_user_emotion("ann", state)
        assert conv.chat("ann", "Fine.").user_emotion.label == "joy"
        assert conv.chat("ann", "Fine.").user_emotion.label == plain.label  # used once
