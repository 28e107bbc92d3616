"""yamllint with the repository's .yamllint.yaml: every record passes, and the rules really bite.

The generator reads every scalar as text, so an unquoted `NO` is still Norway to it; yamllint
keeps the records unambiguous for any other YAML reader (a YAML 1.1 one reads `NO` as false and
`010` as 8), and the pre-commit hook runs the same configuration.
"""

from __future__ import annotations

import pytest
from yamllint import linter
from yamllint.config import YamlLintConfig

from tests.conftest import REPO

CONFIG = REPO / ".yamllint.yaml"
RECORDS = sorted((REPO / "designations").glob("*.yaml"))
SAMPLE = "designations/sample.yaml"


@pytest.fixture(scope="module")
def config() -> YamlLintConfig:
    return YamlLintConfig(file=str(CONFIG))


def problems(text: str, config: YamlLintConfig, path: str = SAMPLE) -> list[str]:
    return [
        f"{path}:{problem.line}:{problem.column}: [{problem.level}] {problem.desc} ({problem.rule})"
        for problem in linter.run(text, config, path)
    ]


def rules(text: str, config: YamlLintConfig) -> set[tuple[str | None, str]]:
    return {(p.rule, p.level) for p in linter.run(text, config, SAMPLE)}


def test_the_records_are_there() -> None:
    assert len(RECORDS) >= 37


def test_every_record_passes(config: YamlLintConfig) -> None:
    found = [
        line
        for path in RECORDS
        for line in problems(path.read_text("utf-8"), config, str(path.relative_to(REPO)))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("sample", "rule"),
    [
        ("nationality: [NO]\n", "truthy"),
        ("nationality: [no]\n", "truthy"),
        ("country: [SY, NO]\n", "truthy"),
        ("aliases:\n  - {name: Ali, weak: yes}\n", "truthy"),
        ("gender: off\n", "truthy"),
        ("NO: Norway\n", "truthy"),
        ("number: 010\n", "octal-values"),
        ("number: 0o10\n", "octal-values"),
        ("identifiers:\n  - {type: passport, number: 0777}\n", "octal-values"),
    ],
)
def test_ambiguous_scalars_are_errors(config: YamlLintConfig, sample: str, rule: str) -> None:
    # An error, not a warning, so that `yamllint` (and the pre-commit hook) exits non-zero.
    assert (rule, "error") in rules(sample, config), problems(sample, config)


@pytest.mark.parametrize(
    "sample",
    [
        'nationality: ["NO"]\n',
        "aliases:\n  - {name: Ali, weak: true}\n",
        "lifted: null\n",
        'number: "010"\n',
        "number: 10\n",
        "listed: 2019-01-21\n",
        "grounds:\n  en: |\n    " + ("A long line of prose about the grounds. " * 4).strip() + "\n",
    ],
)
def test_quoted_and_plain_values_pass(config: YamlLintConfig, sample: str) -> None:
    assert problems(sample, config) == []


def test_the_config_is_the_one_in_the_repository(config: YamlLintConfig) -> None:
    assert CONFIG.is_file()
    assert config.rules["truthy"]["allowed-values"] == ["true", "false"]
    assert config.rules["truthy"]["check-keys"] is True
    assert config.rules["octal-values"]["forbid-implicit-octal"] is True
    assert config.rules["octal-values"]["forbid-explicit-octal"] is True
    assert config.rules["document-start"] is False


def test_records_are_not_ignored(config: YamlLintConfig) -> None:
    assert not [path for path in RECORDS if config.is_file_ignored(str(path.relative_to(REPO)))]


def test_a_real_record_with_a_mistake_fails(config: YamlLintConfig) -> None:
    record = RECORDS[0].read_text("utf-8")
    broken = record.replace("\ntype:", "\ntype:  ", 1) + "nationality: [NO]\n"
    assert {rule for rule, _ in rules(broken, config)} >= {"colons", "truthy"}
