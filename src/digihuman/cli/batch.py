"""`batch`: many personalised videos from one CSV or JSON Lines job file."""

from __future__ import annotations

import argparse
import sys

EPILOG = """examples:
  digihuman batch jobs.csv -o videos/                  # local process pool, one worker per core
  digihuman batch jobs.jsonl -o videos/ --workers 4
  digihuman batch jobs.csv -o videos/ --ray auto       # Ray: $RAY_ADDRESS, else a local instance
  digihuman batch jobs.csv -o videos/ --ray 10.0.0.5:6379

jobs.csv (a header row, then one row per video):
  persona,script,name,output,emotion
  default,"Hello {name}, thanks for your order!",Ann,ann.mp4,joy
  alice,"Hi {name}!",Bob,,

persona and script are required; {name} is filled from the row's 'name' column. Optional
columns: output, size, fps, lang, rate, pitch, volume, emotion, emotion_strength, seed.
Running again skips rows already rendered with the same persona, script and options
(batch-manifest.json); batch-summary.csv lists each row's status, output, seconds and error.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    b = sub.add_parser("batch", help="render many videos from a CSV/JSONL job file (mail merge)", epilog=EPILOG,
                       parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("jobs", metavar="JOBS", help="job file: .csv with a header row, or .jsonl")
    b.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the videos, manifest and summary")
    b.add_argument("--workers", type=int, metavar="N", help="worker processes or Ray actors (default: one per CPU core)")
    b.add_argument("--ray", metavar="auto|ADDRESS", help="render on Ray instead of local processes")
    b.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    from ..batch import run_batch

    try:
        report = run_batch(args.jobs, args.output, workers=args.workers, ray=args.ray, home=args.home,
                           progress=not args.quiet)
    except KeyboardInterrupt:
        print(f"interrupted; finished videos are kept: run the same command again to resume "
              f"(see {args.output}/batch-summary.csv)", file=sys.stderr)
        return 130
    for r in report.failed:
        print(f"failed: {r.error}", file=sys.stderr)
    if not args.quiet:
        print(f"{report.count('done')} rendered, {report.count('skipped')} already done, "
              f"{report.count('failed')} failed; summary: {report.summary}")
    return 1 if report.failed else 0
