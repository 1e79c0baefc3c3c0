"""`emotion`: read the emotion in a photo, a video (face and voice) or a recording (voice)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InputError

EPILOG = """examples:
  digihuman emotion portrait.jpg              # the face's expression
  digihuman emotion interview.mp4 --json      # face every 0.2 s (smoothed) and the voice per 5 s
  digihuman emotion voicemail.wav             # the voice's arousal, against the speaker's own first part

Face: the fer model on each face (several faces, no face, a dark frame: "unknown" and why).
Voice: prosody only (pitch, range, loudness, rate, voice quality) -> calm / aroused relative to
the speaker's earlier parts of the same file; it cannot tell joy from anger.
"""
IMAGE = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
VIDEO = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"}
FACE_STEP_S = 0.2  # s between the video frames read
VOICE_CHUNK_S = 5.0  # s of sound per voice judgement


def register(sub, common: argparse.ArgumentParser) -> None:
    e = sub.add_parser("emotion", help="read the emotion in a photo, video or recording (face and voice)",
                       epilog=EPILOG, parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("file", help="image, video or audio file")
    e.add_argument("--json", action="store_true", help="print JSON")
    e.set_defaults(func=cmd_emotion)


def cmd_emotion(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"{args.file!r} does not exist", "give the path of an image, video or audio file")
    ext = path.suffix.lower()
    out: dict = {"file": str(path)}
    if ext in IMAGE:
        from ..emotion.face import recognize_face_emotion
        from ..persona.photo import load_photo

        out["face"] = [_face_json(0.0, recognize_face_emotion(load_photo(path)))]
    else:
        if ext in VIDEO:
            out["face"] = _video_faces(path)
        out["voice"] = _voice(path)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for key in ("face", "voice"):
        for item in out.get(key, []):
            what = item["label"] if item["label"] != "unknown" else f"unknown ({item['reason']})"
            extra = f", arousal {item['arousal']:.2f}" if "arousal" in item else ""
            print(f"{key:5s} {item['t']:7.1f} s  {what} {item['confidence']:.2f}{extra}")
    return 0


def _face_json(t: float, f) -> dict:
    return {"t": round(t, 2), "label": f.label, "confidence": round(f.confidence, 3), "reason": f.reason}


def _video_faces(path: Path) -> list[dict]:
    import av

    from ..emotion.face import FaceEmotionTracker

    tracker, items, next_t = FaceEmotionTracker(), [], 0.0
    try:
        with av.open(str(path)) as c:
            if not c.streams.video:
                return []
            for frame in c.decode(video=0):
                t = float(frame.time or 0.0)
                if t + 1e-6 < next_t:
                    continue
                next_t = t + FACE_STEP_S
                items.append(_face_json(t, tracker.update(frame.to_ndarray(format="rgb24"), t)))
    except av.error.FFmpegError as exc:
        raise InputError(f"cannot read the video {path.name}: {exc}", "give an MP4/MOV/WebM video") from None
    return items


def _voice(path: Path) -> list[dict]:
    from ..audio import load_audio
    from ..emotion.voice import VoiceEmotionTracker
    from ..types import Audio

    audio = load_audio(path, 16000)
    tracker, items = VoiceEmotionTracker(), []
    step = int(VOICE_CHUNK_S * 16000)
    for i in range(0, max(1, len(audio.samples)), step):
        chunk = audio.samples[i:i + step]
        if len(chunk) < step // 2 and i:
            break
        v = tracker.update(Audio(chunk, 16000))
        items.append({"t": round(i / 16000, 2), "label": v.label, "confidence": v.confidence,
                      "arousal": v.arousal, "reason": v.reason})
    return items


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: digihuman emotion FILE")
