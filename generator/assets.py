"""What a page may load: the site's own static files, and the policy that allows nothing else.

Every file of ``templates/static/`` is published under a name that carries a hash of its bytes
(``style.css`` -> ``static/style.3f2a9c01b7.css``), so that a browser may keep it for ever and
a changed file is never mixed with an old page; the unhashed names are not published. Each
file also has its Subresource Integrity value (``sha384-`` and the base64 SHA-384 of its
bytes), which templates put beside the reference: a file altered after the build is refused.

Templates reach them through the ``asset`` global (render.py): ``asset('style.css').path`` is
the address to give to ``url()``, ``asset('style.css').integrity`` the attribute's value. No
``crossorigin`` attribute: the assets are always referenced by relative address, hence
same-origin, and integrity is checked on same-origin responses without CORS (a module script
is fetched in CORS mode anyway). One consequence: Chromium refuses the style sheet of a page
opened from disk (``file://``), whose integrity it cannot check; the site is meant to be
served. A static file is published as it is: a style sheet that came to reference another
static file (a font, an image) would have to use its hashed name.

Pagefind's bundle (``pagefind/``) is not covered: ``search.js`` loads its entry point with a
dynamic ``import()``, which accepts no integrity value, and Pagefind loads its worker, its
WebAssembly and its index itself. Its chunks are named by their content; its entry and worker
files are not.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

FOLDER = "static"  # under the site's root
HASH_LENGTH = 10  # hex digits of SHA-256 in a published name

SCRIPT_SOURCES = "script-src 'self' 'wasm-unsafe-eval'"
# The Content-Security-Policy of every page, as a <meta http-equiv> (the site is static: no
# response headers of its own). Only the site's own files may load, nothing inline runs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",  # anything not named below: the site's own files only
        # The site's own scripts (search.js, Pagefind's bundle); no inline script, no eval.
        # Pagefind compiles its WebAssembly in the page when it cannot start its worker:
        # 'wasm-unsafe-eval' allows WebAssembly compilation and nothing else.
        SCRIPT_SOURCES,
        "style-src 'self'",  # style.css only: no <style>, no style="" (SVG charts included)
        # Charts are inline SVG, not images; no page uses a data: image today, and an image
        # cannot run script: data: lets style.css inline a small icon.
        "img-src 'self' data:",
        "connect-src 'self'",  # Pagefind fetches its index, fragments and WebAssembly
        # Pagefind's worker, started from pagefind/pagefind-worker.js (no blob: needed).
        "worker-src 'self'",
        "object-src 'none'",  # no plugins
        "base-uri 'none'",  # no <base> to redirect relative addresses
        "form-action 'self'",  # the search form submits to its own page
        # frame-ancestors (framing by other sites) is ignored in a <meta> policy: only a
        # response header can set it, which the host of the site would have to send.
    ]
)


def policy_allowing(data_block: str) -> str:
    """The policy of a page that holds one inline data block (the data page's JSON-LD): its
    SHA-256 among the script sources. Browsers run no data block, so need no permission; the
    hash keeps the policy true of the page for the tools that check it (the HTML validator)."""
    digest = base64.b64encode(hashlib.sha256(data_block.encode("utf-8")).digest()).decode()
    return CONTENT_SECURITY_POLICY.replace(SCRIPT_SOURCES, f"{SCRIPT_SOURCES} 'sha256-{digest}'")


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file: its name in templates/static/, its published path, its integrity."""

    name: str  # "style.css"
    path: str  # "static/style.3f2a9c01b7.css", relative to the site's root
    integrity: str  # "sha384-..."
    data: bytes = field(repr=False)


def hashed_name(name: str, data: bytes) -> str:
    """``dir/style.css`` -> ``dir/style.<first hex digits of SHA-256>.css``."""
    path = PurePosixPath(name)
    tag = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    stem, dot, suffix = path.name.partition(".")
    published = f"{stem}.{tag}{dot}{suffix}" if dot else f"{stem}.{tag}"
    return str(path.with_name(published))


def integrity(data: bytes) -> str:
    """The Subresource Integrity value of ``data``: SHA-384, base64."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def make_asset(name: str, data: bytes) -> Asset:
    return Asset(name, f"{FOLDER}/{hashed_name(name, data)}", integrity(data), data)


def load_assets(folder: Path) -> dict[str, Asset]:
    """Every file under ``folder`` (templates/static/) by its name there, e.g. ``style.css``."""
    if not folder.is_dir():
        return {}
    # Links and hidden files are refused when the repository is read (read.check_inputs);
    # never followed here, whatever calls this.
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not path.is_symlink()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and path.resolve().is_relative_to(folder.resolve())
    )
    names = [path.relative_to(folder).as_posix() for path in files]
    return {
        name: make_asset(name, path.read_bytes()) for name, path in zip(names, files, strict=True)
    }
