"""`persona`: create, change, list, show and delete personas."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError

EPILOG_PERSONA = """examples:
  digihuman persona create alice --photo alice.jpg --consent "I, Alice Smith, took this photo and agree to its use"
  digihuman persona create alice --photo alice.jpg --voice alice_30s.wav --force
  digihuman persona create minji --photo minji.jpg --lang ko
  digihuman persona create hana --photo hana.jpg --catalog products.csv
  digihuman persona catalog hana --file new_products.json
  digihuman persona voice alice --voice better_sample.flac
  digihuman persona create bob --photo bob.jpg --voice-name am_michael
  digihuman persona voice bob --voice-name bm_george
  digihuman persona list
  digihuman persona show alice
  digihuman persona profile alice                       # who alice is: origin, likes, opinions
  digihuman persona profile alice --set origin=Busan --set likes.music="jazz because it's relaxed"
  digihuman persona delete alice --yes

Personas live in --home, $DIGIHUMAN_HOME, or the per-user data folder (see 'persona list').
The photo needs one clearly visible face looking roughly at the camera, at least ~80 px wide.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    pp = sub.add_parser("persona", help="create, list, show or delete personas", epilog=EPILOG_PERSONA, parents=[common],
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    psub = pp.add_subparsers(dest="persona_command", metavar="ACTION")
    c = psub.add_parser("create", help="analyse a photo and store it as a persona", parents=[common])
    c.add_argument("name", help="persona name: lowercase letters, digits, '-' or '_'")
    c.add_argument("--photo", required=True, metavar="IMAGE", help="face photo (JPEG, PNG, WebP, BMP, TIFF)")
    c.add_argument("--voice", metavar="AUDIO", help="5 s - 5 min of the person's speech (30 s recommended) to clone their voice")
    c.add_argument("--voice-name", metavar="NAME",
                   help="base voice, e.g. af_heart, am_michael, bf_emma, piper (fastest), espeak:de; "
                        "list: digihuman voices (default: the language's default voice)")
    c.add_argument("--lang", metavar="CODE", default="en", help="language the persona speaks (default: %(default)s)")
    c.add_argument("--extraversion", default="medium", help="high (chatty, emoji), medium, low (task-focused), or 0..1 (default: %(default)s)")
    c.add_argument("--description", default="", help="who the persona is, e.g. 'the owner of a small bakery'")
    c.add_argument("--knowledge", action="append", default=[], metavar="FILE",
                   help="a document the persona knows (markdown, FAQ, product CSV, text); repeat for more")
    c.add_argument("--consent", default="", metavar="TEXT",
                   help="consent statement of the person shown/heard (recorded with the photo's and voice's sources; "
                        "part of the hash every video's watermark carries)")
    c.add_argument("--catalog", metavar="FILE",
                   help="products the persona sells (CSV or JSON with name, price, stock, features...)")
    c.add_argument("--force", action="store_true", help="replace an existing persona of that name")
    c.set_defaults(func=cmd_persona_create)
    pc = psub.add_parser("catalog", help="set (or replace) the products a persona sells", parents=[common])
    pc.add_argument("name")
    pc.add_argument("--file", required=True, metavar="FILE", help="CSV or JSON: one row per product (name, price, ...)")
    pc.set_defaults(func=cmd_persona_catalog)
    pv = psub.add_parser("voice", help="learn (or replace) a persona's voice from a speech sample", parents=[common])
    pv.add_argument("name")
    pv_what = pv.add_mutually_exclusive_group(required=True)
    pv_what.add_argument("--voice", metavar="AUDIO", help="5 s - 5 min of the person's speech")
    pv_what.add_argument("--voice-name", metavar="NAME", help="switch the base voice (list: digihuman voices)")
    pv.set_defaults(func=cmd_persona_voice)
    ls = psub.add_parser("list", help="list personas", parents=[common])
    ls.set_defaults(func=cmd_persona_list)
    sh = psub.add_parser("show", help="print a persona's persona.json", parents=[common])
    sh.add_argument("name")
    sh.set_defaults(func=cmd_persona_show)
    pr = psub.add_parser("profile", help="show or edit who a persona is (origin, likes, opinions, facts)", parents=[common])
    pr.add_argument("name")
    pr.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="e.g. origin=Busan, likes.music='jazz because it is relaxed', opinions.mornings=..., "
                         "facts.job='I run the bakery because I love mornings' (also facts.pets, age, family, languages); "
                         "an empty value removes a like/dislike/opinion; repeat for more")
    pr.add_argument("--json", action="store_true", help="machine-readable output")
    pr.set_defaults(func=cmd_persona_profile)
    d = psub.add_parser("delete", help="delete a persona", parents=[common])
    d.add_argument("name")
    d.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    d.set_defaults(func=cmd_persona_delete)
    pp.set_defaults(func=lambda args: pp.print_help() or 2)


def _store(args: argparse.Namespace):
    from ..persona import PersonaStore

    return PersonaStore(args.home)


def cmd_persona_create(args: argparse.Namespace) -> int:
    p = _store(args).create(args.name, args.photo, voice=args.voice, lang=args.lang, force=args.force,
                            extraversion=args.extraversion, description=args.description, knowledge=args.knowledge,
                            consent=args.consent, catalog=args.catalog, voice_name=args.voice_name)
    if p.consent.photo_synthetic:
        print(f"note: the photo is a virtual face ({p.consent.photo_synthetic}); the persona records it as synthetic",
              file=sys.stderr)
    elif not args.consent.strip():
        print("note: no --consent statement recorded; add one if this is a real person's face or voice", file=sys.stderr)
    if p.face.n_faces > 1:
        print(f"note: {p.face.n_faces} faces found; using the largest", file=sys.stderr)
    if not args.quiet:
        print(f"created persona {p.name!r} in {p.path}")
        if args.voice_name is None and args.voice is None:
            from ..speech.voices import resolve_voice

            v = resolve_voice(p.voice)
            print(f"voice: {v.name} ({v.language_name}{', ' + v.gender if v.gender else ''}), the default for "
                  f"{v.language_name.split(' (')[0]}; change it with: digihuman persona voice {p.name} --voice-name NAME "
                  "(list: digihuman voices)")
    return 0


def cmd_persona_catalog(args: argparse.Namespace) -> int:
    catalog = _store(args).set_catalog(args.name, args.file)
    if not args.quiet:
        print(f"{args.name!r} now sells {len(catalog)} products from {catalog.source}")
    return 0


def cmd_persona_voice(args: argparse.Namespace) -> int:
    if args.voice_name is not None:
        p = _store(args).set_voice_name(args.name, args.voice_name)
        if not args.quiet:
            print(f"{p.name!r} now speaks with {p.voice}")
        return 0
    p = _store(args).set_voice(args.name, args.voice)
    if not args.quiet:
        prof = p.voice_profile
        print(f"learned the voice of {p.name!r}: pitch {prof.pitch_median_hz:.0f} Hz, "
              f"{prof.speech_seconds:.1f} s of speech analysed ({prof.method})")
    return 0


def cmd_persona_list(args: argparse.Namespace) -> int:
    store = _store(args)
    print("default (built-in)")
    for name in store.names():
        print(name)
    if not args.quiet:
        print(f"# personas folder: {store.root}", file=sys.stderr)
    return 0


def cmd_persona_show(args: argparse.Namespace) -> int:
    print(json.dumps(_store(args).info(args.name), indent=2, ensure_ascii=False))
    return 0


def cmd_persona_profile(args: argparse.Namespace) -> int:
    store = _store(args)
    profile = store.set_profile(args.name, args.set).profile if args.set else store.load(args.name).profile
    data = profile.to_dict()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    for key in ("name", "identity", "origin", "background"):
        print(f"{key}: {data[key]}")
    for group in ("likes", "dislikes", "opinions", "facts"):
        for k, v in data.get(group, {}).items():
            print(f"{group}.{k}: {v['value']}" + (f" (because {v['reason']})" if v["reason"] else ""))
    return 0


def cmd_persona_delete(args: argparse.Namespace) -> int:
    store = _store(args)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(f"refusing to delete {args.name!r} without confirmation", "add --yes")
        if input(f"delete persona {args.name!r}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("kept")
            return 1
    store.delete(args.name)
    if not args.quiet:
        print(f"deleted persona {args.name!r}")
    return 0
