"""The repository's layout: the folders and files the generator reads and writes.

Paths are relative to the repository's root and written with ``/``, as problems name files.
Every module that finds its way around a repository takes the names from here, so that a folder
is renamed in one place.
"""

from __future__ import annotations

from pathlib import Path

DESIGNATIONS = "designations"  # the records, one <id>.yaml each
CONTENT = "content"  # the site's configuration, participants, cases, milestones and pages
TEMPLATES = "templates"  # a repository's own templates (optional)

SITE_FILE = f"{CONTENT}/site.yaml"
PARTICIPANTS_FILE = f"{CONTENT}/participants.yaml"
CASES_FILE = f"{CONTENT}/cases.yaml"
MILESTONES_FILE = f"{CONTENT}/milestones.yaml"
# The folders of content/ holding pages (<slug>.<lang>.md): the top one, and the news items.
PAGE_SECTIONS = ("", "news")

# Where `noimpunity build` writes the site unless told, and where it keeps its cache.
OUTPUT = "site"
CACHE = ".cache"

# The templates of this source checkout, used for repositories that have none of their own
# (such as the test sites).
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / TEMPLATES


def templates_for(root: Path) -> Path:
    """The templates a build of the repository at ``root`` renders with."""
    own = root / TEMPLATES
    return own if own.is_dir() else DEFAULT_TEMPLATES
