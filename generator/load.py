"""Stage 1, load: bytes on disk -> trees of YAML nodes that remember where they came from.

The YAML is read strictly. Every scalar stays text (``NO`` is Norway, ``010`` is not octal,
``1:20`` is not a number, ``2018-02-30`` is not parsed here): the validator interprets each field
by its spec. Anchors, aliases, merge keys, explicit tags, duplicate keys, several documents,
non-UTF-8 bytes, control characters, tabs, overlong lines and oversized files are problems with
a location, never exceptions. Nesting deeper than ``MAX_DEPTH`` stops the parse at once: both
parsers slow down quadratically with the depth of flow collections (``[[[[...``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import Location, Problem

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_LINE_CHARS = 2000
# Past this many problems of one code in one file, the rest are counted, not listed.
MAX_REPEATS = 10
# Characters no text file may hold raw: C0 and C1 controls other than tab, line feed and carriage
# return, and the characters YAML takes for line breaks although editors do not (NEL, U+2028,
# U+2029), which would make every line number after them wrong.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")

# libyaml's C parser when it is there, the pure-Python one otherwise; both emit the same events.
Parser: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


@dataclass(frozen=True, slots=True)
class Scalar:
    """Text as written. ``plain`` is false when the value was quoted or a block (``|``, ``>``)."""

    value: str
    plain: bool
    location: Location
    width: int = 0  # characters it takes in the file when written on one line, else 0

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")

    def at(self, index: int) -> Location:
        """Where the character ``value[index]`` is in the file.

        Exact when the scalar is written on one line exactly as its value reads (plain, or
        quoted without escapes); otherwise the scalar's own start.
        """
        start = self.location
        quotes = 0 if self.plain else 2
        if self.width != len(self.value) + quotes or not 0 <= index < len(self.value):
            return start
        return Location(start.path, start.line, start.column + quotes // 2 + index)


@dataclass(frozen=True, slots=True)
class Sequence:
    items: tuple[Node, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Mapping:
    items: tuple[tuple[Scalar, Node], ...]
    location: Location

    def get(self, key: str) -> Node | None:
        for name, value in self.items:
            if name.value == key:
                return value
        return None


Node = Scalar | Sequence | Mapping


@dataclass(frozen=True, slots=True)
class Loaded:
    """The root node of one YAML text (None when unreadable) and what was wrong with it."""

    root: Node | None
    problems: tuple[Problem, ...]


def read_text(path: Path, rel: str, data: bytes | None = None) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file (a byte-order mark is allowed), refusing oversized or undecodable ones.

    ``data`` is the file's bytes when the caller has already read them (the build cache does).
    """
    if data is None:
        data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        return None, [too_large(rel, len(data))]
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = data[exc.start : exc.start + 1].hex()
        return None, [
            Problem(
                Location(rel, line, column),
                "not-utf8",
                "",
                f"byte 0x{byte} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ]
    problem = check_characters(text, rel) or check_line_length(text, rel)
    if problem:
        return None, [problem]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []  # CRLF reads as LF


def too_large(rel: str, size: int) -> Problem:
    return Problem(
        Location(rel, 1, 1),
        "file-too-large",
        "",
        f"the file has {size:,} bytes; at most {MAX_FILE_BYTES:,} are allowed",
    )


def position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of ``text[index]``, counting lines as YAML and editors do."""
    breaks = list(LINE_BREAK.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - start + 1


def check_characters(text: str, rel: str, tabs_ok: bool = True) -> Problem | None:
    """The first control character (or tab, unless ``tabs_ok``) in a text, as a problem."""
    found = CONTROL.search(text)
    tab = -1 if tabs_ok else text.find("\t")
    if found is None and tab < 0:
        return None
    if found is None or 0 <= tab < found.start():
        line, column = position(text, tab)
        return Problem(
            Location(rel, line, column),
            "yaml-syntax",
            "",
            "a tab character; YAML is indented and separated with spaces only",
            "replace it with spaces",
        )
    line, column = position(text, found.start())
    return Problem(
        Location(rel, line, column),
        "control-character",
        "",
        f"{describe_character(found.group())} is not allowed in a text file",
        "remove it; your editor may show it as a box or not at all",
    )


def describe_character(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character named so that an invisible one shows."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"


def check_line_length(text: str, rel: str) -> Problem | None:
    """The first line longer than ``MAX_LINE_CHARS``, as a problem."""
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            return Problem(
                Location(rel, number, MAX_LINE_CHARS + 1),
                "line-too-long",
                "",
                f"the line has {len(line):,} characters; at most {MAX_LINE_CHARS:,} are allowed",
                "break long text over several lines; YAML joins them with spaces",
            )
    return None


def load_yaml_file(path: Path, rel: str, data: bytes | None = None) -> Loaded:
    text, problems = read_text(path, rel, data)
    if text is None:
        return Loaded(None, tuple(problems))
    return load_yaml_text(text, rel)


def load_yaml_text(text: str, rel: str) -> Loaded:
    """Parse one YAML document into nodes; problems carry ``rel`` and the line and column."""
    text = text.removeprefix("\ufeff")
    problem = check_characters(text, rel, tabs_ok=False) or check_line_length(text, rel)
    if problem is not None:
        return Loaded(None, (problem,))
    builder = _TreeBuilder(rel)
    try:
        for event in yaml.parse(text, Loader=Parser):
            builder.feed(event)
            if builder.too_deep:
                break  # the parsers slow down quadratically with the depth: stop now
    except yaml.MarkedYAMLError as exc:
        builder.problems.append(_syntax_problem(exc, rel))
        return Loaded(None, tuple(builder.problems))
    except yaml.reader.ReaderError as exc:  # a character check_characters let through
        where = Location(rel, *position(text, exc.position))
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        message = f"the character U+{code:04X} is not allowed in YAML"
        builder.problems.append(Problem(where, "yaml-syntax", "", message, "remove it"))
        return Loaded(None, tuple(builder.problems))
    return builder.result()


def _syntax_problem(exc: yaml.MarkedYAMLError, rel: str) -> Problem:
    """A parser error, at the place it was noticed, naming where the construct began."""
    mark = exc.problem_mark or exc.context_mark
    where = Location(rel, mark.line + 1, mark.column + 1) if mark else Location(rel, 1, 1)
    message = exc.problem or exc.context or "not valid YAML"
    context = exc.context_mark
    if (
        exc.context
        and context is not None
        and exc.problem
        and context.line != getattr(mark, "line", -1)
    ):
        message += f" ({exc.context} that starts on line {context.line + 1})"
    return Problem(where, "yaml-syntax", "", message)


class _TreeBuilder:
    """Turns parser events into nodes, rejecting the YAML features we do not allow."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.problems: list[Problem] = []
        self.documents = 0
        self.root: Node | None = None
        self.stack: list[tuple[Location, list[Node]]] = []
        self.kinds: list[type[Mapping] | type[Sequence]] = []
        self.too_deep = False
        self.repeats: dict[str, list[Problem]] = {}

    def where(self, event: yaml.Event) -> Location:
        mark = event.start_mark
        if mark is None:
            return Location(self.rel, 1, 1)
        return Location(self.rel, mark.line + 1, mark.column + 1)

    def refuse(self, event: yaml.Event, code: str, message: str, hint: str = "") -> None:
        self.note(Problem(self.where(event), code, "", message, hint))

    def note(self, problem: Problem) -> None:
        """Record a problem; past ``MAX_REPEATS`` of one code, only count it (a YAML bomb)."""
        seen = self.repeats.setdefault(problem.code, [])
        seen.append(problem)
        if len(seen) <= MAX_REPEATS:
            self.problems.append(problem)

    def summarise_repeats(self) -> None:
        for code, seen in self.repeats.items():
            if len(seen) > MAX_REPEATS:
                first = seen[MAX_REPEATS]
                message = (
                    f"{len(seen) - MAX_REPEATS:,} more {code} problems from here on"
                    f" (only the first {MAX_REPEATS} are listed)"
                )
                self.problems.append(Problem(first.location, code, "", message, first.hint))

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents == 2:
                self.refuse(event, "multiple-documents", "a file holds exactly one document")
            return
        if isinstance(event, yaml.AliasEvent):
            self.refuse(event, "yaml-alias", "aliases (*name) are not allowed", "write it out")
            self.add(Scalar("", True, self.where(event)))
            return
        if not isinstance(event, yaml.NodeEvent | yaml.CollectionEndEvent):
            return
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            self.refuse(event, "yaml-anchor", "anchors (&name) are not allowed", "write it out")
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and event.tag not in (
            None,
            "!",
        ):
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            self.refuse(event, "yaml-tag", f"tags such as {tag} are not allowed", "remove it")
        if isinstance(event, yaml.ScalarEvent):
            # libyaml reports a plain scalar's style as "", the pure-Python parser as None
            self.add(Scalar(event.value, not event.style, self.where(event), _width(event)))
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(self.stack) == MAX_DEPTH:
                self.refuse(event, "too-deep", f"nesting deeper than {MAX_DEPTH} levels")
                self.too_deep = True
            self.stack.append((self.where(event), []))
            kind = Mapping if isinstance(event, yaml.MappingStartEvent) else Sequence
            self.kinds.append(kind)
        else:
            location, children = self.stack.pop()
            kind = self.kinds.pop()
            node = self.mapping(location, children) if kind is Mapping else None
            self.add(node or Sequence(tuple(children), location))

    def mapping(self, location: Location, children: list[Node]) -> Mapping:
        items: list[tuple[Scalar, Node]] = []
        seen: dict[str, Location] = {}
        for key, value in zip(children[::2], children[1::2], strict=True):
            if not isinstance(key, Scalar):
                self.note(Problem(key.location, "complex-key", "", "keys must be plain text"))
                continue
            if key.plain and key.value == "<<":
                self.note(
                    Problem(key.location, "yaml-merge", "", "merge keys (<<) are not allowed")
                )
                continue
            if key.value in seen:
                first = seen[key.value]
                self.note(
                    Problem(
                        key.location,
                        "duplicate-key",
                        key.value,
                        f"appears twice in the same mapping (first on line {first.line})",
                        "keep one",
                    )
                )
                continue
            seen[key.value] = key.location
            items.append((key, value))
        return Mapping(tuple(items), location)

    def add(self, node: Node) -> None:
        if self.stack:
            self.stack[-1][1].append(node)
        elif self.root is None:
            self.root = node

    def result(self) -> Loaded:
        self.summarise_repeats()
        if self.too_deep:
            return Loaded(None, tuple(self.problems))
        root = self.root
        if root is None or (isinstance(root, Scalar) and root.is_null):
            where = root.location if root else Location(self.rel, 1, 1)
            self.problems.append(Problem(where, "empty-file", "", "the file holds no data"))
            root = None
        return Loaded(root, tuple(self.problems))


def _width(event: yaml.ScalarEvent) -> int:
    """Characters a scalar takes in the file when it is on one line (0 when it spans lines)."""
    start, end = event.start_mark, event.end_mark
    if start is None or end is None or start.line != end.line:
        return 0
    return int(end.column - start.column)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---`` YAML front matter from a Markdown body.

    Returns the YAML (padded with one blank line so that its line numbers are the file's), the
    body and the body's first line number; None when the text has no front matter.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n") == "---":
            front = "\n" + "".join(lines[1:index])
            return front, "".join(lines[index + 1 :]), index + 2
    return None
