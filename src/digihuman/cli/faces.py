"""`face create`: a virtual face (a person who does not exist) from two or more photos."""

from __future__ import annotations

import argparse
import sys

EPILOG_CREATE = """examples:
  digihuman face create --from a.jpg b.jpg -o new.png
  digihuman face create --from a.jpg b.jpg c.jpg --weights 0.5,0.3,0.2 -o new.png
  digihuman face create --from a.jpg b.jpg --features eyes=b,mouth=a -o new.png
  digihuman persona create nova --photo new.png      # recorded as a synthetic face

The first photo (or --base N) gives the hair, background and lighting; the face between them is
a landmark-aligned morph of all sources (shape and skin texture), its skin tone matched to the
base. --weights sets each source's share (scaled to sum to 1); --features takes a region
(eyes, nose, mouth, shape) from one source, named by its position (1, 2, ...) or file name
without extension. Sources should face the camera alike (refused beyond 30 degrees apart). The PNG carries a
'digihuman:synthetic' marker. The result is checked with dlib's face recogniser: without
--weights, weight moves away from a source it still resembles; a note warns if it stays close.
"""


EPILOG_3D = """examples:
  digihuman face3d default -o head.glb
  digihuman face3d nova -o nova.glb
  digihuman face3d nova -o nova.obj          # + nova.mtl and nova.png (rest pose, no morph targets)

The .glb is one textured mesh (face from the photo's 478 FaceMesh points with depth, subdivided;
a back-of-head shell and neck; eyeballs; mouth cavity and upper teeth) with morph targets:
viseme_A .. viseme_H and viseme_X (drive them from `say --cues` TSV: letter L -> viseme_L),
blink_left / blink_right, emotion_joy, emotion_sadness, emotion_anger, emotion_fear,
emotion_surprise, emotion_disgust, and the ARKit names jawOpen, eyeBlinkLeft, eyeBlinkRight,
mouthPucker, mouthFunnel, mouthRollLower, browInnerUp, mouthSmileLeft, mouthSmileRight,
mouthStretchLeft, mouthStretchRight. Names are in mesh.extras.targetNames (Blender, three.js).
Units are metres, y up, the face looking along +z.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    h = sub.add_parser("face3d", help="export a persona's head as a 3-D model (.glb / .obj)", epilog=EPILOG_3D,
                       parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_argument("persona", help="persona name ('default' for the bundled one)")
    h.add_argument("-o", "--output", required=True, metavar="FILE", help="head.glb or head.obj")
    h.set_defaults(func=cmd_face3d)
    f = sub.add_parser("face", help="make virtual faces", parents=[common])
    fsub = f.add_subparsers(dest="face_command", metavar="ACTION", required=True)
    c = fsub.add_parser("create", help="a new face from two or more photos", epilog=EPILOG_CREATE,
                        parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--from", dest="sources", nargs="+", required=True, metavar="PHOTO",
                   help="two to six face photos (JPEG, PNG, WebP, BMP, TIFF)")
    c.add_argument("--weights", metavar="W1,W2,...", help="share of each source (default: equal, shifted by up to 0.24 if the result would resemble one source)")
    c.add_argument("--features", metavar="REGION=SOURCE,...",
                   help="regions taken from one source: eyes, nose, mouth, shape (e.g. eyes=a,mouth=2)")
    c.add_argument("--base", type=int, default=1, metavar="N",
                   help="source (1-based) that gives hair, background and lighting (default 1)")
    c.add_argument("-o", "--output", required=True, metavar="PNG", help="output image (.png)")
    c.set_defaults(func=cmd_face_create)


def _parse_weights(text: str | None):
    from ..errors import InputError

    if not text:
        return None
    try:
        return [float(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        raise InputError(f"--weights {text!r} is not a list of numbers", "e.g. --weights 0.6,0.4") from None


def cmd_face_create(args: argparse.Namespace) -> int:
    from .._fs import check_writable
    from ..facegen import create_face, save_face

    check_writable(args.output, suffixes=(".png",))  # before the slow part
    face = create_face(args.sources, weights=_parse_weights(args.weights), features=args.features,
                       base=args.base - 1)
    out = save_face(face, args.output, args.sources)
    for note in face.notes:
        print(f"note: {note}", file=sys.stderr)
    if not args.quiet:
        print(f"wrote {out} (a virtual face from {len(args.sources)} photos)")
    return 0


def cmd_face3d(args: argparse.Namespace) -> int:
    from .._fs import check_writable
    from ..face3d import export_head
    from ..persona import PersonaStore

    check_writable(args.output, suffixes=(".glb", ".obj"))
    persona = PersonaStore(args.home).load(args.persona)
    files = export_head(persona, args.output)
    if not args.quiet:
        print("wrote " + ", ".join(str(f) for f in files))
    return 0
