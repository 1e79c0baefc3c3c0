"""`say` and `lipsync`: text or recorded speech -> a lip-synced video."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import InputError

EPILOG_SAY = """examples:
  digihuman say "Hello! I'm a digital human made from a single photo." -o hello.mp4
  digihuman say "What a wonderful surprise!" --emotion joy:0.8 -o joy.mp4
  digihuman say --file script.txt --persona alice --size 1024 -o alice.mp4 \\
      --timeline alice.json --cues alice.tsv
  digihuman say "Do you see it over there?" --body -o body.mp4 --bvh body.bvh   # shoulders and chest move too

--timeline writes words, phonemes and mouth shapes with times (JSON); --cues writes
Rhubarb Lip Sync compatible mouth cues (time<TAB>shape, shapes A-H and X) for animation tools.
"""


EPILOG_LIPSYNC = """examples:
  digihuman lipsync --persona alice --audio interview.wav --text transcript.txt -o out.mp4 --cues out.tsv
  digihuman lipsync --audio speech.mp3 -o out.mp4            # no transcript: phone recognition
  digihuman lipsync --audio rede.wav --lang de -o out.mp4    # other languages: acoustic fallback

The recording's own sound goes into the video; silence keeps the mouth closed.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("say", help="speak text as a lip-synced talking-head video", epilog=EPILOG_SAY, parents=[common],
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("text", nargs="?", help="what to say (or use --file)")
    s.add_argument("-f", "--file", metavar="TXT", help="read the text from a UTF-8 file ('-' for standard input)")
    s.add_argument("-o", "--output", metavar="MP4", default="digihuman.mp4", help="output video (default: %(default)s)")
    s.add_argument("-p", "--persona", metavar="NAME", help="persona to use (default: the bundled astronaut persona)")
    _add_voice_options(s)
    _add_video_options(s)
    _add_body_options(s)
    s.set_defaults(func=cmd_say)

    ls_ = sub.add_parser("lipsync", help="lip-sync a persona to recorded speech", epilog=EPILOG_LIPSYNC,
                         parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    ls_.add_argument("--audio", required=True, metavar="FILE", help="recorded speech: wav, mp3, flac, ogg, m4a, or a video's sound")
    ls_.add_argument("--text", metavar="TXT", help="transcript file (UTF-8) of what is said: exact timing by forced alignment")
    ls_.add_argument("-o", "--output", metavar="MP4", default="lipsync.mp4", help="output video (default: %(default)s)")
    ls_.add_argument("-p", "--persona", metavar="NAME", help="persona to use (default: the bundled persona)")
    ls_.add_argument("--lang", metavar="CODE", help="language of the speech (default: the persona's); only English is recognised, others get an acoustic fallback")
    _add_video_options(ls_)
    _add_body_options(ls_)
    ls_.set_defaults(func=cmd_lipsync)


def _add_voice_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--emotion", default="neutral", metavar="NAME[:INTENSITY]",
                   help="emotion to show in voice and face: neutral, joy, sadness, anger, fear, surprise, disgust; "
                        "optionally with an intensity 0..1, e.g. joy:0.6")
    s.add_argument("--emotion-strength", type=float, default=None, help="0..1 (default: 1, or the intensity after the colon)")
    s.add_argument("--lang", metavar="CODE", help="language of the text, e.g. en, ko, ja, es, de, fr, zh (default: the persona's)")
    s.add_argument("--rate", type=float, default=1.0, help="speaking rate, 0.5 slow .. 2.0 fast (default: %(default)g)")
    s.add_argument("--pitch", type=float, default=0.0, help="pitch shift in semitones, -12 .. 12 (default: %(default)g)")
    s.add_argument("--volume", type=float, default=1.0, help="loudness, 0.1 .. 2.0 (default: %(default)g)")


def _add_body_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--body", action="store_true",
                   help="move the neck, shoulders and chest with speech-driven gestures (the photo must show the shoulders)")
    s.add_argument("--bvh", metavar="BVH", help="with --body: also write the body's motion (BVH, metres, the video's frame rate)")
    s.add_argument("--motion", metavar="BVH", help="the body plays this motion (from 'digihuman mocap' or 'gesture'), "
                                                   "looped to the speech, instead of speech-driven gestures; implies --body")


def _add_video_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--size", type=int, default=512, choices=(512, 1024), help="video width and height in pixels (default: %(default)s)")
    s.add_argument("--fps", type=float, default=25.0, help="frames per second (default: %(default)g)")
    s.add_argument("--seed", type=int, default=0, help="seed for blinks and head motion (default: %(default)s)")
    s.add_argument("--timeline", metavar="JSON", help="also write words, phonemes and visemes with times")
    s.add_argument("--cues", metavar="TSV", help="also write Rhubarb-compatible mouth cues")
    s.add_argument("--label", action="store_true",
                   help='show a visible "AI-generated" caption (every video also carries an invisible watermark '
                        "and a signed C2PA manifest)")


def _options(args: argparse.Namespace):
    from ..pipeline import SayOptions

    emotion, strength = _emotion_arg(getattr(args, "emotion", "neutral"), getattr(args, "emotion_strength", None))
    return SayOptions(size=args.size, fps=args.fps, seed=args.seed, lang=args.lang,
                      rate=getattr(args, "rate", 1.0), pitch=getattr(args, "pitch", 0.0),
                      volume=getattr(args, "volume", 1.0), emotion=emotion,
                      emotion_strength=strength, label=args.label,
                      body=getattr(args, "body", False), motion=getattr(args, "motion", None))


def _emotion_arg(value: str, strength: float | None) -> tuple[str, float]:
    """"joy:0.6" -> ("joy", 0.6); the name is checked by the pipeline, the intensity here."""
    name, _, level = (value or "neutral").partition(":")
    if level:
        try:
            strength = float(level)
        except ValueError:
            raise InputError(f"emotion intensity {level!r} is not a number", "write it as NAME:0.5 (0 to 1)") from None
    strength = 1.0 if strength is None else strength
    if not 0.0 <= strength <= 1.0:
        raise InputError(f"emotion intensity {strength:g} is out of range", "use 0 (none) to 1 (full)")
    return name.strip().lower(), strength


def _read_text(args: argparse.Namespace) -> str:
    if args.text is not None and args.file is not None:
        raise InputError("give the text or --file, not both", "")
    if args.file is None:
        if args.text is None:
            raise InputError("no text to say", 'pass it in quotes, e.g. digihuman say "Hello!", or use --file script.txt')
        return args.text
    if args.file == "-":
        try:
            return sys.stdin.read()
        except UnicodeDecodeError as exc:
            raise InputError("standard input is not UTF-8 text", "save or pipe the text as UTF-8") from exc
    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"text file {args.file!r} does not exist", "check the path")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"text file {args.file!r} is not UTF-8 text", "save it as UTF-8") from exc


def cmd_say(args: argparse.Namespace) -> int:
    from ..pipeline import say

    text = _read_text(args)
    t0 = time.perf_counter()
    res = say(text, args.output, args.persona, options=_options(args), timeline=args.timeline,
              cues=args.cues, home=args.home, progress=not args.quiet, bvh=args.bvh)
    for w in res.warnings:
        print(f"note: {w}", file=sys.stderr)
    _summary(args, res, time.perf_counter() - t0)
    return 0


def _read_transcript(name: str | None) -> str | None:
    """The transcript file's text (UTF-8), or None when no file was given."""
    if name is None:
        return None
    path = Path(name)
    if not path.is_file():
        raise InputError(f"transcript file {name!r} does not exist", "give the path of a UTF-8 text file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"transcript {name!r} is not UTF-8 text", "save it as UTF-8") from exc


def cmd_lipsync(args: argparse.Namespace) -> int:
    from ..pipeline import lipsync_audio

    transcript = _read_transcript(args.text)
    t0 = time.perf_counter()
    res = lipsync_audio(args.audio, args.output, args.persona, transcript=transcript, options=_options(args),
                  timeline=args.timeline, cues=args.cues, home=args.home, progress=not args.quiet, bvh=args.bvh)
    for w in res.warnings:
        print(f"note: {w}", file=sys.stderr)
    _summary(args, res, time.perf_counter() - t0)
    return 0


def _summary(args: argparse.Namespace, res, took: float) -> None:
    if args.quiet:
        return
    print(f"wrote {res.video} ({res.duration:.2f} s, {res.n_frames} frames at {args.size}x{args.size}) in {took:.1f} s")
    for extra in (res.timeline_path, res.cues_path, getattr(res, "bvh_path", None)):
        if extra is not None:
            print(f"wrote {extra}")
