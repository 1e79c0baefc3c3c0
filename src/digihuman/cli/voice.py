"""`voice`: voice tools."""

from __future__ import annotations

import argparse
import sys


def register(sub, common: argparse.ArgumentParser) -> None:
    v = sub.add_parser("voice", help="voice tools (compare two recordings)", parents=[common])
    vsub = v.add_subparsers(dest="voice_command", metavar="ACTION")
    vc = vsub.add_parser("compare", help="speaker similarity of two recordings (needs the 'similarity' extra)",
                         parents=[common])
    vc.add_argument("a", metavar="A.wav")
    vc.add_argument("b", metavar="B.wav")
    vc.set_defaults(func=cmd_voice_compare)
    v.set_defaults(func=lambda args: v.print_help() or 2)


def cmd_voice_compare(args: argparse.Namespace) -> int:
    from ..voice.similarity import speaker_similarity

    score = speaker_similarity(args.a, args.b)
    print(f"{score:.3f}")
    if not args.quiet:
        print("# cosine similarity of speaker embeddings (resemblyzer): ~0.75+ usually the same speaker",
              file=sys.stderr)
    return 0
