"""`knowledge`: what a persona knows, who taught it, and changing it (add, forget, undo).

Shared knowledge is what every user hears, so these commands are the owner's: they run on the
persona's files directly. Every change is logged and `knowledge undo` reverts the last one.
"""

from __future__ import annotations

import argparse
import json
import shutil

from ..errors import InputError

EPILOG = """examples:
  digihuman knowledge list mina                      # passages with ids, source, date, who taught it
  digihuman knowledge list mina --log                # the history of changes
  digihuman knowledge add mina --file opening_hours.md
  digihuman knowledge add mina --text "We are closed on public holidays."
  digihuman knowledge forget mina --id 12
  digihuman knowledge undo mina                      # revert the last change
  digihuman chat mina --user me --teacher            # teach in conversation ("remember that ...")
"""


WHO = "owner:cli"  # ':' is not allowed in user ids, so no chat user can pass for the CLI


def register(sub, common: argparse.ArgumentParser) -> None:
    k = sub.add_parser("knowledge", help="list, add, forget or undo what a persona knows", epilog=EPILOG,
                       parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    ksub = k.add_subparsers(dest="knowledge_command", metavar="ACTION")
    kl = ksub.add_parser("list", help="the passages with ids, source, date and who taught them", parents=[common])
    kl.add_argument("persona")
    kl.add_argument("--log", action="store_true", help="show the history of changes instead")
    kl.add_argument("--json", action="store_true", help="machine-readable output")
    kl.set_defaults(func=cmd_list)
    ka = ksub.add_parser("add", help="add a document (--file) or one statement (--text)", parents=[common])
    ka.add_argument("persona")
    g = ka.add_mutually_exclusive_group(required=True)
    g.add_argument("--file", metavar="FILE", help="markdown, FAQ, product CSV or text; a file of the same name is replaced")
    g.add_argument("--text", help="one statement, e.g. 'We close at 8 on Sundays.'")
    ka.set_defaults(func=cmd_add)
    kf = ksub.add_parser("forget", help="remove one passage (undo brings it back)", parents=[common])
    kf.add_argument("persona")
    kf.add_argument("--id", type=int, required=True, help="passage id from 'knowledge list'")
    kf.set_defaults(func=cmd_forget)
    ku = ksub.add_parser("undo", help="revert the last change", parents=[common])
    ku.add_argument("persona")
    ku.set_defaults(func=cmd_undo)
    k.set_defaults(func=lambda args: k.print_help() or 2)


def _persona(args: argparse.Namespace):
    from ..pipeline import resolve_persona

    return resolve_persona(args.persona, args.home)


def cmd_list(args: argparse.Namespace) -> int:
    log = _persona(args).conversation().knowledge.log
    rows = log.history() if args.log else log.entries()
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("(no changes yet)" if args.log else "(knows nothing yet)")
    for r in rows:
        if args.log:
            print(f"#{r.id:<4} {r.at}  {r.action:<7} by {r.who or '?'}: {r.title}"
                  f"{'  [undone]' if r.undone else ''}")
        else:
            text = " ".join(r.text.split())
            who = r.who or ("unknown: taught before the history" if r.source == "conversation" else "file")
            print(f"#{r.id:<5} {r.added}  {r.source}  ({who})  {r.title}: "
                  f"{text[:100]}{'...' if len(text) > 100 else ''}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .._fs import atomic_path, write_json_atomic
    from ..dialog.teaching import topic

    persona = _persona(args)
    log = persona.conversation().knowledge.log
    if args.text is not None:
        text = " ".join(args.text.split())
        if not text:
            raise InputError("the text is empty", "give a statement, e.g. --text 'We close at 8 on Sundays.'")
        pid = log.teach(topic(text), text, who=WHO)
        if not args.quiet:
            print(f"added passage #{pid}")
        return 0
    src = Path(args.file).expanduser()
    n = log.add_file(src, who=WHO)  # checks and indexes first: a bad file changes nothing
    if persona.path is not None:  # a stored persona keeps a copy of what it knows
        folder = persona.path / "knowledge"
        folder.mkdir(exist_ok=True)
        with atomic_path(folder / src.name) as tmp:
            shutil.copyfile(src, tmp)
        if src.name not in persona.knowledge:
            meta = json.loads((persona.path / "persona.json").read_text(encoding="utf-8"))
            meta["knowledge"] = [*meta.get("knowledge", []), src.name]
            write_json_atomic(persona.path / "persona.json", meta)
    if not args.quiet:
        print(f"added {n} passage{'s' if n != 1 else ''} from {src.name}")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    entry = _persona(args).conversation().knowledge.log.forget(args.id, who=WHO)
    if not args.quiet:
        print(f"forgot passage #{entry.id}: {entry.title} ('knowledge undo' brings it back)")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    change = _persona(args).conversation().knowledge.log.undo(who=WHO)
    if change is None:
        raise InputError("there is nothing to undo", "see the history with 'digihuman knowledge list --log'")
    if not args.quiet:
        print(f"undid #{change.id}: {change.action} by {change.who}: {change.title}")
    return 0
