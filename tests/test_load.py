"""The strict YAML loader: one test per YAML trap, with libyaml and with the pure-Python parser."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import generator.load
from generator.errors import Location
from generator.load import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Loaded,
    Mapping,
    Scalar,
    Sequence,
    load_yaml_file,
    load_yaml_text,
    split_front_matter,
)

ParserType = type[yaml.SafeLoader] | type[yaml.CSafeLoader]
PARSERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if hasattr(yaml, "CSafeLoader"):
    PARSERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


@pytest.fixture(params=PARSERS)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> ParserType:
    """Makes the loader use one parser for the test."""
    chosen: ParserType = request.param
    monkeypatch.setattr(generator.load, "Parser", chosen)
    return chosen


def load(text: str) -> Loaded:
    return load_yaml_text(text, "f.yaml")


def problems(text: str) -> list[str]:
    return [problem.format() for problem in load(text).problems]


def root_mapping(text: str) -> Mapping:
    loaded = load(text)
    assert loaded.problems == ()
    assert isinstance(loaded.root, Mapping)
    return loaded.root


def scalar(text: str, key: str = "a") -> Scalar:
    node = root_mapping(text).get(key)
    assert isinstance(node, Scalar)
    return node


def test_the_default_parser_is_libyaml_when_available() -> None:
    assert generator.load.Parser is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.mark.parametrize(
    "value",
    [
        *("NO", "no", "No", "on", "yes", "off", "y", "true"),  # YAML 1.1 booleans
        *("010", "0o17", "0x1F", "1e3", ".inf", "-0", "1:20", "12:30:00"),  # numbers
        *("2018-02-30", "2018-01-23"),  # dates, valid or not
    ],
)
def test_scalars_stay_text(parser: ParserType, value: str) -> None:
    node = scalar(f"a: {value}\n")
    assert node.value == value
    assert isinstance(node.value, str)
    assert not node.is_null


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("a: text\n", True),
        ("a: 'text'\n", False),
        ('a: "text"\n', False),
        ("a: |\n  text\n", False),
        ("a: >\n  text\n", False),
    ],
    ids=["plain", "single-quoted", "double-quoted", "literal", "folded"],
)
def test_plain_is_false_only_for_quoted_and_block_scalars(
    parser: ParserType, text: str, plain: bool
) -> None:
    node = scalar(text)
    assert node.value.rstrip("\n") == "text"
    assert node.plain is plain


@pytest.mark.parametrize(
    ("value", "is_null"),
    [
        ("~", True),
        ("null", True),
        ("Null", True),
        ("NULL", True),
        ("", True),
        ('"null"', False),
        ("'~'", False),
        ('""', False),
        ("nul", False),
        ("none", False),
    ],
)
def test_null_only_when_plain(parser: ParserType, value: str, is_null: bool) -> None:
    assert scalar(f"a: {value}\nb: x\n").is_null is is_null


def duplicate(line: int, column: int, key: str, first: int) -> str:
    return (
        f"f.yaml:{line}:{column}: error[duplicate-key] {key}: appears twice in the same mapping"
        f" (first on line {first}) (keep one)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", [duplicate(3, 1, "a", 1)]),
        (
            "x:\n  y: 1\n  z:\n    - {k: 1, k: 2}\n  y: 3\n",
            [duplicate(4, 14, "k", 4), duplicate(5, 3, "y", 2)],
        ),
        ('a: 1\n"a": 2\n', [duplicate(2, 1, "a", 1)]),
    ],
    ids=["top-level", "nested", "quoted"],
)
def test_duplicate_keys(parser: ParserType, text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_duplicate_key_keeps_the_first_value(parser: ParserType) -> None:
    loaded = load("a: first\nb: x\na: second\n")
    assert isinstance(loaded.root, Mapping)
    assert [(key.value, getattr(value, "value", None)) for key, value in loaded.root.items] == [
        ("a", "first"),
        ("b", "x"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: &x 1\n",
            ["f.yaml:1:4: error[yaml-anchor] anchors (&name) are not allowed (write it out)"],
        ),
        (
            "a: &x [1]\n",
            ["f.yaml:1:4: error[yaml-anchor] anchors (&name) are not allowed (write it out)"],
        ),
        (
            "a: &x 1\nb: *x\n",
            [
                "f.yaml:1:4: error[yaml-anchor] anchors (&name) are not allowed (write it out)",
                "f.yaml:2:4: error[yaml-alias] aliases (*name) are not allowed (write it out)",
            ],
        ),
        (
            "a:\n  <<: {b: 1}\n  c: 2\n",
            ["f.yaml:2:3: error[yaml-merge] merge keys (<<) are not allowed"],
        ),
        ("<<: {b: 1}\n", ["f.yaml:1:1: error[yaml-merge] merge keys (<<) are not allowed"]),
        ('"<<": quoted, so a plain key\n', []),
    ],
    ids=["anchor", "anchor-on-list", "alias", "merge-nested", "merge-top", "quoted-merge"],
)
def test_anchors_aliases_and_merge_keys(parser: ParserType, text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_alias_is_replaced_by_a_null(parser: ParserType) -> None:
    loaded = load("a: &x secret\nb: *x\n")
    assert isinstance(loaded.root, Mapping)
    alias = loaded.root.get("b")
    assert isinstance(alias, Scalar)
    assert alias.is_null
    assert alias.value == ""


@pytest.mark.parametrize(
    ("tagged", "tag"),
    [
        ("!!python/object:os.system ls", "!!python/object:os.system"),
        ("!!python/object/apply:os.system [ls]", "!!python/object/apply:os.system"),
        ("!!str 010", "!!str"),
        ("!!int 10", "!!int"),
        ("!!map {b: 1}", "!!map"),
        ("!custom x", "!custom"),
    ],
)
def test_explicit_tags(parser: ParserType, tagged: str, tag: str) -> None:
    assert problems(f"a: {tagged}\n") == [
        f"f.yaml:1:4: error[yaml-tag] tags such as {tag} are not allowed (remove it)"
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\n---\nb: 2\n", 2), ("---\na: 1\n...\n---\nb: 2\n", 4), ("a: 1\n--- b\n", 2)],
)
def test_multiple_documents(parser: ParserType, text: str, line: int) -> None:
    loaded = load(text)
    assert [p.format() for p in loaded.problems] == [
        f"f.yaml:{line}:1: error[multiple-documents] a file holds exactly one document"
    ]
    assert isinstance(loaded.root, Mapping)
    assert [key.value for key, _ in loaded.root.items] == ["a"]


def test_one_explicit_document_is_fine(parser: ParserType) -> None:
    assert scalar("---\na: 1\n...\n").value == "1"


@pytest.mark.parametrize(
    ("text", "line"),
    [("", 1), ("\n\n", 1), ("# only a comment\n", 1), ("~\n", 1), ("null\n", 1), ("---\n", 2)],
)
def test_empty_file(parser: ParserType, text: str, line: int) -> None:
    loaded = load(text)
    assert loaded.root is None
    assert [p.format() for p in loaded.problems] == [
        f"f.yaml:{line}:1: error[empty-file] the file holds no data"
    ]


@pytest.mark.parametrize(
    ("data", "line", "column", "byte"),
    [
        (b"a: caf\xe9\n", 1, 7, "e9"),
        (b"a: ok\nb: \xc3\xa9t\xe9\n", 2, 6, "e9"),  # columns count characters, not bytes
        (b"\xef\xbb\xbfa: \xff\n", 1, 4, "ff"),  # the byte-order mark is not a column
        (b"a: 1\r\nb: 2\r\nc: \x80\r\n", 3, 4, "80"),
        (b"\xe9", 1, 1, "e9"),
    ],
)
def test_not_utf8(tmp_path: Path, data: bytes, line: int, column: int, byte: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    loaded = load_yaml_file(path, "rel/f.yaml")
    assert loaded.root is None
    assert [p.format() for p in loaded.problems] == [
        f"rel/f.yaml:{line}:{column}: error[not-utf8] byte 0x{byte} is not valid UTF-8"
        " (save the file as UTF-8)"
    ]


def test_byte_order_mark_and_crlf_are_accepted(parser: ParserType, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufeffa: Norway\r\nb:\r\n  - été\r\n".encode())
    loaded = load_yaml_file(path, "f.yaml")
    assert loaded.problems == ()
    assert isinstance(loaded.root, Mapping)
    a, b = loaded.root.get("a"), loaded.root.get("b")
    assert isinstance(a, Scalar)
    assert (a.value, a.location.line, a.location.column) == ("Norway", 1, 4)
    assert isinstance(b, Sequence)
    item = b.items[0]
    assert isinstance(item, Scalar)
    assert (item.value, item.location.line, item.location.column) == ("été", 3, 5)


def padded(size: int) -> bytes:
    """A valid YAML file of exactly ``size`` bytes, in short comment lines."""
    head = b"a: 1\n"
    lines = b"#" + b"x" * 98 + b"\n"
    body = lines * ((size - len(head)) // len(lines))
    return head + body + b"#" * (size - len(head) - len(body))


def test_file_too_large(parser: ParserType, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(padded(MAX_FILE_BYTES))
    assert load_yaml_file(path, "big.yaml").problems == ()  # exactly at the limit
    path.write_bytes(padded(MAX_FILE_BYTES + 1))
    loaded = load_yaml_file(path, "big.yaml")
    assert loaded.root is None
    [problem] = loaded.problems
    assert problem.code == "file-too-large"
    assert problem.format() == (
        f"big.yaml:1:1: error[file-too-large] the file has {MAX_FILE_BYTES + 1:,} bytes;"
        f" at most {MAX_FILE_BYTES:,} are allowed"
    )


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a:\n\tb: 1\n", 2, 1),
        ("a: 1\n\tb: 2\n", 2, 1),
        ("a: b: c\n", 1, 5),
        ("a: [1, 2\nb: 3\n", 2, 2),
        ("a:\n  - x\n - y\n", 3, 2),
    ],
    ids=["tab-indent", "tab-before-key", "colon-in-value", "unclosed-list", "bad-indent"],
)
def test_yaml_syntax(parser: ParserType, text: str, line: int, column: int) -> None:
    loaded = load(text)
    assert loaded.root is None
    [problem] = loaded.problems
    assert (problem.code, problem.location.line, problem.location.column) == (
        "yaml-syntax",
        line,
        column,
    )
    assert problem.message
    assert "\n" not in problem.format()


def test_complex_key(parser: ParserType) -> None:
    assert problems("[a, b]: c\nd: e\n") == [
        "f.yaml:1:1: error[complex-key] keys must be plain text"
    ]


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1])
def test_nesting_depth(parser: ParserType, depth: int) -> None:
    text = "[" * depth + "]" * depth + "\n"
    expected = (
        []
        if depth <= MAX_DEPTH
        else [f"f.yaml:1:{MAX_DEPTH + 1}: error[too-deep] nesting deeper than {MAX_DEPTH} levels"]
    )
    assert problems(text) == expected


def test_locations_are_one_based(parser: ParserType) -> None:
    root = root_mapping(
        "id: x\nsanctions:\n  - authority: EU\n    measures: [asset-freeze, travel-ban]\n"
    )
    assert [(k.value, k.location.line, k.location.column) for k, _ in root.items] == [
        ("id", 1, 1),
        ("sanctions", 2, 1),
    ]
    assert root.location == Location("f.yaml", 1, 1)
    sanctions = root.get("sanctions")
    assert isinstance(sanctions, Sequence)
    assert (sanctions.location.line, sanctions.location.column) == (3, 3)
    entry = sanctions.items[0]
    assert isinstance(entry, Mapping)
    assert (entry.location.line, entry.location.column) == (3, 5)
    authority = entry.get("authority")
    assert isinstance(authority, Scalar)
    assert (authority.value, str(authority.location)) == ("EU", "f.yaml:3:16")
    measures = entry.get("measures")
    assert isinstance(measures, Sequence)
    assert str(measures.location) == "f.yaml:4:15"
    assert [str(item.location) for item in measures.items] == ["f.yaml:4:16", "f.yaml:4:30"]


@pytest.mark.parametrize(
    ("text", "front", "body", "body_line"),
    [
        ("---\ntitle: x\n---\nbody\n", "\ntitle: x\n", "body\n", 4),
        (
            "---\r\ntitle: x\r\ndate: y\r\n---\r\nbody\r\n",
            "\ntitle: x\r\ndate: y\r\n",
            "body\r\n",
            5,
        ),
        ("---\n---\n", "\n", "", 3),
        ("---\ntitle: x\n---\n\n---\nmore\n", "\ntitle: x\n", "\n---\nmore\n", 4),
    ],
    ids=["lf", "crlf", "empty", "rule-in-body"],
)
def test_split_front_matter(text: str, front: str, body: str, body_line: int) -> None:
    assert split_front_matter(text) == (front, body, body_line)
    assert text.splitlines()[body_line - 1 :] == body.splitlines()


@pytest.mark.parametrize("text", ["", "title: x\n", "---\ntitle: x\n", " ---\ntitle: x\n---\n"])
def test_no_front_matter(text: str) -> None:
    assert split_front_matter(text) is None


def test_front_matter_keeps_the_file_line_numbers(parser: ParserType) -> None:
    split = split_front_matter("---\ntitle: x\ndate: 2018-01-23\n---\nbody\n")
    assert split is not None
    date = scalar(split[0], "date")
    assert (date.value, date.location.line, date.location.column) == ("2018-01-23", 3, 7)
