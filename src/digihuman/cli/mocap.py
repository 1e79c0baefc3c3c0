"""`mocap`: the motion of a person in a video, as BVH (and glTF, face parameters)."""

from __future__ import annotations

import argparse
import time

EPILOG_MOCAP = """examples:
  digihuman mocap dance.mp4 -o dance.bvh
  digihuman mocap dance.mp4 -o dance.bvh --glb dance.glb --face face.json
  digihuman mocap street.mp4 -o second.bvh --person 2      # the second-largest person in view

Any common video works (MP4, MOV, MKV, WEBM, AVI; phone videos with a rotation flag or a
variable frame rate too). The BVH uses the project's humanoid skeleton (the one 'digihuman
gesture' writes): metres, Y up, channels Zrotation Xrotation Yrotation, at the video's frame
rate; Blender imports it with File > Import > Motion Capture (scale 1). Joints never seen (legs
out of frame) stay in a relaxed rest pose; short gaps are filled, and the motion restarts after
a shot cut. --face writes the performer's jaw, lips, blinks, brows and head turns per frame as
the persona face parameters (see README).
"""


EPILOG_IMITATE = """examples:
  digihuman imitate alice performer.mp4 -o alice.mp4
  digihuman imitate default talk.mp4 --transcript talk.txt -o astronaut.mp4 --size 1024

The performer's blinks, brows, smile and head turns play on the persona's face; their speech
(the video's sound) drives the lip sync as in 'digihuman lipsync', and where nobody speaks the
performer's captured mouth is copied. When the persona's photo shows shoulders, the captured
body motion moves them. The output has the video's sound and the persona's face.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    m = sub.add_parser("mocap", help="a person's motion in a video -> BVH (and glTF, face)", epilog=EPILOG_MOCAP,
                       parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    m.add_argument("video", metavar="VIDEO", help="the video of the person")
    m.add_argument("-o", "--output", metavar="BVH", default="motion.bvh", help="output motion (default: %(default)s)")
    m.add_argument("--glb", metavar="GLB", help="also write a skinned mannequin with the motion (glTF binary)")
    m.add_argument("--face", metavar="JSON", help="also write the performer's face parameters per frame")
    m.add_argument("--person", type=int, default=1, metavar="N",
                   help="which person, by size in view (1 = the largest, the default)")
    m.set_defaults(func=cmd_mocap)

    i = sub.add_parser("imitate", help="a persona moves, looks and speaks like the performer in a video",
                       epilog=EPILOG_IMITATE, parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("persona", metavar="PERSONA", help="who imitates ('default' for the bundled persona)")
    i.add_argument("video", metavar="VIDEO", help="the performer's video (its sound drives the lip sync)")
    i.add_argument("-o", "--output", metavar="MP4", default="imitation.mp4", help="output video (default: %(default)s)")
    i.add_argument("--transcript", metavar="TXT", help="what the performer says (English: exact lip sync)")
    i.add_argument("--person", type=int, default=1, metavar="N", help="which performer, by size (default: 1, the largest)")
    i.add_argument("--size", type=int, default=512, choices=(512, 1024), help="video width and height (default: %(default)s)")
    i.add_argument("--fps", type=float, default=25.0, help="frames per second (default: %(default)g)")
    i.add_argument("--lang", metavar="CODE", help="language of the speech (default: the persona's)")
    i.add_argument("--label", action="store_true", help='show a visible "AI-generated" caption')
    i.set_defaults(func=cmd_imitate)


def cmd_mocap(args: argparse.Namespace) -> int:
    from ..mocap.api import mocap

    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="frame", desc="capturing", leave=False)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = max(total, done)
            bar.n = done
            bar.refresh()

    t0 = time.perf_counter()
    try:
        cap, paths = mocap(args.video, args.output, glb=args.glb, face=args.face, person=args.person,
                           progress=progress)
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        for note in cap.notes:
            print(f"note: {note}")
        planted = cap.contact.any(axis=1).mean() * 100
        print(f"wrote {', '.join(map(str, paths))} ({cap.clip.duration:.2f} s, {cap.clip.n_frames} frames at "
              f"{cap.clip.fps:.2f} fps; a foot planted {planted:.0f} % of the time) in {time.perf_counter() - t0:.1f} s")
    return 0


def cmd_imitate(args: argparse.Namespace) -> int:
    from ..mocap.imitate import imitate
    from ..pipeline import SayOptions
    from .media import _read_transcript

    t0 = time.perf_counter()
    persona = None if args.persona == "default" else args.persona
    out, n, _, warnings = imitate(persona, args.video, args.output, transcript=_read_transcript(args.transcript),
                                  options=SayOptions(size=args.size, fps=args.fps, lang=args.lang, label=args.label), home=args.home, person=args.person,
                                  progress=not args.quiet)
    for w in warnings:
        print(f"note: {w}")
    if not args.quiet:
        print(f"wrote {out} ({n} frames) in {time.perf_counter() - t0:.1f} s")
    return 0
