"""Every page of the repository's site is valid HTML (the Nu Html Checker, vnu-jar)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import build_site
from tests.conftest import MINIMAL, REPO, TODAY

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
# The checker reads the pages as file: addresses, which no 'self' source matches: it reports the
# site's own style sheet and script (static/<name>.<hash>.<ext>) as blocked by the pages'
# Content-Security-Policy. Served over http they are same-origin, and tests/test_browser.py
# fails on any refusal; a report about any other resource still counts.
OWN_ASSET_BLOCKED = re.compile(
    r"Resource violates Content Security Policy \(meta tag\): external (stylesheet|script) "
    r"“(\.\./)*/?static/[a-z-]+\.[0-9a-f]{10}\.(css|js)” "
    r"blocked by “(style|script)-src” directive\.$"
)


def check(site: Path) -> list[str]:
    java = shutil.which("java")
    assert java, (
        "Java is needed by the Nu Html Checker: `make test` installs Debian's"
        " default-jre-headless as root (scripts/system-packages.sh)"
    )
    assert VNU.is_file(), "run `npm ci` in the repository root (vnu-jar)"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--skip-non-html", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    return [
        f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if (m.get("type") == "error" or m.get("subType") == "warning")
        and not OWN_ASSET_BLOCKED.match(m["message"])
    ]


@pytest.mark.parametrize("root", [REPO, MINIMAL], ids=["repository", "minimal"])
def test_every_page_is_valid_html(root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(root, site, strict=True, today=TODAY)
    assert check(site) == []


def test_the_checker_can_fail(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html><p><div></p>", "utf-8")
    assert check(tmp_path) != []
