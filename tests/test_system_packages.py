"""scripts/system-packages.sh, the first step of `make test`: what it finds missing, and that it
installs it (as root, with apt-get) or stops and names it.

Each case runs the script with a PATH of stand-ins: a browser, Java, npm, g++ and pkg-config
that are present or not, an ``id`` that says root or not, and an ``apt-get`` that records what it
is asked, so that nothing is installed and the machine's own tools are never found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "scripts/system-packages.sh"
TOOLS = ("bash", "cat", "mktemp", "rm")  # what the script itself runs, taken from the machine


class Machine:
    """A PATH of stand-ins and a virtual environment with or without PyICU."""

    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.apt_log = root / "apt-get.log"
        self.venv = root / "venv"
        for tool in TOOLS:
            found = shutil.which(tool)
            assert found, tool
            (self.bin / tool).symlink_to(found)
        self.root(False)

    def command(self, name: str, works: bool = True, output: str = "") -> None:
        script = self.bin / name
        script.write_text(f"#!/bin/sh\nprintf '%s' '{output}'\nexit {0 if works else 1}\n")
        script.chmod(0o755)

    def root(self, is_root: bool) -> None:
        self.command("id", output="0" if is_root else "1000")

    def apt(self) -> None:
        script = self.bin / "apt-get"
        script.write_text(f'#!/bin/sh\necho "$*" >> {self.apt_log}\n')
        script.chmod(0o755)

    def with_pyicu(self, present: bool) -> None:
        (self.venv / "bin").mkdir(parents=True, exist_ok=True)
        python = self.venv / "bin/python"
        python.write_text(f"#!/bin/sh\nexit {0 if present else 1}\n")  # answers "import icu"
        python.chmod(0o755)

    def everything(self) -> None:
        for name in ("chromium", "java", "npm", "g++", "pkg-config"):
            self.command(name)
        self.with_pyicu(True)

    def run(self, **environment: str) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": str(self.bin),
            "PYTHON": sys.executable,  # a Python with its headers
            "VENV": str(self.venv),
            **environment,
        }
        return subprocess.run(
            [str(self.bin / "bash"), str(SCRIPT)],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=False,
        )

    def apt_calls(self) -> list[str]:
        if not self.apt_log.exists():
            return []
        return self.apt_log.read_text("utf-8").splitlines()


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_nothing_missing_says_nothing_and_installs_nothing(machine: Machine) -> None:
    machine.everything()
    machine.apt()
    machine.root(True)
    done = machine.run()
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert machine.apt_calls() == []


def test_not_root_stops_at_once_naming_the_packages_and_the_command(machine: Machine) -> None:
    machine.everything()
    for name in ("chromium", "java"):
        (machine.bin / name).unlink()
    machine.apt()
    done = machine.run()
    assert done.returncode == 1
    assert "missing: chromium default-jre-headless" in done.stderr
    assert "  sudo apt-get install -y chromium default-jre-headless\n" in done.stderr
    assert machine.apt_calls() == []


def test_as_root_it_installs_what_is_missing_with_apt_get(machine: Machine) -> None:
    machine.everything()
    (machine.bin / "java").unlink()
    machine.command("chromium", works=False)  # on the PATH but cannot run: not a browser
    machine.apt()
    machine.root(True)
    done = machine.run()
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "make test: installing the system packages the tests need: chromium default-jre-headless\n"
    )
    assert machine.apt_calls() == [
        "update",
        "install -y --no-install-recommends chromium default-jre-headless",
    ]


def test_pyicus_build_tools_are_needed_only_while_the_environment_lacks_it(
    machine: Machine,
) -> None:
    machine.everything()
    machine.command("pkg-config", works=False)  # no icu-i18n.pc: libicu-dev is missing
    (machine.bin / "g++").unlink()
    assert machine.run().returncode == 0  # PyICU is installed: nothing to build
    machine.with_pyicu(False)
    done = machine.run()
    assert done.returncode == 1
    assert "missing: g++ libicu-dev\n" in done.stderr


def test_a_browser_is_found_under_any_of_its_names_or_the_variable(machine: Machine) -> None:
    machine.everything()
    (machine.bin / "chromium").unlink()
    assert "missing: chromium" in machine.run().stderr
    machine.command("google-chrome")
    assert machine.run().returncode == 0
    (machine.bin / "google-chrome").unlink()
    machine.command("my-browser")
    assert machine.run(NOIMPUNITY_BROWSER=str(machine.bin / "my-browser")).returncode == 0
    done = machine.run(NOIMPUNITY_BROWSER=str(machine.bin / "no-such-browser"))
    assert done.returncode == 1
    assert "NOIMPUNITY_BROWSER=" in done.stderr and "does not run" in done.stderr


def test_without_apt_get_it_says_to_use_the_machines_package_manager(machine: Machine) -> None:
    machine.everything()
    (machine.bin / "npm").unlink()
    machine.root(True)
    done = machine.run()
    assert done.returncode == 1
    assert "missing: npm" in done.stderr
    assert "no apt-get" in done.stderr


def test_a_failing_apt_get_shows_its_output(machine: Machine) -> None:
    machine.everything()
    (machine.bin / "java").unlink()
    machine.command("apt-get", works=False, output="E: Unable to locate package")
    machine.root(True)
    done = machine.run()
    assert done.returncode == 1
    assert "E: Unable to locate package" in done.stderr
    assert "could not install default-jre-headless" in done.stderr


def test_make_test_runs_it_before_installing_the_test_environment() -> None:
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert "bash scripts/system-packages.sh" in makefile
    assert "requirements/lock.txt | system-packages\n" in makefile
    assert "pytest: $(STAMP) $(NPM_STAMP) | system-packages\n" in makefile
    assert os.access(SCRIPT, os.X_OK)
