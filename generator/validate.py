"""Stage 2, validate: YAML nodes -> plain values checked against the field specs of fields.py.

The ``Checker`` walks a node tree with a table of ``Field`` specs and returns plain Python values
(dicts, tuples, str, dates), recording every problem with its location and the location of every
field it read, so that later rules (checks.py) can point at the field they are about.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable
from typing import Any

import pycountry

from generator.contact import WEB_SCHEMES, email_problem, phone_problem, web_address_problem
from generator.countries import is_country
from generator.dates import DateError, parse_full_date, parse_partial_date
from generator.errors import Location, Problem, Severity
from generator.fields import Field, Kind
from generator.load import Mapping, Node, Scalar, Sequence, describe_character
from generator.names import MAX_ID_LENGTH, SCRIPT_NAMES, find_invisible, mixed_script
from generator.spreadsheet import looks_like_formula

PLACEHOLDER = "TODO:"  # what `noimpunity new` writes where only the coordinator can fill in
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE = re.compile(r"[A-Z]{2}")
YEAR = re.compile(r"\d{4}")
LANGUAGES = frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))
TYPE_NAMES = {Scalar: "text", Sequence: "a list", Mapping: "a mapping"}
PLURAL = {"person": "persons", "entity": "entities", "group": "groups", "government": "governments"}
# Control characters a value may not hold (written as escapes such as "\0" or "\e" in quotes):
# all but tab and line feed, and the line and paragraph separators.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Links in Markdown: [text](scheme:...) and reference definitions [label]: scheme:...
MARKDOWN_LINK = re.compile(
    r"(?:\]\(\s*<?|^ {0,3}\[[^\]]+\]:[ \t]*<?)(?P<url>(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):)",
    re.M,
)


class _Invalid:
    """Marks a value that failed validation (its problem is already recorded)."""


INVALID = _Invalid()


def suggest_code(code: str, codes: list[str]) -> str:
    """Did-you-mean for two-letter codes, where edit distance says little (UE -> EU, UK -> GB)."""
    aliases = {"UK": "GB", "EL": "GR"}  # codes used by the EU or in common speech, not ISO
    for candidate in (code.upper(), code[::-1].upper(), aliases.get(code.upper(), "")):
        if candidate in codes and candidate != code:
            return f"; did you mean '{candidate}'?"
    return ""


SUGGESTION_POOL = 200  # the most candidates compared with one word


def suggest(word: str, candidates: list[str]) -> str:
    """``"; did you mean 'birth_date'?"`` when a candidate is close to ``word``, else ``""``.

    Comparing every unknown word with every candidate is quadratic (3,000 unknown ids among
    3,000 records took minutes); so only candidates that start like the word (its first or
    second letter: a slip on either) and are about as long are compared, at most
    ``SUGGESTION_POOL`` of them.
    """
    close = difflib.get_close_matches(word, nearby(word, tuple(candidates)), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def nearby(word: str, candidates: tuple[str, ...]) -> list[str]:
    """The candidates worth comparing with ``word``."""
    if len(candidates) <= SUGGESTION_POOL:
        return list(candidates)
    starts = _by_start(candidates)
    slack = max(3, len(word) // 3)
    pool = [
        candidate
        for start in dict.fromkeys(word[:2].lower())
        for candidate in starts.get(start, ())
        if abs(len(candidate) - len(word)) <= slack
    ]
    return pool[:SUGGESTION_POOL]


@functools.lru_cache(maxsize=8)
def _by_start(candidates: tuple[str, ...]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for candidate in candidates:
        found.setdefault(candidate[:1].lower(), []).append(candidate)
    return found


class Checker:
    """Validates the nodes of one file against field specs, collecting problems and locations."""

    def __init__(self, path: str, languages: tuple[str, ...], today: dt.date) -> None:
        self.path = path
        self.languages = languages
        self.today = today
        self.problems: list[Problem] = []
        self.locations: dict[str, Location] = {}

    def report(
        self,
        location: Location,
        code: str,
        field: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(Problem(location, code, field, message, hint, severity))

    def record(
        self, node: Node, fields: tuple[Field, ...], path: str = "", kind: str | None = None
    ) -> dict[str, Any] | None:
        """Check a mapping against ``fields``; ``kind`` (a subject type) filters which apply."""
        if not isinstance(node, Mapping):
            self.report(
                node.location,
                "wrong-type",
                path,
                f"expected a mapping of fields, found {_what(node)}",
            )
            return None
        self.locations[path] = node.location
        specs = {spec.name: spec for spec in fields}
        result: dict[str, Any] = {}
        for key, value in node.items:
            field_path = f"{path}.{key.value}" if path else key.value
            spec = specs.get(key.value)
            if spec is None or (kind and kind not in spec.applies_to):
                self.unknown(key, field_path, spec, fields, kind)
                continue
            self.locations[field_path] = value.location
            checked = self.value(value, spec, field_path)
            if checked is not INVALID:
                result[key.value] = checked
        for spec in fields:
            if spec.required and spec.name not in result and node.get(spec.name) is None:
                where = f"{path}.{spec.name}" if path else spec.name
                self.report(
                    node.location, "missing-field", where, "is required but missing", spec.doc
                )
        return result

    def unknown(
        self,
        key: Scalar,
        field_path: str,
        spec: Field | None,
        fields: tuple[Field, ...],
        kind: str | None,
    ) -> None:
        allowed = [f.name for f in fields if not kind or kind in f.applies_to]
        what = f"{'an' if kind and kind[0] in 'aeiou' else 'a'} {kind}" if kind else "this record"
        if spec is None:
            message = f"not a field of {what}{suggest(key.value, allowed)}"
            self.report(key.location, "unknown-field", field_path, message)
        else:
            applies = ", ".join(PLURAL.get(t, t) for t in sorted(spec.applies_to))
            self.report(
                key.location,
                "field-not-applicable",
                field_path,
                f"not a field of {what}; it applies to {applies}",
            )

    def value(self, node: Node, spec: Field, path: str) -> Any:
        if isinstance(node, Scalar) and node.is_null:
            if spec.required:
                self.report(
                    node.location,
                    "empty-value",
                    path,
                    "is required and must not be empty",
                    spec.doc,
                )
                return INVALID
            return () if spec.many else None
        if not spec.many:
            return self.single(node, spec, path)
        if isinstance(node, Sequence):
            items = [self.single(item, spec, f"{path}[{i}]") for i, item in enumerate(node.items)]
            if spec.required and not node.items:
                self.report(
                    node.location, "empty-value", path, "needs at least one entry", spec.doc
                )
            return tuple(item for item in items if item is not INVALID)
        if isinstance(node, Scalar) and spec.single_ok:
            item = self.single(node, spec, path)
            return INVALID if item is INVALID else (item,)
        self.report(
            node.location, "wrong-type", path, f"expected a list, found {_what(node)}", spec.doc
        )
        return INVALID

    def single(self, node: Node, spec: Field, path: str) -> Any:
        self.locations[path] = node.location
        if spec.kind is Kind.RECORD:
            if isinstance(node, Scalar) and spec.shorthand:
                shorthand = next(f for f in spec.fields if f.name == spec.shorthand)
                text = self.scalar(node, shorthand, f"{path}.{spec.shorthand}")
                return INVALID if text is INVALID else {spec.shorthand: text}
            checked = self.record(node, spec.fields, path)
            return INVALID if checked is None else checked
        if spec.kind is Kind.LOCALIZED:
            return self.localized(node, spec, path)
        return self.scalar(node, spec, path)

    def localized(self, node: Node, spec: Field, path: str) -> Any:
        if not isinstance(node, Mapping):
            langs = ", ".join(self.languages)
            self.report(
                node.location,
                "wrong-type",
                path,
                f"expected one entry per language ({langs}), found {_what(node)}",
            )
            return INVALID
        result: dict[str, str] = {}
        text_spec = Field(spec.name, Kind.MARKDOWN, spec.doc)
        for key, value in node.items:
            if key.value not in self.languages:
                message = (
                    f"'{key.value}' is not a language of the site ({', '.join(self.languages)})"
                )
                self.report(
                    key.location,
                    "unknown-language",
                    f"{path}.{key.value}",
                    message + suggest(key.value, list(self.languages)),
                )
                continue
            text = self.scalar(value, text_spec, f"{path}.{key.value}")
            if text is not INVALID:
                result[key.value] = text
        default = self.languages[0]
        if default not in result and node.get(default) is None:
            self.report(
                node.location,
                "missing-field",
                f"{path}.{default}",
                f"the {default} text is required",
            )
        return result

    def scalar(self, node: Node, spec: Field, path: str) -> Any:
        self.locations[path] = node.location
        if not isinstance(node, Scalar):
            self.report(
                node.location,
                "wrong-type",
                path,
                f"expected {spec.kind.value}, found {_what(node)}",
                spec.doc,
            )
            return INVALID
        if self.hidden_characters(node, path):
            return INVALID
        text = node.value.strip()
        if not text:
            self.report(node.location, "empty-value", path, "must not be empty", spec.doc)
            return INVALID
        if text.startswith(PLACEHOLDER):
            message = f"still holds a placeholder: {text.removeprefix(PLACEHOLDER).strip()}"
            self.report(node.location, "placeholder", path, message, spec.doc)
            return INVALID
        if spec.is_name:
            self.mixed_script(node, path)
        if spec.kind is Kind.TEXT and looks_like_formula(node.value):
            message = f"starts with {text[0]!r}, which a spreadsheet runs as a formula"
            hint = (
                "check it against the act (no name starts so); the CSV downloads write it"
                " after an apostrophe"
            )
            self.report(node.location, "formula-like", path, message, hint, Severity.WARNING)
        if spec.kind is Kind.MARKDOWN:
            self.markdown_links(node, path)
        convert = _CONVERTERS.get(spec.kind)
        if convert is None:
            return node.value.rstrip() if spec.kind is Kind.MARKDOWN else text
        try:
            return convert(self, text, spec, node.location, path)
        except _RejectedError as rejected:
            self.report(node.location, rejected.code, path, str(rejected), rejected.hint)
            return INVALID

    def hidden_characters(self, node: Scalar, path: str) -> bool:
        """Report a control or invisible character in the value; true when there is one."""
        control = CONTROL.search(node.value)
        invisible = find_invisible(node.value)
        if control is not None and (invisible is None or control.start() < invisible):
            index = control.start()
            message = f"{describe_character(node.value[index])} at character {index + 1}"
            hint = "remove the escape that wrote it, such as \\0 or \\e"
            self.report(node.at(index), "control-character", path, message, hint)
            return True
        if invisible is not None:
            message = (
                f"{describe_character(node.value[invisible])} at character {invisible + 1}"
                " is an invisible character"
            )
            hint = "delete it and retype the text around it: what shows is not what is stored"
            self.report(node.at(invisible), "invisible-character", path, message, hint)
            return True
        return False

    def mixed_script(self, node: Scalar, path: str) -> None:
        """Warn about a word of a name with a letter from another script (a Cyrillic a in Latin)."""
        found = mixed_script(node.value)
        if found is None:
            return
        word, index, script, main = found
        message = (
            f"the word '{word}' mixes {SCRIPT_NAMES.get(main, main)} and"
            f" {SCRIPT_NAMES.get(script, script)} letters: character {index + 1} is"
            f" {describe_character(node.value[index])}"
        )
        hint = "retype the word in one script: a look-alike letter hides the name from searches"
        self.report(node.at(index), "mixed-script", path, message, hint, Severity.WARNING)

    def markdown_links(self, node: Scalar, path: str) -> None:
        """Links in Markdown text go to web addresses (or mailto:), as any other URL field."""
        for link in MARKDOWN_LINK.finditer(node.value):
            if link.group("scheme").lower() not in (*WEB_SCHEMES, "mailto"):
                self.report(
                    node.at(link.start("url")),
                    "invalid-url",
                    path,
                    f"a link to a {link.group('scheme')}: address, not a web address",
                    "link to https:// addresses only",
                )


class _RejectedError(ValueError):
    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint


def _what(node: Node) -> str:
    return TYPE_NAMES[type(node)]


def _slug(checker: Checker, text: str, spec: Field, where: Location, path: str) -> str:
    if not SLUG.fullmatch(text) or len(text) > MAX_ID_LENGTH:
        raise _RejectedError(
            "invalid-id",
            f"'{text[:120]}' is not an id",
            f"use a-z, 0-9 and single '-' only, at most {MAX_ID_LENGTH} characters",
        )
    return text


def _code(checker: Checker, text: str, spec: Field, where: Location, path: str) -> str:
    if not CODE.fullmatch(text):
        raise _RejectedError(
            "invalid-code",
            f"'{text}' is not a participant code",
            "use an ISO 3166-1 alpha-2 code such as FR, or EU",
        )
    return text


def _choice(checker: Checker, text: str, spec: Field, where: Location, path: str) -> str:
    if text not in spec.choices:
        allowed = ", ".join(spec.choices)
        raise _RejectedError(
            "invalid-choice",
            f"'{text}' is not one of: {allowed}{suggest(text, list(spec.choices))}",
        )
    return text


def _bool(checker: Checker, text: str, spec: Field, where: Location, path: str) -> bool:
    if text not in ("true", "false"):
        raise _RejectedError("invalid-bool", f"'{text}' is not true or false")
    return text == "true"


def _date(checker: Checker, text: str, spec: Field, where: Location, path: str) -> Any:
    try:
        value = (
            parse_partial_date(text) if spec.kind is Kind.PARTIAL_DATE else parse_full_date(text)
        )
    except DateError as exc:
        raise _RejectedError("invalid-date", str(exc)) from None
    earliest = value if isinstance(value, dt.date) else value.earliest()
    if not spec.future_ok and earliest > checker.today:
        raise _RejectedError(
            "future-date", f"{text} is in the future", "dates record acts that happened"
        )
    return value


def _year(checker: Checker, text: str, spec: Field, where: Location, path: str) -> int:
    if not YEAR.fullmatch(text):
        raise _RejectedError("invalid-date", f"'{text}' is not a year; write YYYY")
    return int(text)


def _country(checker: Checker, text: str, spec: Field, where: Location, path: str) -> str:
    if not is_country(text):
        hint = (
            "write it in capitals"
            if is_country(text.upper())
            else "use an ISO 3166-1 alpha-2 code such as SY or RU"
        )
        raise _RejectedError(
            "invalid-country", f"'{text}' is not an ISO 3166-1 alpha-2 country code", hint
        )
    return text


def _language(checker: Checker, text: str, spec: Field, where: Location, path: str) -> str:
    if text not in LANGUAGES:
        raise _RejectedError(
            "invalid-language",
            f"'{text}' is not an ISO 639-1 language code",
            "for example en, fr, ru, ar",
        )
    return text


def _url(checker: Checker, text: str, spec: Field, where: Location, path: str) -> str:
    problem = web_address_problem(text, scheme_required=spec.kind is Kind.URL)
    if problem:
        hint = (
            "write a full https:// URL" if spec.kind is Kind.URL else "for example www.example.com"
        )
        raise _RejectedError("invalid-url", problem, hint)
    return text


def _phone(checker: Checker, text: str, spec: Field, where: Location, path: str) -> str:
    problem = phone_problem(text)
    if problem:
        raise _RejectedError("invalid-phone", problem, "for example +7 495 945 76 96")
    return text


def _email(checker: Checker, text: str, spec: Field, where: Location, path: str) -> str:
    problem = email_problem(text)
    if problem:
        raise _RejectedError("invalid-email", problem, "for example info@example.com")
    return text


_CONVERTERS: dict[Kind, Callable[[Checker, str, Field, Location, str], Any]] = {
    Kind.SLUG: _slug,
    Kind.CODE: _code,
    Kind.CHOICE: _choice,
    Kind.BOOL: _bool,
    Kind.DATE: _date,
    Kind.PARTIAL_DATE: _date,
    Kind.YEAR: _year,
    Kind.COUNTRY: _country,
    Kind.LANGUAGE: _language,
    Kind.URL: _url,
    Kind.WEBSITE: _url,
    Kind.PHONE: _phone,
    Kind.EMAIL: _email,
}
