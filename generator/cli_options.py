"""Options that several commands share (kept apart from cli.py so that the lazily loaded
commands can use them without importing the build)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def root_option(help_text: str) -> Callable[[F], F]:
    """``--root DIR``: the repository the command works on (the current folder by default)."""
    return click.option(
        "--root",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path(),
        show_default=True,
        help=help_text,
    )
