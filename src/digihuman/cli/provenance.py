"""`verify`: is a video, recording or picture marked by digihuman, and is it signed?"""

from __future__ import annotations

import argparse
import json

EPILOG_VERIFY = """examples:
  digihuman verify hello.mp4
  digihuman verify clip_from_social_media.mp4 --json
  digihuman verify voice_message.m4a

Reports the invisible watermark of the picture (it survives re-encoding, scaling and cropping)
and of the sound (it survives AAC/MP3), its payload (tool, version, persona hash, UTC time) and
confidence, and the C2PA manifest if the file still has one. Exit code 0 whether or not the
file is marked; 2 if it cannot be read.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    v = sub.add_parser("verify", help="check a file for digihuman's watermark and C2PA manifest",
                       epilog=EPILOG_VERIFY, parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("file", help="video, audio file or image")
    v.add_argument("--json", action="store_true", help="print the full report as JSON")
    v.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from ..provenance import verify

    report = verify(args.file)
    if args.json:
        print(json.dumps(report.describe(), indent=2, ensure_ascii=False))
        return 0
    print(f"{report.path}: {'MARKED by digihuman' if report.marked else 'no digihuman watermark found'} ({report.kind})")
    if report.payload is not None:
        p = report.payload.describe()
        print(f"  made by:      {p['tool']} {p['version']}")
        print(f"  persona hash: {p['persona_hash']}")
        print(f"  made at:      {p['time_utc']}")
    for name, d in (("picture", report.video), ("sound", report.audio)):
        if d is not None:
            state = f"marked, confidence {d.confidence:.2f}" if d.marked else "not found" + (f" ({d.note})" if d.note else "")
            print(f"  {name + ' watermark:':19s} {state}")
    m = report.manifest
    if m is None:
        print("  C2PA manifest:    none")
    elif "unchecked" in m:
        print(f"  C2PA manifest:    not checked ({m['unchecked']})")
    elif "error" in m:
        print(f"  C2PA manifest:    unreadable ({m['error']})")
    else:
        actions = (m["assertions"].get("c2pa.actions.v2") or {}).get("actions", [])
        source = next((a.get("digitalSourceType", "") for a in actions if a.get("digitalSourceType")), "")
        print(f"  C2PA manifest:    {m['validation_state'] or 'present'} (signed by {m['signer'] or 'unknown'}; "
              f"{', '.join(m['validation_issues']) or 'no issues'})")
        print(f"    generator:      {m['claim_generator']}")
        if source:
            print(f"    source type:    {source.rsplit('/', 1)[-1]}")
        own = m["assertions"].get("org.digihuman.provenance")
        if own:
            print(f"    persona:        {own.get('persona', '')}; consent: {own.get('consent_statement', '') or '(none recorded)'}")
    return 0
