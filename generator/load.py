"""Stage 1, load: bytes on disk -> trees of YAML nodes that remember where they came from.

The YAML is read strictly. Every scalar stays text (``NO`` is Norway, ``010`` is not octal,
``1:20`` is not a number, ``2018-02-30`` is not parsed here): the validator interprets each field
by its spec. Anchors, aliases, merge keys, explicit tags, duplicate keys, several documents,
non-UTF-8 bytes and oversized files are problems with a location, never exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import Location, Problem

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32

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

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


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
        return None, [
            Problem(
                Location(rel, 1, 1),
                "file-too-large",
                "",
                f"the file has {len(data):,} bytes; at most {MAX_FILE_BYTES:,} are allowed",
            )
        ]
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), []
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


def load_yaml_file(path: Path, rel: str, data: bytes | None = None) -> Loaded:
    text, problems = read_text(path, rel, data)
    if text is None:
        return Loaded(None, tuple(problems))
    return load_yaml_text(text, rel)


def load_yaml_text(text: str, rel: str) -> Loaded:
    """Parse one YAML document into nodes; problems carry ``rel`` and the line and column."""
    builder = _TreeBuilder(rel)
    try:
        for event in yaml.parse(text, Loader=Parser):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        builder.problems.append(_syntax_problem(exc, rel))
        return Loaded(None, tuple(builder.problems))
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        before = text[: exc.position]
        where = Location(rel, before.count("\n") + 1, exc.position - before.rfind("\n"))
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

    def where(self, event: yaml.Event) -> Location:
        mark = event.start_mark
        if mark is None:
            return Location(self.rel, 1, 1)
        return Location(self.rel, mark.line + 1, mark.column + 1)

    def refuse(self, event: yaml.Event, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.where(event), code, "", message, hint))

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
            self.add(Scalar(event.value, not event.style, self.where(event)))
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
                self.problems.append(
                    Problem(key.location, "complex-key", "", "keys must be plain text")
                )
                continue
            if key.plain and key.value == "<<":
                self.problems.append(
                    Problem(key.location, "yaml-merge", "", "merge keys (<<) are not allowed")
                )
                continue
            if key.value in seen:
                first = seen[key.value]
                self.problems.append(
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
        if self.too_deep:
            return Loaded(None, tuple(self.problems))
        root = self.root
        if root is None or (isinstance(root, Scalar) and root.is_null):
            where = root.location if root else Location(self.rel, 1, 1)
            self.problems.append(Problem(where, "empty-file", "", "the file holds no data"))
            root = None
        return Loaded(root, tuple(self.problems))


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
