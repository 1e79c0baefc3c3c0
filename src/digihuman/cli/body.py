"""`gesture`: body motion for a script, as BVH (and an animated glTF mannequin)."""

from __future__ import annotations

import argparse
import time

EPILOG_GESTURE = """examples:
  digihuman gesture script.txt -o motion.bvh
  digihuman gesture script.txt -o motion.bvh --glb mannequin.glb --emotion joy --seed 3
  digihuman gesture - -o motion.bvh < script.txt

The speech is synthesised only for its timing (no video, no audio file): beats land on the
stressed syllables, pointing on I/you/this/there, and the emotion sets the posture. The BVH is
in metres, Y up, 30 frames/s, channels Zrotation Xrotation Yrotation (Blender: File > Import >
Motion Capture, scale 1). The .glb holds a skinned mannequin with the same animation.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    from .media import _add_voice_options

    g = sub.add_parser("gesture", help="body motion for a script -> BVH (and glTF)", epilog=EPILOG_GESTURE,
                       parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("file", metavar="TXT", help="the script, a UTF-8 text file ('-' for standard input)")
    g.add_argument("-o", "--output", metavar="BVH", default="motion.bvh", help="output motion (default: %(default)s)")
    g.add_argument("--glb", metavar="GLB", help="also write a skinned mannequin with the animation (glTF binary)")
    g.add_argument("-p", "--persona", metavar="NAME", help="whose voice sets the timing (default: the bundled persona)")
    g.add_argument("--seed", type=int, default=0, help="seed for the gesture choices and idle motion (default: %(default)s)")
    g.add_argument("--fps", type=float, default=30.0, help="frames per second of the motion (default: %(default)g)")
    _add_voice_options(g)
    g.set_defaults(func=cmd_gesture)


def cmd_gesture(args: argparse.Namespace) -> int:
    from ..body.api import gesture
    from ..pipeline import SayOptions
    from .media import _read_text

    text = _read_text(argparse.Namespace(text=None, file=args.file))
    opts = SayOptions(seed=args.seed, lang=args.lang, rate=args.rate, pitch=args.pitch, volume=args.volume,
                      emotion=args.emotion, emotion_strength=args.emotion_strength)
    t0 = time.perf_counter()
    res = gesture(text, args.output, args.persona, glb=args.glb, options=opts, fps=args.fps, home=args.home)
    if not args.quiet:
        print(f"wrote {res.bvh} ({res.clip.duration:.2f} s, {res.clip.n_frames} frames, {res.n_strokes} gesture strokes)"
              f" in {time.perf_counter() - t0:.1f} s")
        if res.glb:
            print(f"wrote {res.glb}")
    return 0
