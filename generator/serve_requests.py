"""What the preview server accepts from a browser: request paths and ``Host`` values.

The server is reachable from every page the coordinator's browser opens, so it trusts no
request: a path no browser would send (a NUL, an undecodable or overlong name, ``.`` or ``..``)
is refused with a 400 rather than guessed at, and only the loopback names with the server's
port are answered (a page of another site reaching it through DNS rebinding names that site in
``Host``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote_to_bytes

# The names a browser on this machine may use for the server, besides the bound address.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")

# A path longer than this, or with a name longer than a file name may be, is refused.
MAX_PATH = 2048
MAX_NAME_BYTES = 255
# In a request target as sent: only printable ASCII, without the fragment (never sent).
UNSENDABLE = re.compile(r"[^\x21-\x7e]|#")
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class TargetError(ValueError):
    """A request path that no browser would send: the reason, for a 400 response."""


@dataclass(frozen=True)
class Target:
    """A request's path, checked and decoded: its names (no empty, ``.`` or ``..`` one), whether
    it ends with a slash, and its query as sent."""

    names: tuple[str, ...]
    slash: bool
    query: str

    @property
    def path(self) -> str:
        inner = "/".join(self.names)
        return f"/{inner}/" if inner and self.slash else f"/{inner}"

    def with_slash(self) -> str:
        """The address of the same path ending with a slash (names encoded again: a path that
        began with ``//`` cannot become a redirect to another host)."""
        encoded = "/".join(quote(name, safe="") for name in self.names)
        return f"/{encoded}/" + (f"?{self.query}" if self.query else "")


def parse_target(raw: str) -> Target:
    """Read a request target; TargetError when it is not a path a browser would send.

    Browsers percent-encode what is not printable ASCII and remove ``.`` and ``..`` before
    asking, so a target that has them is refused rather than guessed at: ``..`` would otherwise
    be dropped silently (``/en/../x`` served as ``/en/x``), and a NUL or an undecodable name
    would reach the file system.
    """
    if UNSENDABLE.search(raw):
        raise TargetError("the address has a character that must be percent-encoded")
    path, _, query = raw.partition("?")
    if not path.startswith("/"):
        raise TargetError("the address must be a path, starting with /")
    if len(path) > MAX_PATH:
        raise TargetError(f"the path is longer than {MAX_PATH} characters")
    if BAD_ESCAPE.search(path):
        raise TargetError("the path has a % not followed by two hexadecimal digits")
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise TargetError("the path's percent-encoded bytes are not UTF-8") from None
    if CONTROL.search(decoded):
        raise TargetError("the path has a control character (such as NUL)")
    names = tuple(name for name in decoded.split("/") if name)
    if any(name in (".", "..") for name in names):
        raise TargetError("the path has a . or .. segment")
    if any(len(name.encode()) > MAX_NAME_BYTES for name in names):
        raise TargetError(f"the path has a name longer than {MAX_NAME_BYTES} bytes")
    return Target(names, decoded.endswith("/"), query)


def allowed_hosts(bound: str, port: int) -> frozenset[str]:
    """The ``Host`` values of requests addressed to this server: a loopback name, with the port
    (without it only for port 80, the default)."""
    names = {*LOOPBACK_NAMES, f"[{bound}]" if ":" in bound else bound}
    return frozenset({f"{name}:{port}" for name in names} | (names if port == 80 else set()))
