"""A real sanctions list turned into a repository the site builds from.

OFAC's SDN file (``sdn.csv``) is imported with ``noimpunity import ofac-csv`` into a scratch
repository holding the project's ``content/``: one draft per subject. A draft is not a record
yet (its grounds are a placeholder, the file gives no listing date), so ``buildable`` fills
what is missing with neutral values. Shared by ``run.py`` (the real-list scenario) and
``screening/phone.py``; needs nothing outside the standard library.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"^  (en|fr): 'TODO:.*'$", re.M)
CONTACT_FIELDS = ("phone:", "email:", "website:")
FILE_NAME_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


class RealListError(Exception):
    """The import failed, or the file's date is unknown; the message says why."""


def file_date(path: Path) -> dt.date | None:
    """The date in a file name such as ``sdn-2024-05-03.csv``, or None when it has none."""
    found = FILE_NAME_DATE.findall(path.name)
    if len(found) != 1:
        return None
    try:
        return dt.date.fromisoformat(found[0])
    except ValueError:
        return None


def scratch_repository(sdn: Path, root: Path, noimpunity: Path, listed: dt.date) -> int:
    """Fill ``root`` (empty or missing) with content/ and the file's subjects; their number."""
    shutil.copytree(REPOSITORY / "content", root / "content")
    (root / "designations").mkdir()
    done = subprocess.run(
        [str(noimpunity), "import", "ofac-csv", str(sdn), "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):  # 1: drafts written, with warnings for a coordinator
        raise RealListError(f"import of {sdn} failed ({done.returncode}): {done.stderr[-3000:]}")
    drafts = sorted((root / "designations").glob("*.yaml"))
    for draft in drafts:
        draft.write_text(buildable(draft.read_text("utf-8"), listed), "utf-8")
    return len(drafts)


def buildable(text: str, listed: dt.date) -> str:
    """A draft the site builds from: neutral grounds, ``listed`` (the file's date) where OFAC
    gives no date and a generic reference where the programme has none; contact fields (which
    drafts leave for a coordinator to correct) left out."""
    text = PLACEHOLDER.sub(r"  \1: Imported for a benchmark.", text)
    lines: list[str] = []
    skipping = False
    for line in text.splitlines():
        if skipping and line.startswith("  "):
            continue
        skipping = line.startswith(CONTACT_FIELDS)
        if skipping:
            continue
        lines.append(line)
        if line == "  - authority: US" and "listed:" not in text:
            lines.append(f"    listed: {listed.isoformat()}")
            if "reference:" not in text:
                lines.append("    reference: OFAC SDN list")
    return "\n".join(lines) + "\n"
