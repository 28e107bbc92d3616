"""Adding a field is one line in the table (and one in the template that shows it).

A scratch copy of the generator gets a new person field, ``title``, in fields.SUBJECT_FIELDS
and nothing else but a line of templates/subject.html; run from that copy, the field must reach
validation, the JSON Schema, the coordinators' reference, the skeleton of ``new``, the JSON,
CSV and FollowTheMoney downloads, and the subject's page.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL

PROJECT = Path(__file__).resolve().parent.parent
NEW_FIELD = """    Field(
        "title",
        Kind.TEXT,
        "Honorific or military title.",
        applies_to=PERSON,
        example="Colonel",
        part="person",
        csv="title",
        ftm=Ftm("title", "string"),
    ),
"""
TEMPLATE_LINE = '    {{ facts.texts(_("Title"), [subject.title] if subject.title else []) }}\n'
ANCHOR = '    {{ facts.texts(_("Position"), subject.position, text_lang) }}\n'


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the generator and its templates with the field added."""
    root = tmp_path_factory.mktemp("scratch")
    shutil.copytree(PROJECT / "generator", root / "generator")
    shutil.copytree(PROJECT / "templates", root / "templates")
    table = root / "generator/fields.py"
    text = table.read_text("utf-8")
    start = text.index("SUBJECT_FIELDS = (")
    end = text.index("\n)\n", start) + 1
    table.write_text(text[:end] + NEW_FIELD + text[end:], "utf-8")
    page = root / "templates/subject.html"
    html = page.read_text("utf-8")
    assert ANCHOR in html
    page.write_text(html.replace(ANCHOR, ANCHOR + TEMPLATE_LINE), "utf-8")
    return root


def python(scratch: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Python code run with the scratch copy's generator: first on the path (``-c`` puts the
    working folder first, ``PYTHONPATH`` next, the installed project after them)."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(scratch), "NOIMPUNITY_JOBS": "1"},
        cwd=scratch,
        check=False,
    )


def run(scratch: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The scratch copy's command line."""
    code = "import sys; from generator.cli import main; sys.argv[0] = 'noimpunity'; main()"
    return python(scratch, code, *args)


def repository(tmp_path: Path, person: str, entity: str = "") -> Path:
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    for name, line in (("alexander-mishkin", person), ("main-intelligence-directorate", entity)):
        path = root / f"designations/{name}.yaml"
        path.write_text(path.read_text("utf-8") + line, "utf-8")
    return root


def test_the_scratch_copy_is_the_one_run(scratch: Path) -> None:
    code = "import generator.fields as f; print(f.__file__, [s.name for s in f.SUBJECT_FIELDS])"
    out = python(scratch, code).stdout
    assert out.startswith(str(scratch)) and "'title'" in out


def test_the_field_is_validated(scratch: Path, tmp_path: Path) -> None:
    root = repository(tmp_path, "title: [Colonel, General]\n", "title: Director\n")
    result = run(scratch, "validate", "--root", str(root))
    assert result.returncode == 1, result.stdout + result.stderr
    person = "designations/alexander-mishkin.yaml"
    entity = "designations/main-intelligence-directorate.yaml"
    report = result.stdout + result.stderr
    assert f"{person}:" in report and "error[wrong-type] title" in report, report
    assert f"{entity}:" in report and "title" in report.split(entity, 1)[1], report


def test_the_field_is_in_the_schema_the_guide_and_the_skeleton(
    scratch: Path, tmp_path: Path
) -> None:
    schema = json.loads(run(scratch, "schema").stdout)
    assert schema["properties"]["title"]["description"] == "Honorific or military title."
    entity = next(rule for rule in schema["allOf"] if "entity" in json.dumps(rule["if"]))
    assert entity["then"]["properties"]["title"] is False
    code = "from generator.docs import record_reference; print(record_reference())"
    guide = python(scratch, code).stdout
    assert "`title`" in guide and "Honorific or military title." in guide
    root = repository(tmp_path, "")
    made = run(scratch, "new", "person", "Ivan Petrov", "--root", str(root))
    assert made.returncode == 0, made.stdout + made.stderr
    skeleton = (root / "designations/ivan-petrov.yaml").read_text("utf-8")
    assert "# title: Colonel  # Honorific or military title." in skeleton


def test_the_field_reaches_the_downloads_and_the_page(scratch: Path, tmp_path: Path) -> None:
    root = repository(tmp_path, "title: Colonel\n")
    site = tmp_path / "site"
    built = run(scratch, "build", "--root", str(root), "-o", str(site), "--no-cache")
    assert built.returncode == 0, built.stdout + built.stderr
    subjects = json.loads((site / "data/subjects.json").read_text("utf-8"))["subjects"]
    mishkin = next(s for s in subjects if s["id"] == "alexander-mishkin")
    gru = next(s for s in subjects if s["id"] == "main-intelligence-directorate")
    assert mishkin["title"] == "Colonel" and gru["title"] is None
    keys = list(mishkin)
    assert keys.index("position") < keys.index("title") < keys.index("address")
    one = json.loads((site / "data/subjects/alexander-mishkin.json").read_text("utf-8"))
    assert one["subject"]["title"] == "Colonel"
    text = (site / "data/subjects.csv").read_text("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["alexander-mishkin"]["title"] == "Colonel"
    assert rows["main-intelligence-directorate"]["title"] == ""
    entities = [
        json.loads(line)
        for line in (site / "data/subjects.ftm.json").read_text("utf-8").splitlines()
    ]
    person = next(e for e in entities if e["id"] == "noimpunity-alexander-mishkin")
    assert person["properties"]["title"] == ["Colonel"]
    page = (site / "en/designations/alexander-mishkin/index.html").read_text("utf-8")
    assert "<dt>Title</dt>" in page and "Colonel" in page
    listing = (site / "en/designations/index.html").read_text("utf-8")
    assert "Colonel" not in listing  # not declared as shown in lists
