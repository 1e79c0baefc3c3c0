"""`serve`: the browser chat and REST API on this machine (127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import argparse

import sys

EPILOG_SERVE = """examples:
  digihuman serve                       # then open the printed http://127.0.0.1:8000/?token=... address
  digihuman serve --port 8080 --max-sessions 2
  DIGIHUMAN_TOKEN=my-secret digihuman serve
  digihuman serve --host 0.0.0.0 --allowed-host studio.local

A user token (POST /api/users/USER/token with the admin token) lets one user chat and see only
their own memories.

The access token is created on first start and kept in the home folder (server-token, mode 0600).
It is the owner's: chatting with it teaches the persona for everyone; what users with their own
token tell the persona stays their own memory.
API docs: /docs. Binding anything but 127.0.0.1 exposes the server to your network.
"""


def register(sub, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("serve", help="run the browser chat and REST API", epilog=EPILOG_SERVE, parents=[common],
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)")
    s.add_argument("--port", type=int, default=8000, help="TCP port (default: %(default)s)")
    s.add_argument("--token", help="access token (default: $DIGIHUMAN_TOKEN or the stored one)")
    s.add_argument("--max-sessions", type=int, default=4, help="concurrent live chats (default: %(default)s)")
    s.add_argument("--cors-origin", metavar="URL", help="allow this one web origin to call the API (default: none)")
    s.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="a host name clients use to reach the server (repeat for more; default: 127.0.0.1, "
                        "localhost and the --host address; '*' turns the check off)")
    s.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..errors import BackendUnavailable, InputError

    try:
        import uvicorn

        from ..server import create_app
    except ImportError as exc:
        raise BackendUnavailable(f"the server needs {exc.name}", "pip install 'fastapi' 'uvicorn' 'python-multipart'") from exc
    if not 0 < args.port < 65536:
        raise InputError(f"port {args.port} is out of range", "use 1-65535")
    if args.max_sessions < 1:
        raise InputError("--max-sessions must be at least 1", "")
    from ..server.guard import LOCAL_HOSTS

    # other names are refused (DNS rebinding); binding all interfaces cannot know the names used
    hosts = list(args.allowed_host) or [*LOCAL_HOSTS, *([] if args.host in ("0.0.0.0", "::") else [args.host])]
    if args.host in ("0.0.0.0", "::") and not args.allowed_host:
        print("note: serving on all interfaces: only 127.0.0.1/localhost are answered until you add "
              "--allowed-host NAME for the names clients use", file=sys.stderr)
    try:
        app = create_app(args.home, args.token, max_sessions=args.max_sessions, cors_origin=args.cors_origin,
                         allowed_hosts=hosts)
    except ValueError as exc:
        raise InputError(str(exc), "use a longer --token") from exc
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"digihuman is serving on http://{host}:{args.port}/?token={app.state.token}", flush=True)
    print(f"API docs: http://{host}:{args.port}/docs (send Authorization: Bearer TOKEN)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("warning: not bound to 127.0.0.1: anyone who can reach this port and knows the token can use it",
              file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning" if args.quiet else "info",
                ws_max_size=16 * 1024 * 1024)
    return 0
