"""The access token: one secret per home folder, required on every API call and the WebSocket.

Generated on first start with :func:`secrets.token_urlsafe` and stored in ``<home>/server-token``
with 0600 permissions (created with those permissions, never widened); ``--token`` or the
``DIGIHUMAN_TOKEN`` environment variable override it. Clients send ``Authorization: Bearer T``
or ``?token=T`` (the page URL and the WebSocket, which browsers cannot give headers).

That token is the admin's. A *user token* (``USER~SIGNATURE``, an HMAC of the user id under the
admin token, see :func:`user_token`) lets one user chat and read or forget only their own
memories; nothing is stored per user, and changing the admin token revokes every user token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

TOKEN_FILE = "server-token"
TOKEN_BYTES = 32  # 256 bits of randomness -> 43 url-safe characters


def load_or_create_token(home: Path, override: str | None = None) -> str:
    """The token to require: ``override``, else $DIGIHUMAN_TOKEN, else the stored (or a new) one."""
    token = override or os.environ.get("DIGIHUMAN_TOKEN")
    if token:
        if len(token) < 8:
            raise ValueError("the access token must be at least 8 characters")
        return token
    path = Path(home) / TOKEN_FILE
    if path.is_file():
        if path.stat().st_mode & 0o077:  # someone widened it: other users could read the secret
            os.chmod(path, 0o600)
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    tmp = path.with_name(f".{TOKEN_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # 0600 from birth: no window
    try:
        os.write(fd, (token + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return token


def token_from(headers, query_params) -> str | None:
    """The token a request (or WebSocket handshake) carries, if any."""
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return query_params.get("token")


def check_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so response timing does not leak how much of a guess was right."""
    if not given:
        return False
    return secrets.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


USER_SEP = "~"  # not a user-id character, not in token_urlsafe's alphabet


@dataclass(frozen=True)
class Principal:
    """Who a valid token speaks for: the admin (``user`` None) or one user."""

    user: str | None = None

    @property
    def admin(self) -> bool:
        return self.user is None

    def may_act_as(self, user: str) -> bool:
        """The admin may act for any user; a user only for themselves."""
        return self.user is None or self.user == user

    @property
    def role(self) -> str:
        """The conversation role: the admin is the persona's owner (teaches everyone), others users."""
        return "owner" if self.admin else "user"

    @property
    def key(self) -> str | None:
        """A name for per-user limits (None: the admin, bound only by the server's limits)."""
        return self.user


def _signature(secret: str, user: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), b"digihuman-user-token\0" + user.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii").rstrip("=")


def user_token(secret: str, user: str) -> str:
    """The token that lets ``user`` (a valid user id) use the server as themselves only."""
    from ..memory import check_user

    return f"{check_user(user)}{USER_SEP}{_signature(secret, user)}"


def identify(given: str | None, secret: str) -> Principal | None:
    """The principal a token stands for, or None if it is not valid (constant-time checks)."""
    if check_token(given, secret):
        return Principal()
    if not given or USER_SEP not in given:
        return None
    user, _, sig = given.rpartition(USER_SEP)
    if not user or not secrets.compare_digest(sig.encode("utf-8", "replace"), _signature(secret, user).encode("ascii")):
        return None
    return Principal(user)
