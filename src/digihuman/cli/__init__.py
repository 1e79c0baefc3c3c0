"""The ``digihuman`` command: a thin layer over the library API.

Errors a user can cause print ``error:`` and ``hint:`` lines and exit non-zero (2 bad input,
3 output not writable, 4 missing optional backend); nothing half-written is left behind.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errors import DigihumanError
from . import batch, body, chat, dub, emotion, faces, knowledge, leads, media, mocap, personas, provenance, serve, voice, voices

def _add_common(parser: argparse.ArgumentParser, *, default_home, default_quiet) -> None:
    parser.add_argument("--home", metavar="DIR", default=default_home,
                        help="folder that holds personas (default: $DIGIHUMAN_HOME or the per-user data folder)")
    parser.add_argument("-q", "--quiet", action="store_true", default=default_quiet,
                        help="no progress bars or summaries")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="digihuman",
        description="Make a talking digital human from one photo, offline on a CPU.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "quick start:\n"
            '  digihuman say "Hello! I\'m a digital human." -o hello.mp4\n'
            "  digihuman persona create alice --photo alice.jpg --voice alice_30s.wav\n"
            '  digihuman say "Nice to meet you." --persona alice -o alice.mp4\n'
            "  digihuman chat alice --user me\n"
            "  digihuman serve\n"
            "  digihuman verify alice.mp4\n\n"
            "Run 'digihuman COMMAND --help' for the options and examples of each command."
        ),
    )
    p.add_argument("--version", action="version", version=f"digihuman {__version__}")
    _add_common(p, default_home=None, default_quiet=False)
    # The same options after the command too ("digihuman say ... --home DIR"); SUPPRESS keeps a
    # value given before the command from being reset by the subcommand's default.
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, default_home=argparse.SUPPRESS, default_quiet=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for group in (media, body, mocap, dub, personas, faces, emotion, chat, knowledge, leads, voice, voices, serve, provenance, batch):
        group.register(sub, common)
    return p


def _one_blas_thread() -> None:
    """Numeric libraries run one thread each: digihuman parallelises its own stages (TTS,
    rendering, encoding), and BLAS thread pools spinning against them on 2 cores made a 30 ms
    embedding take seconds. Must run before numpy is imported; the user's setting wins."""
    import os

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def main(argv: list[str] | None = None) -> int:
    _one_blas_thread()
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    try:
        try:
            code = int(args.func(args) or 0)
            sys.stdout.flush()  # a closed pipe shows here, not as a traceback at interpreter exit
            return code
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full or read-only disk outside the atomic writers (SQLite, copies)
            from .._fs import disk_error

            err = disk_error(exc, exc.filename or "a file")
            if err is None:
                raise
            raise err from exc
    except DigihumanError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`... | head -3`): stop quietly, as other Unix tools do. Standard
        # output points at /dev/null from here so the final flush at exit cannot fail again.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool killed by the broken pipe


if __name__ == "__main__":
    sys.exit(main())
