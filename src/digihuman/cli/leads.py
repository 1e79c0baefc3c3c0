"""`leads`: see and export the sales leads a persona collected (only people who said yes)."""

from __future__ import annotations

import argparse
import json
import sys

EPILOG_LEADS = """examples:
  digihuman leads list hana
  digihuman leads list hana --json
  digihuman leads export hana -o leads.csv
  digihuman leads forget hana --user jisu      # erase one person's leads (e.g. on request)

A lead is stored only after the person agreed to be contacted and confirmed their details in chat.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    lp = sub.add_parser("leads", help="list or export the sales leads a persona collected", epilog=EPILOG_LEADS,
                        parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    lsub = lp.add_subparsers(dest="leads_command", metavar="ACTION")
    ls = lsub.add_parser("list", help="the leads, oldest first", parents=[common])
    ls.add_argument("persona")
    ls.add_argument("--user", help="only this chat user's leads")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=cmd_leads_list)
    ex = lsub.add_parser("export", help="write every lead to a CSV file", parents=[common])
    ex.add_argument("persona")
    ex.add_argument("-o", "--output", required=True, metavar="FILE.csv")
    ex.set_defaults(func=cmd_leads_export)
    fg = lsub.add_parser("forget", help="erase a chat user's leads and any unfinished lead dialog", parents=[common])
    fg.add_argument("persona")
    fg.add_argument("--user", required=True)
    fg.set_defaults(func=cmd_leads_forget)
    lp.set_defaults(func=lambda args: lp.print_help() or 2)


def _leads(args: argparse.Namespace):
    """The persona's LeadStore, or None when it has never stored a lead (nothing is created)."""
    from ..persona import PersonaStore
    from ..sales import LeadStore
    from ..sales.leads import LEADS_FILE

    path = PersonaStore(args.home).folder(args.persona) / LEADS_FILE
    return LeadStore(path) if path.is_file() else None


def cmd_leads_list(args: argparse.Namespace) -> int:
    store = _leads(args)
    leads = store.list(args.user) if store is not None else []
    if args.json:
        print(json.dumps([ld.__dict__ for ld in leads], indent=2, ensure_ascii=False))
        return 0
    for ld in leads:
        print(f"#{ld.id}  {ld.created}  {ld.name}  <{ld.contact}>  user={ld.user}"
              + (f"  interest: {ld.interest}" if ld.interest else ""))
    if not args.quiet:
        print(f"# {len(leads)} lead{'s' if len(leads) != 1 else ''} for {args.persona!r}", file=sys.stderr)
    return 0


def cmd_leads_export(args: argparse.Namespace) -> int:
    from .._fs import check_writable

    check_writable(args.output, suffixes=(".csv",))
    store = _leads(args)
    if store is None:
        from ..sales.leads import CSV_COLUMNS
        from .._fs import write_text_atomic

        write_text_atomic(args.output, ",".join(CSV_COLUMNS) + "\n")
        n = 0
    else:
        n = store.export_csv(args.output)
    if not args.quiet:
        print(f"wrote {n} lead{'s' if n != 1 else ''} to {args.output}")
    return 0


def cmd_leads_forget(args: argparse.Namespace) -> int:
    store = _leads(args)
    n = store.forget(args.user) if store is not None else 0
    if not args.quiet:
        print(f"erased {n} lead{'s' if n != 1 else ''} of {args.user!r}")
    return 0
