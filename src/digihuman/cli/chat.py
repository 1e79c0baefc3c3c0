"""`chat` and `memory`: talk with a persona; see or erase what it remembers."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InputError

EPILOG_CHAT = """examples:
  digihuman chat mina --user jisu
  digihuman chat mina --user jisu --video replies/            # each reply also as a talking video
  digihuman chat mina --user owner --teacher              # the owner teaches: "remember that we close at 8"
  digihuman chat mina --user jisu --llm http://127.0.0.1:11434/v1 --model llama3.2

Type a message and press Enter; /memory shows what the persona remembers about you,
/quit (or Ctrl-D) ends the chat. Memories persist: the persona recalls them next time.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    ch = sub.add_parser("chat", help="talk with a persona in the terminal", epilog=EPILOG_CHAT, parents=[common],
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ch.add_argument("persona", nargs="?", default="default", help="persona name (default: the built-in persona)")
    ch.add_argument("--user", required=True, help="who is talking: memories are kept per user")
    ch.add_argument("--llm", metavar="URL", help="OpenAI-compatible server (Ollama, llama.cpp, vLLM), e.g. http://127.0.0.1:11434/v1")
    ch.add_argument("--model", help="model name on the --llm server")
    ch.add_argument("--api-key", help="API key for --llm (or set DIGIHUMAN_LLM_API_KEY)")
    ch.add_argument("--gguf", metavar="FILE", help="run a local instruction-tuned GGUF model with llama.cpp instead")
    ch.add_argument("--teacher", action="store_true",
                    help="you are the persona's owner: what you teach ('remember that ...') becomes knowledge "
                         "shared with every user (see 'digihuman knowledge')")
    ch.add_argument("--max-tokens", type=int, default=256, metavar="N",
                    help="longest reply of the --llm/--gguf model, in tokens (default: %(default)s)")
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


def _chat_persona(args: argparse.Namespace):
    from ..pipeline import resolve_persona

    return resolve_persona(args.persona, args.home)


def cmd_chat(args: argparse.Namespace) -> int:
    import os

    persona = _chat_persona(args)
    if args.llm and args.gguf:
        raise InputError("use --llm or --gguf, not both", "")
    engine, opts = "builtin", {}
    if args.max_tokens < 1:
        raise InputError("--max-tokens must be at least 1", "")
    if args.llm:
        if not args.model:
            raise InputError("--llm needs --model", "name the model served there, e.g. --model llama3.2")
        engine, opts = "openai", {"url": args.llm, "model": args.model,
                                  "api_key": args.api_key or os.environ.get("DIGIHUMAN_LLM_API_KEY"),
                                  "max_tokens": args.max_tokens}
    elif args.gguf:
        engine, opts = "llamacpp", {"model_path": args.gguf, "max_tokens": args.max_tokens}
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
        reply = conv.chat(args.user, text, role="owner" if args.teacher else "user")
        turn += 1
        print(f"{persona.name}> {reply.text}", flush=True)
        if reply.notice:  # e.g. the LLM server is down and the built-in engine answered
            print(f"note: {reply.notice}", file=sys.stderr, flush=True)
        if not args.quiet:
            for m in reply.memories_written:
                print(f"  (memory write: {m.text})", file=sys.stderr)
        if video_dir is not None or args.speak:
            _voice_reply(args, persona, reply, video_dir, turn)
    return 0


def _voice_reply(args: argparse.Namespace, persona, reply, video_dir: Path | None, turn: int) -> None:
    from ..pipeline import SayOptions, say, speak

    options = SayOptions(emotion=reply.emotion.label, emotion_strength=reply.emotion.confidence)
    if video_dir is not None:
        out = video_dir / f"reply-{turn:03d}.mp4"
        audio = say(reply.text, out, persona, options=options).speech.audio  # spoken once, used twice
        if not args.quiet:
            print(f"  (video: {out})", file=sys.stderr)
    else:
        audio = speak(reply.text, persona, options).audio
    if args.speak:
        from ..audio.play import play

        play(audio)


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
    n = conv.forget(args.user, id=args.id, all=args.all, role="owner")  # the CLI runs on the owner's files
    if n == 0 and args.id is not None:
        raise InputError(f"no memory #{args.id} for user {args.user!r}", "see 'digihuman memory list'")
    if not args.quiet:
        print(f"forgot {n} memor{'y' if n == 1 else 'ies'} about {args.user!r}")
    return 0
