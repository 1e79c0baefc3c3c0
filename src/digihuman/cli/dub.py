"""`dub`: a new script (or a voice actor's recording) on an existing talking video, lips re-synced."""

from __future__ import annotations

import argparse
import sys
import time

from ..errors import InputError

EPILOG = """examples:
  digihuman dub talk.mp4 --script talk_es.txt --lang es -o talk_es.mp4      # actor's voice, new words, new lips
  digihuman dub talk.mp4 --audio voice_actor.wav -o talk_new.mp4            # a voice actor's recording instead
  digihuman dub talk.mp4 --script new.txt --transcript old.txt --cues talk.tsv --timeline talk.json
  digihuman dub panel.mp4 --script new.txt --face 2 -o panel_new.mp4         # the second face from the left

The script is split over the actor's original speech segments (by sentence and pause) and
spoken in the actor's voice, learned from the video's own speech (the base voice when that is
impossible: you are told). Each piece is fitted to its segment's time (rate 0.8-1.25); the
original background sound is kept between the lines and ducked under the new voice (no source
separation: the background under the old lines is lost). Every output is marked synthetic.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    d = sub.add_parser("dub", help="dub a talking video: new words in the actor's voice, lips re-synced",
                       epilog=EPILOG, parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    d.add_argument("video", help="the talking video to dub (MP4, MOV, MKV, WebM)")
    what = d.add_mutually_exclusive_group(required=True)
    what.add_argument("--script", metavar="TXT", help="the new lines (UTF-8 text file; '-' for standard input)")
    what.add_argument("--audio", metavar="FILE", help="a voice actor's recording of the new lines (wav, mp3, flac, m4a ...)")
    d.add_argument("-o", "--output", metavar="MP4", default="dubbed.mp4", help="output video (default: %(default)s)")
    d.add_argument("--lang", metavar="CODE", default="en", help="language of the new lines (default: %(default)s)")
    d.add_argument("--source-lang", metavar="CODE", default="en",
                   help="language spoken in the video (default: %(default)s; only English is recognised word by word)")
    d.add_argument("--transcript", metavar="TXT", help="what the actor says in the video (else it is recognised)")
    d.add_argument("--face", type=int, metavar="N", help="which face to dub when several are seen: 1, 2 ... from the left")
    d.add_argument("--base-voice", action="store_true", help="speak with the base voice instead of the actor's")
    d.add_argument("--timeline", metavar="JSON", help="also write the new words, phonemes and visemes with times")
    d.add_argument("--cues", metavar="TSV", help="also write Rhubarb-compatible mouth cues")
    d.set_defaults(func=cmd_dub)


def _text(path: str) -> str:
    """A UTF-8 text file ('-': standard input), read as `say --file` reads it."""
    from .media import _read_text

    return _read_text(argparse.Namespace(text=None, file=path))


def cmd_dub(args: argparse.Namespace) -> int:
    from ..dub import DubOptions, dub

    if args.face is not None and args.face < 1:
        raise InputError(f"--face {args.face} is not a face number", "faces are counted 1, 2 ... from the left")
    script = _text(args.script) if args.script is not None else None
    transcript = _text(args.transcript) if args.transcript is not None else None
    opts = DubOptions(lang=args.lang, source_lang=args.source_lang, face=args.face, clone=not args.base_voice)
    t0 = time.perf_counter()
    res = dub(args.video, args.output, script=script, audio=args.audio, transcript=transcript, options=opts,
              timeline=args.timeline, cues=args.cues, home=args.home, progress=not args.quiet)
    for w in res.warnings:
        print(f"note: {w}", file=sys.stderr)
    if not args.quiet:
        voice = {"cloned": "the actor's voice (learned from the video)", "base": "the base voice",
                 "recording": "the voice actor's recording"}[res.voice]
        print(f"wrote {res.video} ({res.duration:.2f} s, {res.n_frames} frames at {res.info.width}x{res.info.height}, "
              f"mouth re-rendered on {res.faces_tracked}) with {voice} in {time.perf_counter() - t0:.1f} s")
        for extra in (res.timeline_path, res.cues_path):
            if extra is not None:
                print(f"wrote {extra}")
    return 0
