"""Every invalid case in tests/sites/invalid/ gives exactly the problems recorded in its snapshot.

A case folder holds only what differs from the minimal site and is named after the problem code
it is about (``invalid-date-month-13`` is about ``invalid-date``). Its snapshot,
``tests/test_validate/<case>.yml``, holds the sorted, formatted problems.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from pytest_regressions.data_regression import DataRegressionFixture

import generator.load
from generator.errors import Problem, Severity, sort_problems
from generator.read import read_site
from tests.conftest import INVALID, MINIMAL, REPO, TODAY

CASES = sorted(path for path in INVALID.iterdir() if path.is_dir())
# The only cases whose problems are all warnings: the site is still built from them.
WARNING_ONLY = {
    "likely-duplicate-same-person",
    "likely-duplicate-transliterated",
    "mixed-script-cyrillic-a",
    "missing-translation-grounds-fr",
    "name-script-cyrillic",
    "third-party-sources-press",
    "formula-like-alias",
    "hidden-file-record",
}
# Codes that cannot be shown by a small case folder; test_load.py covers them instead.
COVERED_BY_LOAD_TESTS = {"file-too-large": "a fixture of more than MAX_FILE_BYTES"}
# Codes about templates rather than records, tested where the site is rendered.
COVERED_BY_BUILD_TESTS = {"template": "a broken template"}
# Codes that need git history, tested on scratch repositories.
COVERED_BY_GIT_TESTS = {"removed-id": "a record deleted since a revision"}
# Codes that need what a case folder cannot hold, made at run time by test_hostile.py.
COVERED_BY_HOSTILE_TESTS = {"not-regular-file": "a symbolic link in designations/"}
# Internal errors (a bug losing a page or a file), made by test_atomic.py with a broken build.
COVERED_BY_ATOMIC_TESTS = {
    "page-count": "a lost page",
    "unwritten-file": "a file not written",
    "changed-during-build": "a record saved again while the build reads it",
}
# The code argument of each function or class that reports a problem.
CODE_ARGUMENT = {"Problem": 1, "report": 1, "refuse": 1, "_RejectedError": 0}
# Code arguments that are not string literals, as written in the source: what they expand to
# (nothing for the helpers that only pass on a code given to them).
DYNAMIC_CODES: dict[str, set[str]] = {
    "f'{name}-before-listed'": {"lifted-before-listed", "expires-before-listed"},
    "code": set(),
    "rejected.code": set(),
}


def _code_arguments(tree: ast.AST) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        position = CODE_ARGUMENT.get(name)
        if position is None:
            continue
        keywords = [kw.value for kw in node.keywords if kw.arg == "code"]
        if len(node.args) > position:
            yield node.args[position]
        yield from keywords


def generator_codes() -> set[str]:
    """Every problem code the generator can report, read from its source."""
    codes: set[str] = set()
    for path in sorted((REPO / "generator").rglob("*.py")):
        for argument in _code_arguments(ast.parse(path.read_text("utf-8"))):
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                codes.add(argument.value)
            else:
                source = ast.unparse(argument)
                assert source in DYNAMIC_CODES, f"{path.name}: unknown code expression {source}"
                codes |= DYNAMIC_CODES[source]
    return codes


CODES = generator_codes()


def expected_code(case: str) -> str:
    """The code a case is about: the longest code that its folder name starts with."""
    matches = [code for code in CODES if case == code or case.startswith(code + "-")]
    assert matches, f"the folder name {case} does not start with a problem code"
    return max(matches, key=len)


def formatted(problems: list[Problem]) -> list[str]:
    return [problem.format() for problem in sort_problems(problems)]


def test_the_code_list_is_read_from_the_source() -> None:
    assert {"unknown-field", "duplicate-key", "invalid-date", "likely-duplicate"} <= CODES
    assert {"lifted-before-listed", "expires-before-listed", "renewed-before-listed"} <= CODES
    assert "asset-freeze" not in CODES  # a choice, not a problem code
    assert len(CODES) >= 40


def test_minimal_site_has_no_problems() -> None:
    site, problems = read_site(MINIMAL, TODAY)
    assert formatted(problems) == []
    assert site is not None
    assert len(site.subjects) == 3


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_invalid_case(
    case: Path,
    overlay_site: Callable[[Path], Path],
    data_regression: DataRegressionFixture,
) -> None:
    site, problems = read_site(overlay_site(case), TODAY)
    data_regression.check({"problems": formatted(problems)}, basename=case.name)
    assert expected_code(case.name) in {problem.code for problem in problems}
    if case.name in WARNING_ONLY:
        assert all(problem.severity is Severity.WARNING for problem in problems)
        assert site is not None
    else:
        assert any(problem.is_error for problem in problems)
        assert site is None


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_both_parsers_report_the_same(
    case: Path, overlay_site: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml and the pure-Python parser agree; only yaml-syntax wording may differ."""
    root = overlay_site(case)

    def read(parser: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> list[tuple[str, ...]]:
        monkeypatch.setattr(generator.load, "Parser", parser)
        _, problems = read_site(root, TODAY)
        return [
            (str(p.location), p.code, p.field, "" if p.code == "yaml-syntax" else p.message)
            for p in sort_problems(problems)
        ]

    assert read(getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == read(yaml.SafeLoader)


def test_every_case_has_a_one_line_readme_and_a_change() -> None:
    assert len(CASES) >= 50
    for case in CASES:
        readme = (case / "README.md").read_text("utf-8")
        assert readme.endswith("\n") and readme.count("\n") == 1, case.name
        changed = [
            path for path in case.rglob("*") if path.is_file() and path != case / "README.md"
        ]
        assert changed, f"{case.name} changes nothing"


def test_every_problem_code_has_an_invalid_case() -> None:
    covered = {expected_code(case.name) for case in CASES}
    covered |= set(COVERED_BY_LOAD_TESTS) | set(COVERED_BY_BUILD_TESTS)
    covered |= set(COVERED_BY_GIT_TESTS)
    covered |= set(COVERED_BY_HOSTILE_TESTS) | set(COVERED_BY_ATOMIC_TESTS)
    assert sorted(CODES - covered) == []
    for module, codes in (
        ("test_load.py", COVERED_BY_LOAD_TESTS),
        ("test_build.py", COVERED_BY_BUILD_TESTS),
        ("test_permanent_ids.py", COVERED_BY_GIT_TESTS),
        ("test_hostile.py", COVERED_BY_HOSTILE_TESTS),
        ("test_atomic.py", COVERED_BY_ATOMIC_TESTS),
    ):
        source = (Path(__file__).parent / module).read_text("utf-8")
        for code in codes:
            assert f'"{code}"' in source


def test_explicit_nulls_are_accepted(minimal_copy: Path) -> None:
    """``lifted: null`` is the documented way to say "not lifted" (docs/record-format.md)."""
    record = minimal_copy / "designations" / "main-intelligence-directorate.yaml"
    text = record.read_text("utf-8")
    record.write_text(
        text.replace(
            "    measures: asset-freeze\n",
            "    measures: asset-freeze\n    program: ~\n    lifted: null\n    expires:\n",
        ),
        "utf-8",
    )
    assert "lifted: null" in record.read_text("utf-8")
    site, problems = read_site(minimal_copy, TODAY)
    assert formatted(problems) == []
    assert site is not None
    sanction = next(s for s in site.subjects if s.id == "main-intelligence-directorate").sanctions
    assert (sanction[0].program, sanction[0].lifted, sanction[0].expires) == (None, None, None)
