"""The ``digihuman`` command: a thin layer over the library API.

Errors a user can cause print ``error:`` and ``hint:`` lines and exit non-zero (2 bad input,
3 output not writable, 4 missing optional backend); nothing half-written is left behind.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import __version__
from .errors import DigihumanError, InputError

EPILOG_SAY = """examples:
  digihuman say "Hello! I'm a digital human made from a single photo." -o hello.mp4
  digihuman say --file script.txt --persona alice --size 1024 -o alice.mp4 \\
      --timeline alice.json --cues alice.tsv

--timeline writes words, phonemes and mouth shapes with times (JSON); --cues writes
Rhubarb Lip Sync compatible mouth cues (time<TAB>shape, shapes A-H and X) for animation tools.
"""

EPILOG_LIPSYNC = """examples:
  digihuman lipsync --persona alice --audio interview.wav --text transcript.txt -o out.mp4 --cues out.tsv
  digihuman lipsync --audio speech.mp3 -o out.mp4            # no transcript: phone recognition
  digihuman lipsync --audio rede.wav --lang de -o out.mp4    # other languages: acoustic fallback

The recording's own sound goes into the video; silence keeps the mouth closed.
"""

EPILOG_CHAT = """examples:
  digihuman chat mina --user jisu
  digihuman chat mina --user jisu --video replies/            # each reply also as a talking video
  digihuman chat mina --user jisu --llm http://127.0.0.1:11434/v1 --model llama3.2

Type a message and press Enter; /memory shows what the persona remembers about you,
/quit (or Ctrl-D) ends the chat. Memories persist: the persona recalls them next time.
"""

EPILOG_PERSONA = """examples:
  digihuman persona create alice --photo alice.jpg
  digihuman persona create alice --photo alice.jpg --voice alice_30s.wav --force
  digihuman persona create minji --photo minji.jpg --lang ko
  digihuman persona voice alice --voice better_sample.flac
  digihuman persona list
  digihuman persona show alice
  digihuman persona delete alice --yes

Personas live in --home, $DIGIHUMAN_HOME, or the per-user data folder (see 'persona list').
The photo needs one clearly visible face looking roughly at the camera, at least ~80 px wide.
"""


def _add_common(parser: argparse.ArgumentParser, *, default_home, default_quiet) -> None:
    parser.add_argument("--home", metavar="DIR", default=default_home,
                        help="folder that holds personas (default: $DIGIHUMAN_HOME or the per-user data folder)")
    parser.add_argument("-q", "--quiet", action="store_true", default=default_quiet,
                        help="no progress bars or summaries")


def _add_voice_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--emotion", default="neutral",
                   help="emotion to show in voice and face: neutral, joy, sadness, anger, fear, surprise, disgust")
    s.add_argument("--emotion-strength", type=float, default=1.0, help="0..1 (default: %(default)g)")
    s.add_argument("--lang", metavar="CODE", help="language of the text, e.g. en, ko, ja, es, de, fr, zh (default: the persona's)")
    s.add_argument("--rate", type=float, default=1.0, help="speaking rate, 0.5 slow .. 2.0 fast (default: %(default)g)")
    s.add_argument("--pitch", type=float, default=0.0, help="pitch shift in semitones, -12 .. 12 (default: %(default)g)")
    s.add_argument("--volume", type=float, default=1.0, help="loudness, 0.1 .. 2.0 (default: %(default)g)")


def _add_video_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--size", type=int, default=512, choices=(512, 1024), help="video width and height in pixels (default: %(default)s)")
    s.add_argument("--fps", type=float, default=25.0, help="frames per second (default: %(default)g)")
    s.add_argument("--seed", type=int, default=0, help="seed for blinks and head motion (default: %(default)s)")
    s.add_argument("--timeline", metavar="JSON", help="also write words, phonemes and visemes with times")
    s.add_argument("--cues", metavar="TSV", help="also write Rhubarb-compatible mouth cues")


def _options(args: argparse.Namespace):
    from .pipeline import SayOptions

    return SayOptions(size=args.size, fps=args.fps, seed=args.seed, lang=args.lang,
                      rate=getattr(args, "rate", 1.0), pitch=getattr(args, "pitch", 0.0),
                      volume=getattr(args, "volume", 1.0), emotion=getattr(args, "emotion", "neutral"),
                      emotion_strength=getattr(args, "emotion_strength", 1.0))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="digihuman",
        description="Make a talking digital human from one photo, offline on a CPU.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run 'digihuman COMMAND --help' for the options of each command.",
    )
    p.add_argument("--version", action="version", version=f"digihuman {__version__}")
    _add_common(p, default_home=None, default_quiet=False)
    # The same options after the command too ("digihuman say ... --home DIR"); SUPPRESS keeps a
    # value given before the command from being reset by the subcommand's default.
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, default_home=argparse.SUPPRESS, default_quiet=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("say", help="speak text as a lip-synced talking-head video", epilog=EPILOG_SAY, parents=[common],
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("text", nargs="?", help="what to say (or use --file)")
    s.add_argument("-f", "--file", metavar="TXT", help="read the text from a UTF-8 file ('-' for standard input)")
    s.add_argument("-o", "--output", metavar="MP4", default="digihuman.mp4", help="output video (default: %(default)s)")
    s.add_argument("-p", "--persona", metavar="NAME", help="persona to use (default: the bundled astronaut persona)")
    _add_voice_options(s)
    _add_video_options(s)
    s.set_defaults(func=cmd_say)

    ls_ = sub.add_parser("lipsync", help="lip-sync a persona to recorded speech", epilog=EPILOG_LIPSYNC,
                         parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    ls_.add_argument("--audio", required=True, metavar="FILE", help="recorded speech: wav, mp3, flac, ogg, m4a, or a video's sound")
    ls_.add_argument("--text", metavar="TXT", help="transcript file (UTF-8) of what is said: exact timing by forced alignment")
    ls_.add_argument("-o", "--output", metavar="MP4", default="lipsync.mp4", help="output video (default: %(default)s)")
    ls_.add_argument("-p", "--persona", metavar="NAME", help="persona to use (default: the bundled persona)")
    ls_.add_argument("--lang", metavar="CODE", help="language of the speech (default: the persona's); only English is recognised, others get an acoustic fallback")
    _add_video_options(ls_)
    ls_.set_defaults(func=cmd_lipsync)

    ch = sub.add_parser("chat", help="talk with a persona in the terminal", epilog=EPILOG_CHAT, parents=[common],
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ch.add_argument("persona", nargs="?", default="default", help="persona name (default: the built-in persona)")
    ch.add_argument("--user", required=True, help="who is talking: memories are kept per user")
    ch.add_argument("--llm", metavar="URL", help="OpenAI-compatible server (Ollama, llama.cpp, vLLM), e.g. http://127.0.0.1:11434/v1")
    ch.add_argument("--model", help="model name on the --llm server")
    ch.add_argument("--api-key", help="API key for --llm (or set DIGIHUMAN_LLM_API_KEY)")
    ch.add_argument("--gguf", metavar="FILE", help="run a local instruction-tuned GGUF model with llama.cpp instead")
    ch.add_argument("--speak", action="store_true", help="also speak each reply through the speakers")
    ch.add_argument("--video", metavar="DIR", help="also save each reply as a lip-synced video in DIR")
    ch.set_defaults(func=cmd_chat)

    m = sub.add_parser("memory", help="see or erase what a persona remembers about a user", parents=[common])
    msub = m.add_subparsers(dest="memory_command", metavar="ACTION")
    ml = msub.add_parser("list", help="what the persona remembers, with when and why", parents=[common])
    ml.add_argument("persona")
    ml.add_argument("--user", required=True)
    ml.add_argument("--history", action="store_true", help="also show superseded (corrected) memories")
    ml.add_argument("--json", action="store_true", help="machine-readable output")
    ml.set_defaults(func=cmd_memory_list)
    mf = msub.add_parser("forget", help="erase one memory (--id) or all of a user's (--all)", parents=[common])
    mf.add_argument("persona")
    mf.add_argument("--user", required=True)
    g = mf.add_mutually_exclusive_group(required=True)
    g.add_argument("--id", type=int, help="memory id from 'memory list'")
    g.add_argument("--all", action="store_true", help="everything about this user")
    mf.set_defaults(func=cmd_memory_forget)
    m.set_defaults(func=lambda args: m.print_help() or 2)

    v = sub.add_parser("voice", help="voice tools (compare two recordings)", parents=[common])
    vsub = v.add_subparsers(dest="voice_command", metavar="ACTION")
    vc = vsub.add_parser("compare", help="speaker similarity of two recordings (needs the 'similarity' extra)",
                         parents=[common])
    vc.add_argument("a", metavar="A.wav")
    vc.add_argument("b", metavar="B.wav")
    vc.set_defaults(func=cmd_voice_compare)
    v.set_defaults(func=lambda args: v.print_help() or 2)

    pp = sub.add_parser("persona", help="create, list, show or delete personas", epilog=EPILOG_PERSONA, parents=[common],
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    psub = pp.add_subparsers(dest="persona_command", metavar="ACTION")
    c = psub.add_parser("create", help="analyse a photo and store it as a persona", parents=[common])
    c.add_argument("name", help="persona name: lowercase letters, digits, '-' or '_'")
    c.add_argument("--photo", required=True, metavar="IMAGE", help="face photo (JPEG, PNG, WebP, BMP, TIFF)")
    c.add_argument("--voice", metavar="AUDIO", help="5 s - 5 min of the person's speech (30 s recommended) to clone their voice")
    c.add_argument("--lang", metavar="CODE", default="en", help="language the persona speaks (default: %(default)s)")
    c.add_argument("--extraversion", default="medium", help="high (chatty, emoji), medium, low (task-focused), or 0..1 (default: %(default)s)")
    c.add_argument("--description", default="", help="who the persona is, e.g. 'the owner of a small bakery'")
    c.add_argument("--knowledge", action="append", default=[], metavar="FILE",
                   help="a document the persona knows (markdown, FAQ, product CSV, text); repeat for more")
    c.add_argument("--force", action="store_true", help="replace an existing persona of that name")
    c.set_defaults(func=cmd_persona_create)
    pv = psub.add_parser("voice", help="learn (or replace) a persona's voice from a speech sample", parents=[common])
    pv.add_argument("name")
    pv.add_argument("--voice", required=True, metavar="AUDIO", help="5 s - 5 min of the person's speech")
    pv.set_defaults(func=cmd_persona_voice)
    ls = psub.add_parser("list", help="list personas", parents=[common])
    ls.set_defaults(func=cmd_persona_list)
    sh = psub.add_parser("show", help="print a persona's persona.json", parents=[common])
    sh.add_argument("name")
    sh.set_defaults(func=cmd_persona_show)
    d = psub.add_parser("delete", help="delete a persona", parents=[common])
    d.add_argument("name")
    d.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    d.set_defaults(func=cmd_persona_delete)
    pp.set_defaults(func=lambda args: pp.print_help() or 2)
    return p


def _read_text(args: argparse.Namespace) -> str:
    if args.text is not None and args.file is not None:
        raise InputError("give the text or --file, not both", "")
    if args.file is None:
        if args.text is None:
            raise InputError("no text to say", 'pass it in quotes, e.g. digihuman say "Hello!", or use --file script.txt')
        return args.text
    if args.file == "-":
        return sys.stdin.read()
    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"text file {args.file!r} does not exist", "check the path")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"text file {args.file!r} is not UTF-8 text", "save it as UTF-8") from exc


def cmd_say(args: argparse.Namespace) -> int:
    from .pipeline import say

    text = _read_text(args)
    t0 = time.perf_counter()
    res = say(text, args.output, args.persona, options=_options(args), timeline=args.timeline,
              cues=args.cues, home=args.home, progress=not args.quiet)
    _summary(args, res, time.perf_counter() - t0)
    return 0


def cmd_lipsync(args: argparse.Namespace) -> int:
    from .pipeline import lipsync_audio

    transcript = None
    if args.text is not None:
        path = Path(args.text)
        if not path.is_file():
            raise InputError(f"transcript file {args.text!r} does not exist", "give the path of a UTF-8 text file")
        try:
            transcript = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"transcript {args.text!r} is not UTF-8 text", "save it as UTF-8") from exc
    t0 = time.perf_counter()
    res = lipsync_audio(args.audio, args.output, args.persona, transcript=transcript, options=_options(args),
                  timeline=args.timeline, cues=args.cues, home=args.home, progress=not args.quiet)
    for w in res.warnings:
        print(f"note: {w}", file=sys.stderr)
    _summary(args, res, time.perf_counter() - t0)
    return 0


def _summary(args: argparse.Namespace, res, took: float) -> None:
    if args.quiet:
        return
    print(f"wrote {res.video} ({res.duration:.2f} s, {res.n_frames} frames at {args.size}x{args.size}) in {took:.1f} s")
    for extra in (res.timeline_path, res.cues_path):
        if extra is not None:
            print(f"wrote {extra}")


def cmd_voice_compare(args: argparse.Namespace) -> int:
    from .voice.similarity import speaker_similarity

    score = speaker_similarity(args.a, args.b)
    print(f"{score:.3f}")
    if not args.quiet:
        print("# cosine similarity of speaker embeddings (resemblyzer): ~0.75+ usually the same speaker",
              file=sys.stderr)
    return 0


def _store(args: argparse.Namespace):
    from .persona import PersonaStore

    return PersonaStore(args.home)


def cmd_persona_create(args: argparse.Namespace) -> int:
    p = _store(args).create(args.name, args.photo, voice=args.voice, lang=args.lang, force=args.force,
                            extraversion=args.extraversion, description=args.description, knowledge=args.knowledge)
    if p.face.n_faces > 1:
        print(f"note: {p.face.n_faces} faces found; using the largest", file=sys.stderr)
    if not args.quiet:
        print(f"created persona {p.name!r} in {p.path}")
    return 0


def cmd_persona_voice(args: argparse.Namespace) -> int:
    p = _store(args).set_voice(args.name, args.voice)
    if not args.quiet:
        prof = p.voice_profile
        print(f"learned the voice of {p.name!r}: pitch {prof.pitch_median_hz:.0f} Hz, "
              f"{prof.speech_seconds:.1f} s of speech analysed ({prof.method})")
    return 0


def _chat_persona(args: argparse.Namespace):
    from .pipeline import resolve_persona

    return resolve_persona(args.persona, args.home)


def cmd_chat(args: argparse.Namespace) -> int:
    import os

    persona = _chat_persona(args)
    if args.llm and args.gguf:
        raise InputError("use --llm or --gguf, not both", "")
    engine, opts = "builtin", {}
    if args.llm:
        if not args.model:
            raise InputError("--llm needs --model", "name the model served there, e.g. --model llama3.2")
        engine, opts = "openai", {"url": args.llm, "model": args.model,
                                  "api_key": args.api_key or os.environ.get("DIGIHUMAN_LLM_API_KEY")}
    elif args.gguf:
        engine, opts = "llamacpp", {"model_path": args.gguf}
    conv = persona.conversation(engine, **opts)
    video_dir = Path(args.video) if args.video else None
    if video_dir is not None:
        video_dir.mkdir(parents=True, exist_ok=True)
    interactive = sys.stdin.isatty()
    if interactive and not args.quiet:
        print(f"Chatting with {persona.name} as {args.user}. /memory shows memories, /quit ends.")
    turn = 0
    while True:
        try:
            line = input("you> " if interactive else "")
        except EOFError:
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit"):
            break
        if text == "/memory":
            _print_memories(conv.memories(args.user, include_superseded=False), as_json=False)
            continue
        reply = conv.chat(args.user, text)
        turn += 1
        print(f"{persona.name}> {reply.text}", flush=True)
        if not args.quiet:
            for m in reply.memories_written:
                print(f"  (memory write: {m.text})", file=sys.stderr)
        if video_dir is not None or args.speak:
            _voice_reply(args, persona, reply, video_dir, turn)
    return 0


def _voice_reply(args: argparse.Namespace, persona, reply, video_dir: Path | None, turn: int) -> None:
    from .pipeline import SayOptions, say, speak

    options = SayOptions(emotion=reply.emotion.label, emotion_strength=reply.emotion.confidence)
    if video_dir is not None:
        out = video_dir / f"reply-{turn:03d}.mp4"
        say(reply.text, out, persona, options=options)
        if not args.quiet:
            print(f"  (video: {out})", file=sys.stderr)
    if args.speak:
        from .audio.play import play

        play(speak(reply.text, persona, options).audio)


def _print_memories(memories, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps([{"id": m.id, "about": m.about, "key": m.key, "value": m.value, "text": m.text,
                           "created": m.created, "reason": m.reason, "superseded_by": m.superseded_by}
                          for m in memories], indent=2, ensure_ascii=False))
        return
    if not memories:
        print("(nothing remembered yet)")
    for m in memories:
        old = f"  [superseded by #{m.superseded_by}]" if m.superseded_by else ""
        print(f"#{m.id:<5} {m.created}  {m.text}{old}")
        if m.reason:
            print(f"       because: {m.reason!r}")


def cmd_memory_list(args: argparse.Namespace) -> int:
    conv = _chat_persona(args).conversation()
    _print_memories(conv.memories(args.user, include_superseded=args.history), as_json=args.json)
    return 0


def cmd_memory_forget(args: argparse.Namespace) -> int:
    conv = _chat_persona(args).conversation()
    n = conv.forget(args.user, id=args.id, all=args.all)
    if n == 0 and args.id is not None:
        raise InputError(f"no memory #{args.id} for user {args.user!r}", "see 'digihuman memory list'")
    if not args.quiet:
        print(f"forgot {n} memor{'y' if n == 1 else 'ies'} about {args.user!r}")
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except DigihumanError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
