"""Hostile input gives a clear, located problem, never a traceback; the build then writes nothing.

Each case lays a few files over a copy of the minimal site and names the problem it must give:
its file, line and column (computed from the written bytes, independently of the validator),
its code, its field and its severity. ``noimpunity build`` must then exit with status 1 without
a traceback, print that problem, and leave the repository and the output folder byte for byte
as they were (warnings stop the build too, with ``--strict``). What must be accepted (a
byte-order mark, CRLF line endings, names in their own scripts, cycles of symmetric relations)
is tested at the end.
"""

from __future__ import annotations

import calendar
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import generator.load
from generator import fields
from generator.cli import main
from generator.errors import Location, Problem, Severity, sort_problems
from generator.fields import Field, Kind
from generator.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_LINE_CHARS, MAX_REPEATS, load_yaml_text
from generator.read import read_site
from tests.conftest import MINIMAL, TODAY

MISHKIN = "designations/alexander-mishkin.yaml"
GRU = "designations/main-intelligence-directorate.yaml"
SSRC = "designations/scientific-studies-and-research-centre.yaml"
TWIN = "designations/mishkin-twin.yaml"
EPOCH = str(calendar.timegm(TODAY.timetuple()))  # the build's "today" is the tests' TODAY
ERROR, WARNING = Severity.ERROR, Severity.WARNING


def source(rel: str) -> str:
    return (MINIMAL / rel).read_text("utf-8")


@dataclass(frozen=True)
class Hostile:
    """Files to lay over the minimal site, and the problem they must give."""

    files: dict[str, bytes]
    path: str
    line: int
    column: int
    code: str
    field: str = ""
    severity: Severity = ERROR

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.column)


def where(data: bytes, mark: str) -> tuple[int, int]:
    """Line and column of the first ``mark`` in a file, as an editor shows them."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    index = text.index(mark)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def edit(
    rel: str,
    old: str,
    new: str,
    mark: str,
    code: str,
    field: str = "",
    severity: Severity = ERROR,
    extra: dict[str, bytes] | None = None,
) -> Hostile:
    """Replace ``old`` by ``new`` in a file of the minimal site; expect ``code`` at ``mark``."""
    text = source(rel)
    assert old in text, old
    data = text.replace(old, new, 1).encode("utf-8")
    line, column = where(data, mark)
    return Hostile({rel: data, **(extra or {})}, rel, line, column, code, field, severity)


def mishkin(old: str, new: str, mark: str, code: str, field: str = "", **kw: Any) -> Hostile:
    return edit(MISHKIN, old, new, mark, code, field, **kw)


def whole(rel: str, data: bytes, line: int, column: int, code: str, field: str = "") -> Hostile:
    return Hostile({rel: data}, rel, line, column, code, field)


def twin(name: str, aliases: str = "", birth: str = "1979-07-13") -> dict[str, bytes]:
    """Alexander Mishkin's record again, under another id, name and aliases."""
    text = source(MISHKIN).replace("id: alexander-mishkin", "id: mishkin-twin")
    text = text.replace("name: Alexander Yevgeniyevich Mishkin", f"name: {name}")
    text = text.replace("birth_date: 1979-07-13", f"birth_date: {birth}")
    start, end = text.index("aliases:\n"), text.index("birth_date:")
    text = text[:start] + (f"aliases:\n{aliases}" if aliases else "") + text[end:]
    return {TWIN: text.encode("utf-8")}


def duplicate(name: str, aliases: str = "") -> Hostile:
    files = twin(name, aliases)
    return Hostile(files, TWIN, *where(files[TWIN], name), "likely-duplicate", "name", WARNING)


BOMB = "".join(
    f"{key}: &{key} [{', '.join([f'*{previous}'] * 9 if previous else ['lol'] * 9)}]\n"
    for previous, key in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)
ALIAS = "  - Alexander Petrov\n"
NAME = "name: Alexander Yevgeniyevich Mishkin"
LISTED = "listed: 2019-01-21"
GROUNDS = "    Officer of the GRU who took part in the Salisbury attack.\n"
URL = "url: https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj"
RELATED = "  - {id: main-intelligence-directorate, relation: employee-of}\n"

CASES: dict[str, Hostile] = {
    # YAML bombs, nesting, size
    "billion-laughs": whole(MISHKIN, BOMB.encode(), 2, 8, "yaml-alias"),
    "anchor": mishkin(ALIAS, "  - &a Alexander Petrov\n", "&a", "yaml-anchor"),
    "alias-in-sanction": mishkin("    program: EU-CHEM\n", "    program: *p\n", "*p", "yaml-alias"),
    "merge-key": mishkin("    program: EU-CHEM\n", "    <<: {program: X}\n", "<<", "yaml-merge"),
    "tag": mishkin(NAME, "name: !!python/object:os.system ls", "!!", "yaml-tag"),
    "deep-nesting": mishkin(
        RELATED,
        RELATED + "sources: " + "[" * (MAX_DEPTH + 8) + "]" * (MAX_DEPTH + 8) + "\n",
        "[" * 9 + "]",  # the root mapping is the first level
        "too-deep",
    ),
    "long-line": replace(
        mishkin(ALIAS, f"  - {'A' * MAX_LINE_CHARS}\n", "  - AAA", "line-too-long"),
        column=MAX_LINE_CHARS + 1,
    ),
    "long-file": whole(MISHKIN, b"#\n" * (MAX_FILE_BYTES // 2 + 1), 1, 1, "file-too-large"),
    "empty": whole(MISHKIN, b"", 1, 1, "empty-file"),
    "blank-lines": whole(MISHKIN, b"\n  \n\n", 1, 1, "empty-file"),
    "only-a-bom": whole(MISHKIN, b"\xef\xbb\xbf", 1, 1, "empty-file"),
    "only-a-comment": whole(MISHKIN, b"# nothing yet\n", 1, 1, "empty-file"),
    "two-documents": mishkin(RELATED, RELATED + "---\nid: other\n", "---", "multiple-documents"),
    # bytes and characters
    "latin-1": whole(
        MISHKIN, source(MISHKIN).encode().replace("é".encode(), b"\xe9"), 23, 35, "not-utf8"
    ),
    "overlong-utf8": whole(
        MISHKIN, source(MISHKIN).encode().replace(b"Petrov", b"Pe\xc0\xaftrov"), 5, 17, "not-utf8"
    ),
    "utf8-surrogate": whole(
        MISHKIN, source(MISHKIN).encode().replace(b"Petrov", b"\xed\xa0\x80"), 5, 15, "not-utf8"
    ),
    "utf-16": whole(MISHKIN, source(MISHKIN).encode("utf-16"), 1, 1, "not-utf8"),
    "nul": mishkin(ALIAS, "  - Alexander\x00Petrov\n", "\x00", "control-character"),
    "bell": mishkin(NAME, "name: Alexander\x07Mishkin", "\x07", "control-character"),
    "escape-sequence": mishkin(NAME, "name: \x1b[31mMishkin", "\x1b", "control-character"),
    "delete": mishkin(ALIAS, "  - Alexander\x7f\n", "\x7f", "control-character"),
    "next-line-c1": mishkin(ALIAS, "  - Alexander\x85Petrov\n", "\x85", "control-character"),
    "line-separator": mishkin(ALIAS, "  - Alexander\u2028Petrov\n", "\u2028", "control-character"),
    "form-feed": mishkin(RELATED, RELATED + "\x0c\n", "\x0c", "control-character"),
    "quoted-nul-escape": mishkin(
        ALIAS, '  - "Alexander\\0Petrov"\n', '"Alexander', "control-character", "aliases[0].name"
    ),
    "quoted-escape-escape": mishkin(
        NAME, 'name: "\\e[2JMishkin"', '"', "control-character", "name"
    ),
    "quoted-bell-in-grounds": mishkin(
        "  en: |\n" + GROUNDS,
        '  en: "Officer\\a."\n',
        '"Officer',
        "control-character",
        "grounds.en",
    ),
    # tabs
    "tab-indent": mishkin("    program: EU-CHEM\n", "\tprogram: EU-CHEM\n", "\t", "yaml-syntax"),
    "tab-after-colon": mishkin("gender: male", "gender:\tmale", "\t", "yaml-syntax"),
    "tab-in-value": mishkin(NAME, "name: Alexander\tMishkin", "\t", "yaml-syntax"),
    "tab-in-flow": mishkin("nationality: [RU]", "nationality: [RU,\tUA]", "\t", "yaml-syntax"),
    "tab-in-block-scalar": mishkin(GROUNDS, GROUNDS + "\tmore\n", "\tmore", "yaml-syntax"),
    # duplicate keys at every level
    "duplicate-top": mishkin(
        "gender: male\n",
        "gender: male\ngender: female\n",
        "gender: female",
        "duplicate-key",
        "gender",
    ),
    "duplicate-in-sanction": mishkin(
        "    entry: I.A 7\n",
        "    entry: I.A 7\n    entry: I.A 8\n",
        "entry: I.A 8",
        "duplicate-key",
        "entry",
    ),
    "duplicate-in-alias": mishkin(
        "lang: ru}", "lang: ru, lang: uk}", "lang: uk", "duplicate-key", "lang"
    ),
    "duplicate-in-grounds": mishkin(
        "  fr: |\n", "  en: again\n  fr: |\n", "en: again", "duplicate-key", "en"
    ),
    "duplicate-in-related": mishkin(
        "relation: employee-of}",
        "relation: employee-of, relation: member-of}",
        "relation: member-of",
        "duplicate-key",
        "relation",
    ),
    "duplicate-in-site": edit(
        "content/site.yaml",
        "contact:",
        "base_url: x\ncontact:",
        "base_url: x",
        "duplicate-key",
        "base_url",
    ),
    "duplicate-in-participant": edit(
        "content/participants.yaml",
        "  joined: 2018-04-15\n",
        "  joined: 2018-04-15\n  kind:  state\n",
        "kind:  state",
        "duplicate-key",
        "kind",
    ),
    # dates
    "february-30": mishkin(
        LISTED, "listed: 2019-02-30", "2019-02-30", "invalid-date", "sanctions[0].listed"
    ),
    "february-29-not-leap": mishkin(
        LISTED, "listed: 2019-02-29", "2019-02-29", "invalid-date", "sanctions[0].listed"
    ),
    "april-31": mishkin(
        LISTED, "listed: 2019-04-31", "2019-04-31", "invalid-date", "sanctions[0].listed"
    ),
    "month-13": mishkin(
        LISTED, "listed: 2019-13-01", "2019-13-01", "invalid-date", "sanctions[0].listed"
    ),
    "day-zero": mishkin(
        LISTED, "listed: 2019-01-00", "2019-01-00", "invalid-date", "sanctions[0].listed"
    ),
    "birth-month-13": mishkin(
        "birth_date: 1979-07-13", "birth_date: 1979-13", "1979-13", "invalid-date", "birth_date"
    ),
    "renewed-february-30": mishkin(
        "    measures: [asset-freeze, travel-ban]\n",
        "    measures: [asset-freeze, travel-ban]\n    renewed: [2019-02-30]\n",
        "2019-02-30",
        "invalid-date",
        "sanctions[0].renewed[0]",
    ),
    "future-listed": mishkin(
        LISTED, "listed: 2099-01-21", "2099", "future-date", "sanctions[0].listed"
    ),
    "future-birth": mishkin(
        "birth_date: 1979-07-13", "birth_date: 2099", "2099", "future-date", "birth_date"
    ),
    "future-news": edit(
        "content/news/2018-01-23-launch.en.md",
        "date: 2018-01-23",
        "date: 2099-01-23",
        "2099",
        "future-date",
        "date",
    ),
    "future-case-event": edit(
        "content/cases.yaml",
        "date: 2019-01-21",
        "date: 2099-01",
        "2099",
        "future-date",
        "[0].events[0].date",
    ),
    # ids with path separators
    "id-dot-dot": mishkin(
        "id: alexander-mishkin", "id: ../alexander-mishkin", "../", "invalid-id", "id"
    ),
    "id-slash": mishkin(
        "id: alexander-mishkin",
        "id: designations/alexander-mishkin",
        "designations/alexander",
        "invalid-id",
        "id",
    ),
    "id-backslash": mishkin(
        "id: alexander-mishkin", "id: ..\\alexander-mishkin", "..\\", "invalid-id", "id"
    ),
    "id-absolute": mishkin("id: alexander-mishkin", "id: /etc/passwd", "/etc", "invalid-id", "id"),
    "related-dot-dot": mishkin(
        "{id: main-intelligence-directorate",
        "{id: ../../etc/passwd",
        "../../",
        "invalid-id",
        "related[0].id",
    ),
    "related-slash": mishkin(
        "{id: main-intelligence-directorate",
        "{id: designations/main-intelligence-directorate",
        "designations/main",
        "invalid-id",
        "related[0].id",
    ),
    "case-dot-dot": mishkin(
        "cases: [salisbury-2018]", "cases: [../salisbury-2018]", "../", "invalid-id", "cases[0]"
    ),
    "case-definition-slash": edit(
        "content/cases.yaml",
        "- id: daesh",
        "- id: cases/daesh",
        "cases/daesh",
        "invalid-id",
        "[1].id",
    ),
    # authorities, relations, cycles
    "unknown-authority": mishkin(
        "authority: EU", "authority: UE", "UE", "unknown-authority", "sanctions[0].authority"
    ),
    "unknown-relation": mishkin(
        "relation: employee-of",
        "relation: enemy-of",
        "enemy-of",
        "invalid-choice",
        "related[0].relation",
    ),
    "unknown-related-id": mishkin(
        "{id: main-intelligence-directorate",
        "{id: main-inteligence-directorate",
        "main-inteligence",
        "unknown-related",
        "related[0].id",
    ),
    "self-related": mishkin(
        RELATED,
        RELATED + "  - {id: alexander-mishkin, relation: linked-to}\n",
        "alexander-mishkin, relation",
        "self-related",
        "related[1].id",
    ),
    "part-of-cycle": edit(
        GRU,
        "grounds:",
        "related:\n  - {id: scientific-studies-and-research-centre, relation: part-of}\ngrounds:",
        "scientific-studies",
        "related-cycle",
        "related[0].id",
        extra={
            SSRC: (
                source(SSRC) + "related:\n  - {id: main-intelligence-directorate,"
                " relation: part-of}\n"
            ).encode()
        },
    ),
    "three-step-cycle": edit(
        GRU,
        "grounds:",
        "related:\n  - {id: scientific-studies-and-research-centre,"
        " relation: subsidiary-of}\ngrounds:",
        "scientific-studies",
        "related-cycle",
        "related[0].id",
        extra={
            SSRC: (source(SSRC) + "related:\n  - {id: third-body, relation: part-of}\n").encode(),
            "designations/third-body.yaml": source(GRU)
            .replace("main-intelligence-directorate", "third-body")
            .replace("Main Intelligence Directorate (GRU)", "Third Body")
            .replace("  - {name: Главное разведывательное управление, lang: ru}\n", "  - TB\n")
            .replace(
                "grounds:",
                "related:\n  - {id: main-intelligence-directorate, relation: part-of}\ngrounds:",
            )
            .encode(),
        },
    ),
    # invisible characters
    **{
        f"invisible-u{ord(char):04x}-in-name": mishkin(
            NAME,
            f"name: Alexander Yevgen{char}iyevich Mishkin",
            char,
            "invisible-character",
            "name",
        )
        for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        "\u200b\u200c\u200d\u2060\ufeff\u00ad"
    },
    "bidi-override-in-alias": mishkin(
        ALIAS, "  - Alexander \u202evorteP\n", "\u202e", "invisible-character", "aliases[0].name"
    ),
    "zero-width-in-alias-mapping": mishkin(
        "{name: Александр",
        "{name: Алекс\u200bандр",  # noqa: RUF001 - Cyrillic on purpose
        "\u200b",
        "invisible-character",
        "aliases[1].name",
    ),
    "zero-width-joiner-in-latin": mishkin(
        NAME, "name: Alexan\u200dder Mishkin", "\u200d", "invisible-character", "name"
    ),
    "joiner-beside-unassigned": mishkin(
        ALIAS,
        "  - Alexander\u0378\u200c\u0378\n",
        "\u200c",
        "invisible-character",
        "aliases[0].name",
    ),
    "bidi-isolate-in-grounds": mishkin(
        GROUNDS, "    Officer of the \u2067GRU\u2069.\n", "|", "invisible-character", "grounds.en"
    ),
    "escaped-bidi-in-quotes": mishkin(
        ALIAS,
        '  - "Alexander \\u202EvorteP"\n',
        '"Alexander',
        "invisible-character",
        "aliases[0].name",
    ),
    # mixed scripts inside a word
    "cyrillic-a-in-name": mishkin(
        NAME,
        "name: Alex\u0430nder Yevgeniyevich Mishkin",
        "\u0430",
        "mixed-script",
        "name",
        severity=WARNING,
    ),
    "greek-omicron-in-alias": mishkin(
        ALIAS,
        "  - Alexander Petr\u03bfv\n",
        "\u03bf",
        "mixed-script",
        "aliases[0].name",
        severity=WARNING,
    ),
    "latin-o-in-cyrillic-alias": mishkin(
        "Мишкин, lang: ru",
        "Мишкиn, lang: ru",  # noqa: RUF001 - a Latin n among Cyrillic letters
        "n, lang",
        "mixed-script",
        "aliases[1].name",
        severity=WARNING,
    ),
    # URLs
    **{
        f"url-{label}": mishkin(
            URL, f"url: {url}", url.split(" ")[0][:8], "invalid-url", "sanctions[0].url"
        )
        for label, url in {
            "javascript": "javascript:alert(1)",
            "data": "data:text/html;base64,PHNjcmlwdD4=",
            "file": "file:///etc/passwd",
            "ftp": "ftp://eur-lex.europa.eu/x",
            "vbscript": "vbscript:msgbox",
            "mailto": "mailto:someone@example.org",
            "protocol-relative": "//eur-lex.europa.eu/x",
            "no-host": "https:///x",
            "space": "'https://eur-lex.europa.eu/a b'",
        }.items()
    },
    "source-javascript": mishkin(
        RELATED,
        RELATED + "sources: [https://a.example/, 'javascript:x']\n",
        "'javascript",
        "invalid-url",
        "sources[1]",
    ),
    "case-source-data": edit(
        "content/cases.yaml",
        "- id: daesh\n",
        "- id: daesh\n  sources: data:text/html,x\n",
        "data:",
        "invalid-url",
        "[1].sources",
    ),
    "site-base-url-javascript": edit(
        "content/site.yaml",
        "base_url: https://example.org/",
        "base_url: javascript:alert(1)//",
        "javascript",
        "invalid-url",
        "base_url",
    ),
    "markdown-link-javascript": mishkin(
        "  en: |\n" + GROUNDS,
        "  en: See [the act](javascript:alert(1)).\n",
        "javascript",
        "invalid-url",
        "grounds.en",
    ),
    "markdown-reference-data": mishkin(
        "  en: |\n" + GROUNDS,
        "  en: |\n    See [the act][1].\n\n    [1]: data:text/html,x\n",
        "|",
        "invalid-url",
        "grounds.en",
    ),
    # the same person twice, as a forger would spell it
    "duplicate-same-spelling": duplicate("Alexander Yevgeniyevich Mishkin"),
    "duplicate-case": duplicate("ALEXANDER YEVGENIYEVICH MISHKIN"),
    "duplicate-accents": duplicate("Alexánder Yevgéniyevich Mishkín"),
    "duplicate-word-order": duplicate("MISHKIN, Alexander Yevgeniyevich"),
    "duplicate-transliteration": duplicate("Aleksandr Evgenevich Mishkin"),
    "duplicate-french-transliteration": duplicate("Aleksandr Ievguenievitch Mishkin"),
    "duplicate-punctuation": duplicate("Alexander Yevgeniyevich Mishkin."),
    "duplicate-cyrillic-alias": duplicate(
        "A. Y. M.", "  - {name: АЛЕКСАНДР ЕВГЕНЬЕВИЧ МИШКИН, lang: ru}\n"
    ),
}


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file, folder and link under ``folder``, with the bytes or target of each."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = f"-> {path.readlink()}"
        elif path.is_dir():
            found[rel] = "folder"
        else:
            found[rel] = path.read_bytes()
    return found


def lay(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the minimal site, and a previous build in tmp_path/out."""
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    # PARTICIPANTS declares the EU's official domains: its sanctions must then link their act.
    ssrc = root / "designations" / "scientific-studies-and-research-centre.yaml"
    act = "    reference: Council Implementing Regulation (EU) 2019/84\n"
    text = ssrc.read_text("utf-8")
    assert act in text
    ssrc.write_text(text.replace(act, f"{act}    url: {PERSON['sanctions'][0]['url']}\n"), "utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_text("the previous build\n", "utf-8")
    return root


def located(problems: list[Problem], case: Hostile) -> list[Problem]:
    return [p for p in problems if p.location == case.location and p.code == case.code]


def refused_build(root: Path, expected: str, strict: bool = False) -> None:
    """``noimpunity build`` exits 1, prints ``expected``, and changes nothing on disk."""
    top = root.parent
    before = tree(top)
    arguments = ["build", "--root", str(root), "-o", str(top / "out"), "--quiet"]
    result = CliRunner().invoke(
        main, [*arguments, *(["--strict"] if strict else [])], env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert expected in result.stderr.splitlines()
    assert tree(top) == before


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_hostile_input(site: Path, case: Hostile) -> None:
    lay(site, case.files)
    built, problems = read_site(site, TODAY)
    found = located(problems, case)
    assert found, "\n".join(p.format() for p in sort_problems(problems))
    problem = found[0]
    assert (problem.field, problem.severity) == (case.field, case.severity), problem.format()
    assert problem.message
    assert "\n" not in problem.format()
    if case.severity is ERROR:
        assert built is None
    refused_build(site, problem.format(), strict=case.severity is WARNING)


@pytest.mark.parametrize("parser", ["CSafeLoader", "SafeLoader"])
def test_a_yaml_bomb_is_neither_expanded_nor_listed_in_full(
    monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    monkeypatch.setattr(generator.load, "Parser", getattr(yaml, parser))
    loaded = load_yaml_text(BOMB, "bomb.yaml")
    aliases = [p for p in loaded.problems if p.code == "yaml-alias"]
    assert len(aliases) == MAX_REPEATS + 1
    assert aliases[-1].format() == (
        "bomb.yaml:3:12: error[yaml-alias] 62 more yaml-alias problems from here on"
        f" (only the first {MAX_REPEATS} are listed) (write it out)"
    )
    assert loaded.root is not None
    assert len(repr(loaded.root)) < 10_000  # every alias is an empty scalar


@pytest.mark.parametrize("parser", ["CSafeLoader", "SafeLoader"])
def test_deep_nesting_stops_the_parser_at_once(
    monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    """Both parsers take minutes over 100,000 nested ``[``: the loader must stop at the limit."""
    monkeypatch.setattr(generator.load, "Parser", getattr(yaml, parser))
    depth = 200_000
    started = time.perf_counter()
    loaded = load_yaml_text("a: " + "[\n " * depth + "]\n" * depth, "deep.yaml")
    assert time.perf_counter() - started < 5
    assert [p.format() for p in loaded.problems] == [
        f"deep.yaml:{MAX_DEPTH}:2: error[too-deep] nesting deeper than {MAX_DEPTH} levels"
    ]


def test_control_characters_are_never_printed(site: Path) -> None:
    """A key written with escapes cannot drive the terminal: it prints as <U+001B>."""
    record = site / MISHKIN
    record.write_text(source(MISHKIN) + '"\\e]0;owned\\a\\e[2J": x\n', "utf-8")
    _, problems = read_site(site, TODAY)
    [problem] = problems
    assert problem.code == "unknown-field"
    assert problem.format() == (
        f"{MISHKIN}:27:1: error[unknown-field] <U+001B>]0;owned<U+0007><U+001B>[2J: not a field"
        " of a person"
    )
    assert "\x1b" not in problem.github()
    refused_build(site, problem.format())


# -- symbolic links ------------------------------------------------------------------------------


def test_a_record_linked_from_outside_is_refused(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "planted.yaml"
    outside.parent.mkdir()
    outside.write_text(source(MISHKIN).replace("alexander-mishkin", "planted"), "utf-8")
    (site / "designations" / "planted.yaml").symlink_to(outside)
    _, problems = read_site(site, TODAY)
    assert [p.format() for p in problems] == [
        "designations/planted.yaml:1:1: error[not-regular-file] a record is a symbolic link;"
        " a record must be a regular file inside the repository (copy the file in place of the"
        " link)"
    ]
    refused_build(site, problems[0].format())


def test_a_link_to_a_record_inside_is_refused_too(site: Path) -> None:
    (site / "designations" / "copy.yaml").symlink_to(site / MISHKIN)
    _, problems = read_site(site, TODAY)
    assert [(str(p.location), p.code) for p in problems] == [
        ("designations/copy.yaml:1:1", "not-regular-file")
    ]


def test_a_linked_designations_folder_is_refused(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    shutil.move(site / "designations", outside)
    (site / "designations").symlink_to(outside, target_is_directory=True)
    _, problems = read_site(site, TODAY)
    first = sort_problems(problems)[0]
    assert first.format() == (
        "designations:1:1: error[not-regular-file] the folder is a symbolic link; a record must"
        " be a regular file inside the repository (copy the file in place of the link)"
    )
    refused_build(site, first.format())


# -- wrong types at every field ----------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A value of the wrong shape, written in flow style on its key's line."""

    text: str


Data = dict[str, Any] | list[Any] | str | Bad

PERSON: dict[str, Any] = {
    "id": "alexander-mishkin",
    "type": "person",
    "name": "Alexander Mishkin",
    "aliases": [{"name": "Александр Мишкин", "lang": "ru", "weak": "false"}, "Alexander Petrov"],
    "address": ["Moscow"],
    "birth_date": ["1979-07-13"],
    "birth_place": ["Loyga, Russia"],
    "nationality": ["RU"],
    "gender": "male",
    "position": ["Officer"],
    "identifiers": [{"type": "passport", "number": "N1", "country": "RU", "note": "expired"}],
    "sanctions": [
        {
            "authority": "EU",
            "program": "EU-CHEM",
            "entry": "I.A 7",
            "listed": "2019-01-21",
            "reference": "Council Implementing Regulation (EU) 2019/84",
            "url": "https://eur-lex.europa.eu/eli/reg_impl/2019/84/oj",
            "url_not_found": "true",
            "measures": ["asset-freeze"],
            "lifted": "2020-01-21",
            "expires": "2030-01-21",
            "not_renewed": "true",
            "renewed": ["2019-07"],
        }
    ],
    "grounds": {"en": "Officer of the GRU.", "fr": "Officier du GRU."},
    "related": [{"id": "main-intelligence-directorate", "relation": "employee-of"}],
    "cases": ["salisbury-2018"],
    "sources": ["https://example.org/"],
}
ENTITY: dict[str, Any] = {
    "id": "main-intelligence-directorate",
    "type": "entity",
    "name": "Main Intelligence Directorate",
    "country": ["RU"],
    "phone": ["+7 495 000 00 00"],
    "email": ["info@example.org"],
    "website": ["example.org"],
    "sanctions": [
        {
            "authority": "US",
            "listed": "2016-12-28",
            "reference": "Executive Order 13694",
            "measures": ["asset-freeze"],
        }
    ],
    "grounds": {"en": "Russian military intelligence.", "fr": "Renseignement militaire russe."},
}
TOMBSTONE: dict[str, Any] = {
    "id": "withdrawn",
    "type": "person",
    "name": "Entered Twice",
    "removed": {"date": "2020-01-01", "reason": {"en": "Entered twice.", "fr": "En double."}},
}
SITE: dict[str, Any] = {
    "title": {"en": "Site", "fr": "Site"},
    "short_title": {"en": "Site", "fr": "Site"},
    "description": {"en": "A site.", "fr": "Un site."},
    "base_url": "https://example.org/",
    "languages": ["en", "fr"],
    "contact": "contact@example.org",
    "licence": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
}
PARTICIPANTS: list[Any] = [
    {
        "code": "EU",
        "kind": "organisation",
        "name": {"en": "European Union", "fr": "Union européenne"},
        "joined": "2018-01-23",
        "coordinator": ["2018"],
        "official_domains": ["europa.eu"],
        "list_url": "https://eur-lex.europa.eu/",
    },
    *({"code": code, "kind": "state"} for code in ('"NO"', "FR", "US")),
]
CASES_FILE: list[Any] = [
    {
        "id": "salisbury-2018",
        "title": {"en": "Salisbury", "fr": "Salisbury"},
        "summary": {"en": "An attack.", "fr": "Une attaque."},
        "events": [{"date": "2018-03", "text": {"en": "The attack.", "fr": "L'attaque."}}],
        "sources": ["https://example.org/"],
    },
    {"id": "daesh", "title": {"en": "Daesh", "fr": "Daech"}, "summary": {"en": "x", "fr": "y"}},
]
PAGE: dict[str, Any] = {
    "title": "Declaration",
    "summary": "What they commit to.",
    "date": "2018-01-23",
}


@dataclass(frozen=True)
class Document:
    """A valid document of one kind, where it lives, and the field specs that describe it."""

    rel: str
    data: dict[str, Any] | list[Any]
    specs: tuple[Field, ...]
    prefix: tuple[str | int, ...] = ()  # where the records sit in the document (list files)
    front_matter: bool = False


DOCUMENTS = {
    "person": Document(
        MISHKIN, PERSON, tuple(f for f in fields.SUBJECT_FIELDS if "person" in f.applies_to)
    ),
    "entity": Document(
        GRU, ENTITY, tuple(f for f in fields.SUBJECT_FIELDS if "person" not in f.applies_to)
    ),
    "tombstone": Document("designations/withdrawn.yaml", TOMBSTONE, fields.TOMBSTONE_FIELDS),
    "site": Document("content/site.yaml", SITE, fields.SITE_FIELDS),
    "participant": Document(
        "content/participants.yaml", PARTICIPANTS, fields.PARTICIPANT_FIELDS, (0,)
    ),
    "case": Document("content/cases.yaml", CASES_FILE, fields.CASE_FIELDS, (0,)),
    "page": Document("content/declaration.en.md", PAGE, fields.PAGE_FIELDS, front_matter=True),
}


def emit(data: Data, marks: list[tuple[int, int]]) -> str:
    """Block YAML of ``data``; the line and column of each ``Bad`` value go to ``marks``."""
    lines: list[str] = []
    if isinstance(data, dict):
        _mapping(data, 0, lines, marks)
    elif isinstance(data, list):
        _sequence(data, 0, lines, marks)
    return "".join(f"{line}\n" for line in lines)


def _value(lead: str, value: Data, indent: int, lines: list[str], marks: list[Any]) -> None:
    if isinstance(value, Bad):
        marks.append((len(lines) + 1, len(lead) + 2))
        lines.append(f"{lead} {value.text}")
    elif isinstance(value, str):
        lines.append(f"{lead} {value}")
    elif isinstance(value, dict):
        lines.append(lead)
        _mapping(value, indent + 2, lines, marks)
    else:
        lines.append(lead)
        _sequence(value, indent + 2, lines, marks)


def _mapping(
    data: dict[str, Any], indent: int, lines: list[str], marks: list[Any], first: str = ""
) -> None:
    for number, (key, value) in enumerate(data.items()):
        lead = first if number == 0 and first else " " * indent
        _value(f"{lead}{key}:", value, indent, lines, marks)


def _sequence(items: list[Any], indent: int, lines: list[str], marks: list[Any]) -> None:
    for item in items:
        lead = " " * indent + "- "
        if isinstance(item, dict):
            _mapping(item, indent + 2, lines, marks, first=lead)
        else:
            _value(lead.rstrip(), item, indent, lines, marks)


def substituted(data: Any, path: tuple[str | int, ...], bad: Bad) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced by ``bad``."""
    if not path:
        return bad
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        assert isinstance(head, str) and head in data, f"the valid document lacks {head}"
        return {**data, head: substituted(data[head], rest, bad)}
    assert isinstance(head, int)
    return [substituted(item, rest, bad) if n == head else item for n, item in enumerate(data)]


def field_name(path: tuple[str | int, ...]) -> str:
    """The validator's name of a field: ``sanctions[0].listed``, ``[0].events[0].date``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def wrong_shapes(spec: Field) -> Iterator[tuple[Bad, tuple[int, ...]]]:
    """Values of the wrong shape for ``spec``, and where (in an item?) the problem points."""
    mapping, listed = Bad("{wrong: shape}"), Bad("[a, b]")
    if spec.kind is Kind.RECORD and spec.many:
        yield mapping, ()  # a mapping where a list is expected
        yield Bad("[[a]]"), (0,)  # a list where a mapping is expected
        if not spec.shorthand:
            yield Bad("[text]"), (0,)  # text where a mapping is expected
    elif spec.kind in (Kind.RECORD, Kind.LOCALIZED):
        yield listed, ()
        yield Bad("text"), ()
    elif spec.many:
        yield mapping, ()
        yield Bad("[{wrong: shape}]"), (0,)
        if not spec.single_ok:
            yield Bad("text"), ()
    else:
        yield mapping, ()
        yield listed, ()


def field_paths(
    specs: tuple[Field, ...], prefix: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], Field]]:
    """Every field of a record, nested records and texts per language included."""
    for spec in specs:
        path = (*prefix, spec.name)
        yield path, spec
        if spec.kind is Kind.RECORD:
            yield from field_paths(spec.fields, (*path, 0) if spec.many else path)
        if spec.kind is Kind.LOCALIZED:
            yield (*path, "en"), Field("en", Kind.MARKDOWN, "")


def wrong_type_cases() -> Iterator[Any]:
    for kind, document in DOCUMENTS.items():
        for path, spec in field_paths(document.specs, document.prefix):
            for bad, inner in wrong_shapes(spec):
                name = field_name(path)
                yield pytest.param(document, path, bad, inner, id=f"{kind}:{name}={bad.text}")


def write_document(root: Path, document: Document, data: Any) -> list[tuple[int, int]]:
    marks: list[tuple[int, int]] = []
    text = emit(data, marks)
    if document.front_matter:
        text = f"---\n{text}---\nThe body.\n"
        marks = [(line + 1, column) for line, column in marks]
    (root / document.rel).write_text(text, "utf-8")
    return marks


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_the_documents_of_the_wrong_type_test_are_valid(site: Path, kind: str) -> None:
    document = DOCUMENTS[kind]
    write_document(site, document, document.data)
    built, problems = read_site(site, TODAY)
    assert [p.format() for p in problems] == []
    assert built is not None


@pytest.mark.parametrize(("document", "path", "bad", "inner"), list(wrong_type_cases()))
def test_wrong_type(
    site: Path, document: Document, path: tuple[str | int, ...], bad: Bad, inner: tuple[int, ...]
) -> None:
    [(line, column)] = write_document(site, document, substituted(document.data, path, bad))
    built, problems = read_site(site, TODAY)
    expected = replace(
        Hostile({}, document.rel, line, column + len(inner), "wrong-type"),
        field=field_name((*path, *inner)),
    )
    found = located(problems, expected)
    assert found, "\n".join(p.format() for p in sort_problems(problems))
    assert found[0].field == expected.field
    assert built is None


def test_wrong_type_covers_every_field_of_every_record_type() -> None:
    covered = {
        (document.rel, field_name(path))
        for document in DOCUMENTS.values()
        for path, _ in field_paths(document.specs, document.prefix)
    }
    assert len(covered) >= 70
    for table in (fields.SUBJECT_FIELDS, fields.SANCTION_FIELDS, fields.ALIAS_FIELDS):
        for spec in table:
            assert any(name.endswith(spec.name) for _, name in covered), spec.name


def test_a_wrong_type_stops_the_build(site: Path) -> None:
    document = DOCUMENTS["person"]
    [(line, column)] = write_document(
        site, document, substituted(document.data, ("sanctions", 0, "measures"), Bad("{a: b}"))
    )
    refused_build(
        site,
        f"{MISHKIN}:{line}:{column}: error[wrong-type] sanctions[0].measures: expected a list,"
        " found a mapping (Restrictive measures imposed.)",
    )


# -- what must be accepted ---------------------------------------------------------------------


def converted(root: Path, bom: bool, crlf: bool) -> None:
    """Every text file of the site rewritten with a byte-order mark and/or CRLF line endings."""
    for path in sorted(root.rglob("*")):
        if path.suffix in (".yaml", ".md"):
            data = path.read_bytes()
            if crlf:
                data = data.replace(b"\n", b"\r\n")
            if bom:
                data = b"\xef\xbb\xbf" + data
            path.write_bytes(data)


def outcome(root: Path) -> tuple[Any, ...]:
    built, problems = read_site(root, TODAY)
    assert built is not None
    origins = [dict(subject.origin.locations) for subject in built.subjects]
    return built.subjects, built.pages, built.cases, origins, [p.format() for p in problems]


@pytest.mark.parametrize(("bom", "crlf"), [(True, False), (False, True), (True, True)])
def test_byte_order_marks_and_crlf_give_the_same_site(
    site: Path, tmp_path: Path, bom: bool, crlf: bool
) -> None:
    plain = outcome(site)
    converted(site, bom, crlf)
    assert outcome(site) == plain


@pytest.mark.parametrize(("bom", "crlf"), [(True, False), (False, True), (True, True)])
def test_byte_order_marks_and_crlf_keep_problem_locations(
    site: Path, bom: bool, crlf: bool
) -> None:
    case = CASES["cyrillic-a-in-name"]
    lay(site, case.files)
    plain = [p.format() for p in read_site(site, TODAY)[1]]
    converted(site, bom, crlf)
    assert [p.format() for p in read_site(site, TODAY)[1]] == plain
    assert plain[0].startswith(f"{MISHKIN}:{case.line}:{case.column}: warning[mixed-script]")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (ALIAS, "  - {name: علی‌اکبر صالحی, lang: fa}\n"),  # ZWNJ: part of Persian spelling
        (ALIAS, "  - {name: क्‍ष, lang: hi}\n"),  # ZWJ after a virama
        (ALIAS, "  - {name: Мишкин Alexander, lang: ru}\n"),  # two scripts, one per word
        (ALIAS, "  - {name: 東京タワー, lang: ja}\n"),  # kanji and kana in one word
        (ALIAS, "  - {name: Muḥammad Saʿīd al-Ḥakīm, lang: ar}\n"),  # transcription marks
        (ALIAS, "  - {name: Ἀλέξανδρος, lang: el}\n"),
        (GROUNDS, "    See [the act](https://eur-lex.europa.eu/) or [us](mailto:a@b.org).\n"),
        (ALIAS, '  - "Alexander Petrov"\n'),
    ],
    ids=[
        "persian-zwnj",
        "devanagari-zwj",
        "script-per-word",
        "japanese",
        "transcription",
        "greek",
        "markdown-links",
        "quoted",
    ],
)
def test_legitimate_names_and_text_are_accepted(site: Path, old: str, new: str) -> None:
    record = site / MISHKIN
    text = record.read_text("utf-8")
    assert old in text
    record.write_text(text.replace(old, new, 1), "utf-8")
    built, problems = read_site(site, TODAY)
    assert [p.format() for p in problems] == []
    assert built is not None


@pytest.mark.parametrize("relation", ["associate-of", "family-of", "linked-to", "owner-of"])
def test_cycles_of_other_relations_are_normal_data(site: Path, relation: str) -> None:
    """Two associates name each other; companies own shares of each other."""
    for rel, other in ((GRU, "scientific-studies-and-research-centre"), (SSRC, GRU[13:-5])):
        text = (site / rel).read_text("utf-8")
        (site / rel).write_text(
            text + f"related:\n  - {{id: {other}, relation: {relation}}}\n", "utf-8"
        )
    built, problems = read_site(site, TODAY)
    assert [p.format() for p in problems] == []
    assert built is not None


def test_a_cycle_is_reported_once(site: Path) -> None:
    lay(site, CASES["three-step-cycle"].files)
    _, problems = read_site(site, TODAY)
    assert [p.format() for p in problems if p.code == "related-cycle"] == [
        f"{GRU}:13:10: error[related-cycle] related[0].id: the links go round in a circle:"
        " main-intelligence-directorate subsidiary-of scientific-studies-and-research-centre"
        " part-of third-body part-of main-intelligence-directorate (part-of and subsidiary-of"
        " point from the smaller body to the larger one; remove the link that points the wrong"
        " way)"
    ]


@pytest.mark.parametrize(
    ("name", "birth"),
    [
        ("Mahmud Yevgeniyevich Mishkin", "1979"),  # Mahmud is not Muhammad, nor Alexander
        ("Alexander Yevgeniyevich Mishkin", "1980-07-13"),  # another birth date
        ("Alexandra Yevgenievna Mishkina", "1979-07-13"),  # another person
    ],
)
def test_different_people_are_not_duplicates(site: Path, name: str, birth: str) -> None:
    lay(site, twin(name, birth=birth))
    _, problems = read_site(site, TODAY)
    assert [p.format() for p in problems] == []


def test_records_that_name_each_other_are_two_subjects_not_duplicates(site: Path) -> None:
    """A company and the branch trading under its name (OFAC gives EKT the name of its branch
    ESG): linked in `related`, the coordinator has said they are two."""
    files = twin("Aleksandr Evgenevich Mishkin")
    text = files[TWIN].decode("utf-8")
    linked = text.replace(RELATED, RELATED + "  - {id: alexander-mishkin, relation: linked-to}\n")
    assert linked != text
    files[TWIN] = linked.encode("utf-8")
    lay(site, files)
    _, problems = read_site(site, TODAY)
    assert [p.format() for p in problems] == []


def test_a_warning_names_the_two_spellings(site: Path) -> None:
    lay(site, CASES["duplicate-transliteration"].files)
    _, problems = read_site(site, TODAY)
    assert [p.format() for p in problems] == [
        f"{TWIN}:3:7: warning[likely-duplicate] name: 'Aleksandr Evgenevich Mishkin' looks like"
        f" the same person as {MISHKIN} (listed there as 'Alexander Yevgeniyevich Mishkin', born"
        " 1979-07-13) (merge the two records, giving each authority its own sanction entry)"
    ]


def test_location_of_a_character_is_exact_only_when_it_can_be() -> None:
    """Plain and quoted one-line values point at the character; escapes and blocks at the value."""
    text = 'a: x\u200by\nb: "x\u200by"\nc: "\\tx\u200by"\nd: |\n  x\u200by\n'
    loaded = load_yaml_text(text, "f.yaml")
    assert isinstance(loaded.root, generator.load.Mapping)
    places = []
    for key in "abcd":
        node = loaded.root.get(key)
        assert isinstance(node, generator.load.Scalar)
        places.append(str(node.at(node.value.index("\u200b"))))
    assert places == ["f.yaml:1:5", "f.yaml:2:6", "f.yaml:3:4", "f.yaml:4:4"]


def test_numbers_in_names_are_not_spelling_variants() -> None:
    """Doubled letters are one spelling (Hassan, Hasan); doubled digits are another number."""
    from generator.names import identity_key, spelling_key

    assert spelling_key("Hassan") == spelling_key("Hasan")
    assert spelling_key("Martyrs Brigade 116") != spelling_key("Martyrs Brigade 16")
    assert identity_key("Unit 1100") != identity_key("Unit 10")
