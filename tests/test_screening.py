"""Name screening: the method (generator/screening), the page's script, the command line.

The vectors (tests/screening/vectors.json) hold both implementations to the same expected
subjects; the script is run by Node on the index the build writes, and must give the same
tokens for every name and the same candidates, bands and scores for every query as Python.
Node is required, as the browser is: `make test` installs npm (and Node) when missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.build import build_site
from generator.cli import main
from generator.read import read_site
from generator.screening.index import INDEX_PATH, index_json, screener
from generator.screening.normalise import identifier_key, rules, tokens
from generator.screening.score import Screener, jaro_winkler
from tests.conftest import REPO, TODAY

VECTORS = json.loads((REPO / "tests/screening/vectors.json").read_text("utf-8"))["vectors"]
RUNNER = REPO / "tests/screening/run.mjs"
SCRIPT = REPO / "templates/static/screening.js"


@pytest.fixture(scope="module")
def repository_screener() -> Screener:
    site, _problems = read_site(REPO, TODAY)
    assert site is not None
    return screener(site)


def vector_id(vector: dict[str, Any]) -> str:
    return str(vector["query"])


@pytest.mark.parametrize("vector", VECTORS, ids=vector_id)
def test_vectors(repository_screener: Screener, vector: dict[str, Any]) -> None:
    found = repository_screener.screen(vector["query"])
    ids = [match.entry.id for match in found]
    if vector["expect"] is None:
        assert ids == [], [(m.entry.id, m.score) for m in found]
        return
    assert vector["expect"] in ids[: vector["rank"]], ids
    if "band" in vector:
        assert found[ids.index(vector["expect"])].band == vector["band"]


def run_script(index: bytes, queries: list[str], tmp_path: Path, threshold: float | None) -> Any:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is required (make test installs npm and Node: scripts/system-packages.sh)"
    (tmp_path / "index.json").write_bytes(index)
    payload = {"queries": queries, "threshold": threshold}
    (tmp_path / "queries.json").write_text(json.dumps(payload), "utf-8")
    done = subprocess.run(
        [
            node,
            "--no-warnings",
            str(RUNNER),
            str(SCRIPT),
            *(str(tmp_path / n) for n in ("index.json", "queries.json")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("threshold", [None, rules()["wide_threshold"]])
def test_the_page_script_agrees_with_python(tmp_path: Path, threshold: float | None) -> None:
    site, _problems = read_site(REPO, TODAY)
    assert site is not None
    found = screener(site)
    queries = [vector["query"] for vector in VECTORS]
    queries += [name for entry in found.entries[::7] for name in entry.names[:1]]
    out = run_script(index_json(site), queries, tmp_path, threshold)
    for name, words in out["tokens"].items():
        assert list(tokens(name)) == words, name
    for query in queries:
        python = [
            [m.entry.id, m.band, m.score, m.matched, m.by] for m in found.screen(query, threshold)
        ]
        script = out["results"][query]
        assert [row[:2] + row[3:] for row in script] == [row[:2] + row[3:] for row in python]
        for ours, theirs in zip(python, script, strict=True):
            assert ours[2] == pytest.approx(theirs[2], abs=1e-12), query


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    # Winkler's own examples (1990) and the usual textbook ones.
    [("martha", "marhta", 0.961), ("dwayne", "duane", 0.84), ("dixon", "dicksonx", 0.813)],
)
def test_jaro_winkler(a: str, b: str, expected: float) -> None:
    assert jaro_winkler(a, b) == pytest.approx(expected, abs=5e-4)
    assert jaro_winkler(a, a) == 1.0
    assert jaro_winkler(a, "") == 0.0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Abd al-Rahman", ("abdrahman",)),
        ("Abdul Rahman", ("abdrahman",)),
        ("Abdelrahman", ("abdrahman",)),
        ("Muhammad bin Salman", ("muhamad", "salman")),
        ("Poutine", ("putin",)),
        ("Путин", ("putin",)),
        ("Tschepiga", ("chipiga",)),
        ("Jewgeni", ("ivgini",)),
        ("Evgueni", ("ivgini",)),
        ("Sa'id", ("said",)),
        ("Ḥasan", ("hasan",)),
        ("Κωνσταντίνος", ("kunstantinus",)),
        ("  ", ()),
    ],
)
def test_tokens(name: str, expected: tuple[str, ...]) -> None:
    assert tokens(name) == expected


def test_a_weak_alias_is_never_an_exact_match(repository_screener: Screener) -> None:
    """Firas Ahmed's weak alias "Ahmad": one common name, not an identity."""
    found = {m.entry.id: m for m in repository_screener.screen("Ahmad", 0.5)}
    assert found["firas-ahmed"].band != "exact"
    assert found["firas-ahmed"].score < max(m.score for m in found.values())


def test_identifiers_match_after_normalising_only() -> None:
    assert identifier_key("08884792") == identifier_key("8884792") == "8884792"
    assert identifier_key("808 195 689-00019") == "80819568900019"
    assert identifier_key("2014 B 24978") == "2014B24978"


def test_the_build_publishes_the_index(tmp_path: Path) -> None:
    build_site(REPO, tmp_path / "site", strict=True, today=TODAY)
    index = json.loads((tmp_path / "site" / INDEX_PATH).read_text("utf-8"))
    assert index["rules"]["threshold"] == rules()["threshold"]
    rows = {row[0]: row for row in index["subjects"]}
    assert "Ruslan Boshirov" in rows["anatoliy-chepiga"][7]
    assert ["7704195013", "inn"] in rows["radiological-chemical-and-biological-defence-troops"][8]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, ["screen", "--root", str(REPO), *args])


def test_screen_command_text() -> None:
    done = invoke("Alexandre Michkine", "Emmanuel Macron")
    assert done.exit_code == 1, done.output
    lines = done.output.splitlines()
    assert lines[0] == "'Alexandre Michkine': 1 candidate"
    assert lines[1].split()[0] == "strong" and lines[1].split()[2] == "Alexander"
    assert "'Emmanuel Macron': no close match (threshold 0.80)" in lines


def test_screen_command_exits_0_when_nobody_matches() -> None:
    done = invoke("Emmanuel Macron")
    assert done.exit_code == 0
    assert invoke().exit_code == 2


def test_screen_command_file_csv_and_json(tmp_path: Path, repository_screener: Screener) -> None:
    names = tmp_path / "names.csv"
    names.write_text('country,name\nRU,Боширов\nFR,"=HYPERLINK(""x"")"\n', "utf-8")
    done = invoke("--file", str(names), "--format", "csv")
    rows = done.output.splitlines()
    assert rows[0].startswith("query,rank,band,score,id,name,matched")
    best = repository_screener.screen("Боширов")[0]
    assert rows[1].startswith(f"Боширов,1,{best.band},{best.score:.3f},anatoliy-chepiga,")
    assert rows[-1].startswith('"\'=HYPERLINK(""x"")",,none')  # never a formula
    data = json.loads(invoke("Boshirov", "--format", "json").output)
    assert data[0]["candidates"][0]["matched"] == "Ruslan Boshirov"
    assert data[0]["candidates"][0]["url"].endswith("/en/designations/anatoliy-chepiga/")


def test_a_wider_threshold_finds_more() -> None:
    narrow = invoke("Katran", "--format", "json")
    wide = invoke("Katran", "--format", "json", "--threshold", "0.6")
    count = len(json.loads(narrow.output)[0]["candidates"])
    assert len(json.loads(wide.output)[0]["candidates"]) > count
